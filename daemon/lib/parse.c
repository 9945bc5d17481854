// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Parsers of devns replies, events and acks: they read one message, check
 * every attribute they know against the ABI, and do no I/O.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/genl/genl.h>

#include "libdevns.h"

enum kind { K_ANY, K_U32, K_U64, K_FLAG, K_STRING, K_NEST, K_BINARY };

struct rule {
	enum kind kind;
	int maxlen;		/* K_STRING (with the NUL), K_BINARY */
};

static const struct rule devns_rules[DEVNS_A_MAX + 1] = {
	[DEVNS_A_ID]		= { K_U32 },
	[DEVNS_A_PID]		= { K_U32 },
	[DEVNS_A_TAG]		= { K_STRING, DEVNS_TAG_LEN },
	[DEVNS_A_ACTIVE]	= { K_FLAG },
	[DEVNS_A_ACTIVATED_NS]	= { K_U64 },
	[DEVNS_A_PREV_ID]	= { K_U32 },
	[DEVNS_A_REASON]	= { K_U32 },
	[DEVNS_A_LATENCY_NS]	= { K_U64 },
	[DEVNS_A_STATS]		= { K_NEST },
	[DEVNS_A_HOTKEY]	= { K_NEST },
	[DEVNS_A_HOTKEYS_DEFAULT] = { K_FLAG },
	[DEVNS_A_SLOT]		= { K_U32 },
};

static const struct rule stats_rules[DEVNS_STATS_A_MAX + 1] = {
	[DEVNS_STATS_A_SWITCHES]	= { K_U64 },
	[DEVNS_STATS_A_LAST_NS]		= { K_U64 },
	[DEVNS_STATS_A_WORST_NS]	= { K_U64 },
	[DEVNS_STATS_A_SUBSYS]		= { K_NEST },
};

static const struct rule subsys_rules[DEVNS_SUBSYS_A_MAX + 1] = {
	[DEVNS_SUBSYS_A_NAME]		= { K_STRING, DEVNS_NL_SUBSYS_NAME_LEN },
	[DEVNS_SUBSYS_A_LAST_OUT_NS]	= { K_U64 },
	[DEVNS_SUBSYS_A_LAST_IN_NS]	= { K_U64 },
	[DEVNS_SUBSYS_A_WORST_NS]	= { K_U64 },
};

static const struct rule hotkey_rules[DEVNS_HOTKEY_A_MAX + 1] = {
	[DEVNS_HOTKEY_A_SLOT]	= { K_U32 },
	[DEVNS_HOTKEY_A_KEYS]	= { K_BINARY,
				    DEVNS_HOTKEY_KEYS_MAX * sizeof(uint16_t) },
};

static const struct rule errmsg_rule = { K_STRING, 1024 };

/* The stream is a whole number of well-formed attributes. */
static bool attrs_ok(struct nlattr *head, int len)
{
	struct nlattr *pos;
	int rem;

	nla_for_each_attr(pos, head, len, rem)
		;
	return rem == 0;
}

static bool attr_ok(struct nlattr *a, const struct rule *r)
{
	int len = nla_len(a);
	const char *s = nla_data(a);

	switch (r->kind) {
	case K_ANY:
		return true;
	case K_U32:
		return len == sizeof(uint32_t);
	case K_U64:
		return len == sizeof(uint64_t);
	case K_FLAG:
		return len == 0;
	case K_STRING:
		return len >= 1 && len <= r->maxlen && s[len - 1] == '\0';
	case K_NEST:
		return attrs_ok(nla_data(a), len);
	case K_BINARY:
		return len <= r->maxlen;
	}
	return false;
}

/*
 * Attributes of a known type with the wrong length or format fail the
 * whole message; unknown ones are ignored (newer kernels may add some).
 */
static int parse_attrs(struct nlattr **tb, int max, struct nlattr *head,
		       int len, const struct rule *rules)
{
	if (!attrs_ok(head, len) || nla_parse(tb, max, head, len, NULL) < 0)
		return -EBADMSG;
	for (int i = 1; i <= max; i++)
		if (tb[i] && !attr_ok(tb[i], &rules[i]))
			return -EBADMSG;
	return 0;
}

static int parse_genl(struct nlmsghdr *nlh, struct nlattr **tb, uint8_t *cmd)
{
	struct genlmsghdr *gnlh;

	if (!genlmsg_valid_hdr(nlh, 0))
		return -EBADMSG;
	gnlh = genlmsg_hdr(nlh);
	if (cmd)
		*cmd = gnlh->cmd;
	return parse_attrs(tb, DEVNS_A_MAX, genlmsg_attrdata(gnlh, 0),
			   genlmsg_attrlen(gnlh, 0), devns_rules);
}

static uint32_t get_u32(struct nlattr *a)
{
	return a ? nla_get_u32(a) : 0;
}

static uint64_t get_u64(struct nlattr *a)
{
	return a ? nla_get_u64(a) : 0;
}

static void get_string(struct nlattr *a, char *buf, size_t size)
{
	buf[0] = '\0';
	if (a)
		nla_strlcpy(buf, a, size);
}

static int fill_info(struct nlattr **tb, struct devns_info *out)
{
	memset(out, 0, sizeof(*out));
	if (!tb[DEVNS_A_ID])
		return -EBADMSG;
	out->id = get_u32(tb[DEVNS_A_ID]);
	out->pid = get_u32(tb[DEVNS_A_PID]);
	get_string(tb[DEVNS_A_TAG], out->tag, sizeof(out->tag));
	out->active = tb[DEVNS_A_ACTIVE] != NULL;
	out->activated_ns = get_u64(tb[DEVNS_A_ACTIVATED_NS]);
	return 0;
}

int devns_parse_info(struct nlmsghdr *nlh, struct devns_info *out)
{
	struct nlattr *tb[DEVNS_A_MAX + 1];
	int err = parse_genl(nlh, tb, NULL);

	return err ? err : fill_info(tb, out);
}

static int parse_subsys(struct nlattr *nest, struct devns_subsys_stats *out)
{
	struct nlattr *tb[DEVNS_SUBSYS_A_MAX + 1];
	int err = parse_attrs(tb, DEVNS_SUBSYS_A_MAX, nla_data(nest),
			      nla_len(nest), subsys_rules);

	if (err)
		return err;
	if (!tb[DEVNS_SUBSYS_A_NAME])
		return -EBADMSG;
	get_string(tb[DEVNS_SUBSYS_A_NAME], out->name, sizeof(out->name));
	out->last_out_ns = get_u64(tb[DEVNS_SUBSYS_A_LAST_OUT_NS]);
	out->last_in_ns = get_u64(tb[DEVNS_SUBSYS_A_LAST_IN_NS]);
	out->worst_ns = get_u64(tb[DEVNS_SUBSYS_A_WORST_NS]);
	return 0;
}

int devns_parse_stats(struct nlmsghdr *nlh, struct devns_stats *out)
{
	struct nlattr *tb[DEVNS_A_MAX + 1], *st[DEVNS_STATS_A_MAX + 1];
	struct nlattr *pos;
	int err, rem;

	memset(out, 0, sizeof(*out));
	err = parse_genl(nlh, tb, NULL);
	if (err)
		return err;
	if (!tb[DEVNS_A_STATS])
		return -EBADMSG;
	err = parse_attrs(st, DEVNS_STATS_A_MAX, nla_data(tb[DEVNS_A_STATS]),
			  nla_len(tb[DEVNS_A_STATS]), stats_rules);
	if (err)
		return err;
	out->switches = get_u64(st[DEVNS_STATS_A_SWITCHES]);
	out->last_ns = get_u64(st[DEVNS_STATS_A_LAST_NS]);
	out->worst_ns = get_u64(st[DEVNS_STATS_A_WORST_NS]);

	nla_for_each_nested(pos, tb[DEVNS_A_STATS], rem) {
		if (nla_type(pos) != DEVNS_STATS_A_SUBSYS)
			continue;
		if (out->n_subsys == DEVNS_NL_SUBSYS_MAX)
			return -EBADMSG;
		err = parse_subsys(pos, &out->subsys[out->n_subsys++]);
		if (err)
			return err;
	}
	return 0;
}

static int parse_hotkey(struct nlattr *nest, struct devns_hotkey *out)
{
	struct nlattr *tb[DEVNS_HOTKEY_A_MAX + 1];
	int err = parse_attrs(tb, DEVNS_HOTKEY_A_MAX, nla_data(nest),
			      nla_len(nest), hotkey_rules);
	int len;

	if (err)
		return err;
	if (!tb[DEVNS_HOTKEY_A_SLOT] || !tb[DEVNS_HOTKEY_A_KEYS])
		return -EBADMSG;
	out->slot = nla_get_u32(tb[DEVNS_HOTKEY_A_SLOT]);
	len = nla_len(tb[DEVNS_HOTKEY_A_KEYS]);
	if (out->slot > DEVNS_HOTKEY_SLOT_MAX || len == 0 ||
	    len % sizeof(uint16_t))
		return -EBADMSG;
	out->n_keys = len / sizeof(uint16_t);
	memcpy(out->keys, nla_data(tb[DEVNS_HOTKEY_A_KEYS]), len);
	return 0;
}

int devns_parse_hotkeys(struct nlmsghdr *nlh, struct devns_hotkeys *acc)
{
	struct nlattr *tb[DEVNS_A_MAX + 1];
	struct genlmsghdr *gnlh;
	struct nlattr *pos;
	int err, rem;

	err = parse_genl(nlh, tb, NULL);
	if (err)
		return err;
	gnlh = genlmsg_hdr(nlh);
	nla_for_each_attr(pos, genlmsg_attrdata(gnlh, 0),
			  genlmsg_attrlen(gnlh, 0), rem) {
		if (nla_type(pos) != DEVNS_A_HOTKEY)
			continue;
		if (acc->n == DEVNS_HOTKEYS_MAX)
			return -EBADMSG;
		err = parse_hotkey(pos, &acc->hk[acc->n]);
		if (err)
			return err;
		acc->n++;
	}
	return 0;
}

int devns_parse_event(struct nlmsghdr *nlh, struct devns_event *out)
{
	struct nlattr *tb[DEVNS_A_MAX + 1];
	uint8_t cmd;
	int err;

	memset(out, 0, sizeof(*out));
	err = parse_genl(nlh, tb, &cmd);
	if (err)
		return err;
	out->cmd = cmd;
	switch (cmd) {
	case DEVNS_CMD_NEW:
	case DEVNS_CMD_DEL:
		break;
	case DEVNS_CMD_SWITCHED:
		if (!tb[DEVNS_A_PREV_ID])
			return -EBADMSG;
		break;
	case DEVNS_CMD_HOTKEY:
		if (!tb[DEVNS_A_SLOT])
			return -EBADMSG;
		out->slot = nla_get_u32(tb[DEVNS_A_SLOT]);
		return 0;
	default:
		return -ENOMSG;	/* not an event this library knows */
	}
	err = fill_info(tb, &out->ns);
	out->prev_id = get_u32(tb[DEVNS_A_PREV_ID]);
	out->reason = get_u32(tb[DEVNS_A_REASON]);
	out->latency_ns = get_u64(tb[DEVNS_A_LATENCY_NS]);
	return err;
}

/* Where the extended-ack TLVs of an NLMSG_ERROR or NLMSG_DONE start. */
static int ack_tlv_offset(struct nlmsghdr *nlh, int *err)
{
	int len = nlmsg_datalen(nlh);

	if (nlh->nlmsg_type == NLMSG_DONE) {
		if (len < (int)sizeof(int))
			return -EBADMSG;
		*err = *(int *)nlmsg_data(nlh);
		return NLMSG_ALIGN(sizeof(int));
	}
	if (nlh->nlmsg_type == NLMSG_ERROR) {
		struct nlmsgerr *e = nlmsg_data(nlh);
		int off = sizeof(*e);

		if (len < off)
			return -EBADMSG;
		*err = e->error;
		/* Unless capped, the request is echoed after the header. */
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED) && e->msg.nlmsg_len >= NLMSG_HDRLEN)
			off += NLMSG_ALIGN(e->msg.nlmsg_len - NLMSG_HDRLEN);
		return off;
	}
	return -EBADMSG;
}

int devns_parse_ack(struct nlmsghdr *nlh, int *err, char *msg, size_t size)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	int off, len;

	msg[0] = '\0';
	*err = 0;
	off = ack_tlv_offset(nlh, err);
	if (off < 0)
		return off;
	if (*err > 0)
		*err = -*err;	/* some senders forget the sign */
	len = nlmsg_datalen(nlh);
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || off >= len)
		return 0;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX,
		      (struct nlattr *)((char *)nlmsg_data(nlh) + off),
		      len - off, NULL) < 0)
		return 0;	/* the error stands without its message */
	if (tb[NLMSGERR_ATTR_MSG] &&
	    attr_ok(tb[NLMSGERR_ATTR_MSG], &errmsg_rule))
		snprintf(msg, size, "%s", (char *)nla_data(tb[NLMSGERR_ATTR_MSG]));
	else if (tb[NLMSGERR_ATTR_MISS_TYPE] &&
		 nla_len(tb[NLMSGERR_ATTR_MISS_TYPE]) == sizeof(uint32_t))
		snprintf(msg, size, "missing attribute %u",
			 nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]));
	return 0;
}

const char *devns_reason_name(uint32_t reason)
{
	switch (reason) {
	case DEVNS_REASON_REQUEST:
		return "request";
	case DEVNS_REASON_INIT_EXITED:
		return "init-exited";
	case DEVNS_REASON_UNLOAD:
		return "unload";
	}
	return "unknown";
}

const char *devns_event_name(uint8_t cmd)
{
	switch (cmd) {
	case DEVNS_CMD_NEW:
		return "new";
	case DEVNS_CMD_DEL:
		return "del";
	case DEVNS_CMD_SWITCHED:
		return "switched";
	case DEVNS_CMD_HOTKEY:
		return "hotkey";
	}
	return "unknown";
}
