// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Unit tests of libdevns's parsers: messages are built here with libnl the
 * way the kernel would send them (or break them), then parsed.
 */
#include <errno.h>
#include <string.h>
#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/genl/genl.h>

#include "check.h"
#include "libdevns.h"

#define FAMILY 0x20

static struct nl_msg *msg;

static struct nlmsghdr *genl(uint8_t cmd)
{
	nlmsg_free(msg);
	msg = nlmsg_alloc();
	genlmsg_put(msg, 0, 0, FAMILY, 0, 0, cmd, DEVNS_GENL_VERSION);
	return nlmsg_hdr(msg);
}

/* The kernel pads u64 attributes with DEVNS_A_PAD when they'd be unaligned. */
static void put_u64_padded(struct nl_msg *m, int pad, int type, uint64_t v)
{
	nla_put(m, pad, 0, NULL);
	nla_put_u64(m, type, v);
}

static void put_info(uint32_t id, uint32_t pid, const char *tag, bool active,
		     uint64_t activated)
{
	nla_put_u32(msg, DEVNS_A_ID, id);
	nla_put_u32(msg, DEVNS_A_PID, pid);
	nla_put_string(msg, DEVNS_A_TAG, tag);
	if (active)
		nla_put_flag(msg, DEVNS_A_ACTIVE);
	put_u64_padded(msg, DEVNS_A_PAD, DEVNS_A_ACTIVATED_NS, activated);
}

static int parse_info(struct devns_info *info)
{
	return devns_parse_info(nlmsg_hdr(msg), info);
}

/* ---- devns_parse_info ---- */

static void info_all_attributes(void)
{
	struct devns_info info;

	genl(DEVNS_CMD_GET);
	put_info(3, 4242, "android", true, 123456789012ULL);
	EXPECT(parse_info(&info) == 0);
	EXPECT(info.id == 3);
	EXPECT(info.pid == 4242);
	EXPECT(strcmp(info.tag, "android") == 0);
	EXPECT(info.active);
	EXPECT(info.activated_ns == 123456789012ULL);
}

static void info_only_id(void)
{
	struct devns_info info;

	genl(DEVNS_CMD_GET);
	nla_put_u32(msg, DEVNS_A_ID, 7);
	EXPECT(parse_info(&info) == 0);
	EXPECT(info.id == 7 && info.pid == 0 && info.tag[0] == '\0');
	EXPECT(!info.active && info.activated_ns == 0);
}

static void info_missing_id(void)
{
	struct devns_info info;

	genl(DEVNS_CMD_GET);
	nla_put_u32(msg, DEVNS_A_PID, 1);
	EXPECT(parse_info(&info) == -EBADMSG);
}

static void info_id_wrong_length(void)
{
	struct devns_info info;

	genl(DEVNS_CMD_GET);
	nla_put_u64(msg, DEVNS_A_ID, 1);
	EXPECT(parse_info(&info) == -EBADMSG);
	genl(DEVNS_CMD_GET);
	nla_put_u16(msg, DEVNS_A_ID, 1);
	EXPECT(parse_info(&info) == -EBADMSG);
}

static void info_tag_longest(void)
{
	struct devns_info info;

	genl(DEVNS_CMD_GET);
	nla_put_u32(msg, DEVNS_A_ID, 1);
	nla_put_string(msg, DEVNS_A_TAG, "123456789012345");
	EXPECT(parse_info(&info) == 0);
	EXPECT(strcmp(info.tag, "123456789012345") == 0);
}

static void info_tag_too_long(void)
{
	struct devns_info info;

	genl(DEVNS_CMD_GET);
	nla_put_u32(msg, DEVNS_A_ID, 1);
	nla_put_string(msg, DEVNS_A_TAG, "1234567890123456");
	EXPECT(parse_info(&info) == -EBADMSG);
}

static void info_tag_unterminated(void)
{
	struct devns_info info;

	genl(DEVNS_CMD_GET);
	nla_put_u32(msg, DEVNS_A_ID, 1);
	nla_put(msg, DEVNS_A_TAG, 3, "abc");
	EXPECT(parse_info(&info) == -EBADMSG);
	genl(DEVNS_CMD_GET);
	nla_put_u32(msg, DEVNS_A_ID, 1);
	nla_put(msg, DEVNS_A_TAG, 0, NULL);
	EXPECT(parse_info(&info) == -EBADMSG);
}

/* A fixed-size tag buffer, NUL-padded, is a valid string. */
static void info_tag_nul_padded(void)
{
	struct devns_info info;
	char tag[DEVNS_TAG_LEN] = "kiosk";

	genl(DEVNS_CMD_GET);
	nla_put_u32(msg, DEVNS_A_ID, 1);
	nla_put(msg, DEVNS_A_TAG, sizeof(tag), tag);
	EXPECT(parse_info(&info) == 0);
	EXPECT(strcmp(info.tag, "kiosk") == 0);
}

static void info_flag_with_payload(void)
{
	struct devns_info info;

	genl(DEVNS_CMD_GET);
	nla_put_u32(msg, DEVNS_A_ID, 1);
	nla_put_u32(msg, DEVNS_A_ACTIVE, 1);
	EXPECT(parse_info(&info) == -EBADMSG);
}

static void info_u64_as_u32(void)
{
	struct devns_info info;

	genl(DEVNS_CMD_GET);
	nla_put_u32(msg, DEVNS_A_ID, 1);
	nla_put_u32(msg, DEVNS_A_ACTIVATED_NS, 5);
	EXPECT(parse_info(&info) == -EBADMSG);
}

static void info_unknown_attribute_ignored(void)
{
	struct devns_info info;

	genl(DEVNS_CMD_GET);
	nla_put_u32(msg, DEVNS_A_ID, 2);
	nla_put_u64(msg, DEVNS_A_MAX + 5, 99);
	EXPECT(parse_info(&info) == 0);
	EXPECT(info.id == 2);
}

static void info_truncated_header(void)
{
	struct devns_info info;

	nlmsg_free(msg);
	msg = nlmsg_alloc();
	nlmsg_put(msg, 0, 0, FAMILY, 2, 0);	/* shorter than a genlmsghdr */
	EXPECT(parse_info(&info) == -EBADMSG);
}

static void info_truncated_attribute(void)
{
	struct devns_info info;
	struct nlmsghdr *nlh;

	genl(DEVNS_CMD_GET);
	nla_put_u32(msg, DEVNS_A_ID, 2);
	nla_put_string(msg, DEVNS_A_TAG, "abcdef");
	nlh = nlmsg_hdr(msg);
	nlh->nlmsg_len -= 4;	/* cut the tag short */
	EXPECT(parse_info(&info) == -EBADMSG);
}

/* ---- devns_parse_stats ---- */

static void put_subsys(const char *name, uint64_t out, uint64_t in,
		       uint64_t worst)
{
	struct nlattr *nest = nla_nest_start(msg, DEVNS_STATS_A_SUBSYS);

	if (name)
		nla_put_string(msg, DEVNS_SUBSYS_A_NAME, name);
	put_u64_padded(msg, DEVNS_SUBSYS_A_PAD, DEVNS_SUBSYS_A_LAST_OUT_NS, out);
	nla_put_u64(msg, DEVNS_SUBSYS_A_LAST_IN_NS, in);
	nla_put_u64(msg, DEVNS_SUBSYS_A_WORST_NS, worst);
	nla_nest_end(msg, nest);
}

static void stats_all_attributes(void)
{
	struct devns_stats st;
	struct nlattr *nest;

	genl(DEVNS_CMD_GET_STATS);
	nest = nla_nest_start(msg, DEVNS_A_STATS | NLA_F_NESTED);
	put_u64_padded(msg, DEVNS_STATS_A_PAD, DEVNS_STATS_A_SWITCHES, 42);
	nla_put_u64(msg, DEVNS_STATS_A_LAST_NS, 1000);
	nla_put_u64(msg, DEVNS_STATS_A_WORST_NS, 9000);
	put_subsys("input", 10, 20, 30);
	put_subsys("fb", 100, 200, 300);
	nla_nest_end(msg, nest);

	EXPECT(devns_parse_stats(nlmsg_hdr(msg), &st) == 0);
	EXPECT(st.switches == 42 && st.last_ns == 1000 && st.worst_ns == 9000);
	EXPECT(st.n_subsys == 2);
	EXPECT(strcmp(st.subsys[0].name, "input") == 0);
	EXPECT(st.subsys[0].last_out_ns == 10 && st.subsys[0].last_in_ns == 20);
	EXPECT(st.subsys[0].worst_ns == 30);
	EXPECT(strcmp(st.subsys[1].name, "fb") == 0);
	EXPECT(st.subsys[1].worst_ns == 300);
}

static void stats_empty_nest(void)
{
	struct devns_stats st;
	struct nlattr *nest;

	genl(DEVNS_CMD_GET_STATS);
	nest = nla_nest_start(msg, DEVNS_A_STATS);
	nla_nest_end_keep_empty(msg, nest);
	EXPECT(devns_parse_stats(nlmsg_hdr(msg), &st) == 0);
	EXPECT(st.switches == 0 && st.n_subsys == 0);
}

static void stats_missing(void)
{
	struct devns_stats st;

	genl(DEVNS_CMD_GET_STATS);
	EXPECT(devns_parse_stats(nlmsg_hdr(msg), &st) == -EBADMSG);
}

static void stats_not_nested(void)
{
	struct devns_stats st;

	genl(DEVNS_CMD_GET_STATS);
	nla_put_u64(msg, DEVNS_A_STATS, 0xffffffffffffffffULL);
	EXPECT(devns_parse_stats(nlmsg_hdr(msg), &st) == -EBADMSG);
}

static void stats_inner_wrong_length(void)
{
	struct devns_stats st;
	struct nlattr *nest;

	genl(DEVNS_CMD_GET_STATS);
	nest = nla_nest_start(msg, DEVNS_A_STATS);
	nla_put_u32(msg, DEVNS_STATS_A_SWITCHES, 1);
	nla_nest_end(msg, nest);
	EXPECT(devns_parse_stats(nlmsg_hdr(msg), &st) == -EBADMSG);
}

static void stats_subsys_without_name(void)
{
	struct devns_stats st;
	struct nlattr *nest;

	genl(DEVNS_CMD_GET_STATS);
	nest = nla_nest_start(msg, DEVNS_A_STATS);
	put_subsys(NULL, 1, 2, 3);
	nla_nest_end(msg, nest);
	EXPECT(devns_parse_stats(nlmsg_hdr(msg), &st) == -EBADMSG);
}

static void stats_subsys_name_too_long(void)
{
	struct devns_stats st;
	struct nlattr *nest;

	genl(DEVNS_CMD_GET_STATS);
	nest = nla_nest_start(msg, DEVNS_A_STATS);
	put_subsys("a-subsystem-name-longer-than-31-bytes", 1, 2, 3);
	nla_nest_end(msg, nest);
	EXPECT(devns_parse_stats(nlmsg_hdr(msg), &st) == -EBADMSG);
}

static void stats_too_many_subsys(void)
{
	struct devns_stats st;
	struct nlattr *nest;

	genl(DEVNS_CMD_GET_STATS);
	nest = nla_nest_start(msg, DEVNS_A_STATS);
	for (int i = 0; i <= DEVNS_NL_SUBSYS_MAX; i++)
		put_subsys("x", 1, 2, 3);
	nla_nest_end(msg, nest);
	EXPECT(devns_parse_stats(nlmsg_hdr(msg), &st) == -EBADMSG);
}

/* ---- devns_parse_hotkeys ---- */

static void put_hotkey(uint32_t slot, const uint16_t *keys, int n)
{
	struct nlattr *nest = nla_nest_start(msg, DEVNS_A_HOTKEY | NLA_F_NESTED);

	nla_put_u32(msg, DEVNS_HOTKEY_A_SLOT, slot);
	nla_put(msg, DEVNS_HOTKEY_A_KEYS, n * sizeof(uint16_t), keys);
	nla_nest_end(msg, nest);
}

static void hotkeys_table(void)
{
	static const uint16_t meta_f1[] = { 125, 59 }, meta_esc[] = { 125, 1 };
	static const uint16_t four[] = { 29, 56, 125, 88 }, one[] = { 183 };
	struct devns_hotkeys hk = { 0 };

	genl(DEVNS_CMD_GET_HOTKEYS);
	put_hotkey(1, meta_f1, 2);
	put_hotkey(0, meta_esc, 2);
	put_hotkey(DEVNS_HOTKEY_SLOT_MAX, four, 4);
	EXPECT(devns_parse_hotkeys(nlmsg_hdr(msg), &hk) == 0);
	/* a second message appends */
	genl(DEVNS_CMD_GET_HOTKEYS);
	put_hotkey(2, one, 1);
	EXPECT(devns_parse_hotkeys(nlmsg_hdr(msg), &hk) == 0);

	EXPECT(hk.n == 4);
	EXPECT(hk.hk[0].slot == 1 && hk.hk[0].n_keys == 2);
	EXPECT(hk.hk[0].keys[0] == 125 && hk.hk[0].keys[1] == 59);
	EXPECT(hk.hk[1].slot == 0 && hk.hk[1].keys[1] == 1);
	EXPECT(hk.hk[2].slot == 31 && hk.hk[2].n_keys == 4);
	EXPECT(hk.hk[2].keys[3] == 88);
	EXPECT(hk.hk[3].slot == 2 && hk.hk[3].n_keys == 1);
	EXPECT(hk.hk[3].keys[0] == 183);
}

static void hotkeys_empty(void)
{
	struct devns_hotkeys hk = { 0 };

	genl(DEVNS_CMD_GET_HOTKEYS);
	EXPECT(devns_parse_hotkeys(nlmsg_hdr(msg), &hk) == 0);
	EXPECT(hk.n == 0);
}

static int one_bad_hotkey(uint32_t slot, const void *keys, int len,
			  bool with_slot, bool with_keys)
{
	struct devns_hotkeys hk = { 0 };
	struct nlattr *nest;

	genl(DEVNS_CMD_GET_HOTKEYS);
	nest = nla_nest_start(msg, DEVNS_A_HOTKEY);
	if (with_slot)
		nla_put_u32(msg, DEVNS_HOTKEY_A_SLOT, slot);
	if (with_keys)
		nla_put(msg, DEVNS_HOTKEY_A_KEYS, len, keys);
	nla_nest_end(msg, nest);
	return devns_parse_hotkeys(nlmsg_hdr(msg), &hk);
}

static void hotkeys_rejected(void)
{
	static const uint16_t keys[5] = { 1, 2, 3, 4, 5 };

	EXPECT(one_bad_hotkey(1, keys, 4, true, true) == 0);
	EXPECT(one_bad_hotkey(1, keys, 4, false, true) == -EBADMSG);
	EXPECT(one_bad_hotkey(1, keys, 4, true, false) == -EBADMSG);
	EXPECT(one_bad_hotkey(1, keys, 3, true, true) == -EBADMSG);
	EXPECT(one_bad_hotkey(1, keys, 0, true, true) == -EBADMSG);
	EXPECT(one_bad_hotkey(1, keys, 10, true, true) == -EBADMSG);
	EXPECT(one_bad_hotkey(DEVNS_HOTKEY_SLOT_MAX + 1, keys, 4, true, true) ==
	       -EBADMSG);
}

static void hotkeys_slot_wrong_length(void)
{
	static const uint16_t keys[] = { 125, 59 };
	struct devns_hotkeys hk = { 0 };
	struct nlattr *nest;

	genl(DEVNS_CMD_GET_HOTKEYS);
	nest = nla_nest_start(msg, DEVNS_A_HOTKEY);
	nla_put_u8(msg, DEVNS_HOTKEY_A_SLOT, 1);
	nla_put(msg, DEVNS_HOTKEY_A_KEYS, sizeof(keys), keys);
	nla_nest_end(msg, nest);
	EXPECT(devns_parse_hotkeys(nlmsg_hdr(msg), &hk) == -EBADMSG);
}

static void hotkeys_too_many(void)
{
	static const uint16_t keys[] = { 125, 59 };
	struct devns_hotkeys hk = { 0 };

	genl(DEVNS_CMD_GET_HOTKEYS);
	for (int i = 0; i <= DEVNS_HOTKEYS_MAX; i++)
		put_hotkey(1, keys, 2);
	EXPECT(devns_parse_hotkeys(nlmsg_hdr(msg), &hk) == -EBADMSG);
	EXPECT(hk.n == DEVNS_HOTKEYS_MAX);
}

/* ---- devns_parse_event ---- */

static void event_new(void)
{
	struct devns_event ev;

	genl(DEVNS_CMD_NEW);
	put_info(5, 900, "work", false, 0);
	EXPECT(devns_parse_event(nlmsg_hdr(msg), &ev) == 0);
	EXPECT(ev.cmd == DEVNS_CMD_NEW);
	EXPECT(ev.ns.id == 5 && ev.ns.pid == 900);
	EXPECT(strcmp(ev.ns.tag, "work") == 0 && !ev.ns.active);
}

static void event_del(void)
{
	struct devns_event ev;

	genl(DEVNS_CMD_DEL);
	nla_put_u32(msg, DEVNS_A_ID, 5);
	nla_put_u32(msg, DEVNS_A_REASON, DEVNS_REASON_INIT_EXITED);
	EXPECT(devns_parse_event(nlmsg_hdr(msg), &ev) == 0);
	EXPECT(ev.cmd == DEVNS_CMD_DEL && ev.ns.id == 5);
	EXPECT(ev.reason == DEVNS_REASON_INIT_EXITED);
	EXPECT(strcmp(devns_reason_name(ev.reason), "init-exited") == 0);
}

static void event_switched(void)
{
	struct devns_event ev;

	genl(DEVNS_CMD_SWITCHED);
	nla_put_u32(msg, DEVNS_A_ID, 2);
	nla_put_u32(msg, DEVNS_A_PREV_ID, 0);
	nla_put_u32(msg, DEVNS_A_REASON, DEVNS_REASON_REQUEST);
	put_u64_padded(msg, DEVNS_A_PAD, DEVNS_A_LATENCY_NS, 1234567);
	EXPECT(devns_parse_event(nlmsg_hdr(msg), &ev) == 0);
	EXPECT(ev.cmd == DEVNS_CMD_SWITCHED);
	EXPECT(ev.ns.id == 2 && ev.prev_id == 0);
	EXPECT(ev.latency_ns == 1234567);
	EXPECT(strcmp(devns_event_name(ev.cmd), "switched") == 0);
}

static void event_switched_missing_prev(void)
{
	struct devns_event ev;

	genl(DEVNS_CMD_SWITCHED);
	nla_put_u32(msg, DEVNS_A_ID, 2);
	EXPECT(devns_parse_event(nlmsg_hdr(msg), &ev) == -EBADMSG);
}

static void event_hotkey(void)
{
	struct devns_event ev;

	genl(DEVNS_CMD_HOTKEY);
	nla_put_u32(msg, DEVNS_A_SLOT, 3);
	EXPECT(devns_parse_event(nlmsg_hdr(msg), &ev) == 0);
	EXPECT(ev.cmd == DEVNS_CMD_HOTKEY && ev.slot == 3);

	genl(DEVNS_CMD_HOTKEY);
	EXPECT(devns_parse_event(nlmsg_hdr(msg), &ev) == -EBADMSG);
	genl(DEVNS_CMD_HOTKEY);
	nla_put_u64(msg, DEVNS_A_SLOT, 3);
	EXPECT(devns_parse_event(nlmsg_hdr(msg), &ev) == -EBADMSG);
}

static void event_new_missing_id(void)
{
	struct devns_event ev;

	genl(DEVNS_CMD_NEW);
	nla_put_u32(msg, DEVNS_A_PID, 5);
	EXPECT(devns_parse_event(nlmsg_hdr(msg), &ev) == -EBADMSG);
}

static void event_unknown_command(void)
{
	struct devns_event ev;

	genl(DEVNS_CMD_GET);
	nla_put_u32(msg, DEVNS_A_ID, 1);
	EXPECT(devns_parse_event(nlmsg_hdr(msg), &ev) == -ENOMSG);
	genl(DEVNS_CMD_MAX + 1);
	EXPECT(devns_parse_event(nlmsg_hdr(msg), &ev) == -ENOMSG);
}

/* ---- devns_parse_ack ---- */

/*
 * An NLMSG_ERROR as the kernel builds it: the header of the request, its
 * payload unless capped, then the extended-ack TLVs.
 */
static struct nlmsghdr *error_msg(int error, bool capped, const char *text)
{
	struct nlmsgerr e = { .error = error };
	static const char request_payload[12] = "request-pay";
	int flags = capped ? NLM_F_CAPPED : 0;

	if (text)
		flags |= NLM_F_ACK_TLVS;
	e.msg.nlmsg_len = NLMSG_HDRLEN + sizeof(request_payload);
	e.msg.nlmsg_type = FAMILY;
	nlmsg_free(msg);
	msg = nlmsg_alloc();
	nlmsg_put(msg, 0, 1, NLMSG_ERROR, 0, flags);
	nlmsg_append(msg, &e, sizeof(e), NLMSG_ALIGNTO);
	if (!capped)
		nlmsg_append(msg, (void *)request_payload,
			     sizeof(request_payload), NLMSG_ALIGNTO);
	if (text)
		nla_put_string(msg, NLMSGERR_ATTR_MSG, text);
	return nlmsg_hdr(msg);
}

static void ack_error_with_message(void)
{
	char text[DEVNS_NL_ERRMSG_LEN];
	int err;

	EXPECT(devns_parse_ack(error_msg(-EINVAL, true, "tag too long"), &err,
			       text, sizeof(text)) == 0);
	EXPECT(err == -EINVAL);
	EXPECT(strcmp(text, "tag too long") == 0);
}

static void ack_error_uncapped(void)
{
	char text[DEVNS_NL_ERRMSG_LEN];
	int err;

	EXPECT(devns_parse_ack(error_msg(-ENOENT, false, "no such devns"),
			       &err, text, sizeof(text)) == 0);
	EXPECT(err == -ENOENT);
	EXPECT(strcmp(text, "no such devns") == 0);
}

static void ack_error_without_message(void)
{
	char text[DEVNS_NL_ERRMSG_LEN];
	int err;

	EXPECT(devns_parse_ack(error_msg(-EPERM, true, NULL), &err, text,
			       sizeof(text)) == 0);
	EXPECT(err == -EPERM && text[0] == '\0');
}

static void ack_success(void)
{
	char text[DEVNS_NL_ERRMSG_LEN];
	int err;

	EXPECT(devns_parse_ack(error_msg(0, true, NULL), &err, text,
			       sizeof(text)) == 0);
	EXPECT(err == 0 && text[0] == '\0');
}

static void ack_missing_attribute(void)
{
	char text[DEVNS_NL_ERRMSG_LEN];
	int err;

	error_msg(-EINVAL, true, NULL);
	nlmsg_hdr(msg)->nlmsg_flags |= NLM_F_ACK_TLVS;
	nla_put_u32(msg, NLMSGERR_ATTR_MISS_TYPE, DEVNS_A_PID);
	EXPECT(devns_parse_ack(nlmsg_hdr(msg), &err, text, sizeof(text)) == 0);
	EXPECT(err == -EINVAL);
	EXPECT(strcmp(text, "missing attribute 3") == 0);
}

static void ack_message_truncated_to_buffer(void)
{
	char text[8];
	int err;

	EXPECT(devns_parse_ack(error_msg(-EINVAL, true, "tag too long"), &err,
			       text, sizeof(text)) == 0);
	EXPECT(strcmp(text, "tag too") == 0);
}

static void ack_message_unterminated(void)
{
	char text[DEVNS_NL_ERRMSG_LEN];
	int err;

	error_msg(-EINVAL, true, NULL);
	nlmsg_hdr(msg)->nlmsg_flags |= NLM_F_ACK_TLVS;
	nla_put(msg, NLMSGERR_ATTR_MSG, 3, "bad");
	EXPECT(devns_parse_ack(nlmsg_hdr(msg), &err, text, sizeof(text)) == 0);
	EXPECT(err == -EINVAL && text[0] == '\0');
}

static void ack_truncated(void)
{
	char text[DEVNS_NL_ERRMSG_LEN];
	int err;

	nlmsg_free(msg);
	msg = nlmsg_alloc();
	nlmsg_put(msg, 0, 1, NLMSG_ERROR, 2, 0);
	EXPECT(devns_parse_ack(nlmsg_hdr(msg), &err, text, sizeof(text)) ==
	       -EBADMSG);
}

static struct nlmsghdr *done_msg(int error, const char *text)
{
	nlmsg_free(msg);
	msg = nlmsg_alloc();
	nlmsg_put(msg, 0, 1, NLMSG_DONE, 0,
		  NLM_F_MULTI | (text ? NLM_F_ACK_TLVS : 0));
	nlmsg_append(msg, &error, sizeof(error), NLMSG_ALIGNTO);
	if (text)
		nla_put_string(msg, NLMSGERR_ATTR_MSG, text);
	return nlmsg_hdr(msg);
}

static void ack_done(void)
{
	char text[DEVNS_NL_ERRMSG_LEN];
	int err;

	EXPECT(devns_parse_ack(done_msg(0, NULL), &err, text, sizeof(text)) == 0);
	EXPECT(err == 0);
	EXPECT(devns_parse_ack(done_msg(-EPERM, "only the root devns may dump"),
			       &err, text, sizeof(text)) == 0);
	EXPECT(err == -EPERM);
	EXPECT(strcmp(text, "only the root devns may dump") == 0);
}

static void ack_other_type(void)
{
	char text[DEVNS_NL_ERRMSG_LEN];
	int err;

	genl(DEVNS_CMD_GET);
	EXPECT(devns_parse_ack(nlmsg_hdr(msg), &err, text, sizeof(text)) ==
	       -EBADMSG);
}

int main(void)
{
	RUN(info_all_attributes);
	RUN(info_only_id);
	RUN(info_missing_id);
	RUN(info_id_wrong_length);
	RUN(info_tag_longest);
	RUN(info_tag_too_long);
	RUN(info_tag_unterminated);
	RUN(info_tag_nul_padded);
	RUN(info_flag_with_payload);
	RUN(info_u64_as_u32);
	RUN(info_unknown_attribute_ignored);
	RUN(info_truncated_header);
	RUN(info_truncated_attribute);
	RUN(stats_all_attributes);
	RUN(stats_empty_nest);
	RUN(stats_missing);
	RUN(stats_not_nested);
	RUN(stats_inner_wrong_length);
	RUN(stats_subsys_without_name);
	RUN(stats_subsys_name_too_long);
	RUN(stats_too_many_subsys);
	RUN(hotkeys_table);
	RUN(hotkeys_empty);
	RUN(hotkeys_rejected);
	RUN(hotkeys_slot_wrong_length);
	RUN(hotkeys_too_many);
	RUN(event_new);
	RUN(event_del);
	RUN(event_switched);
	RUN(event_switched_missing_prev);
	RUN(event_hotkey);
	RUN(event_new_missing_id);
	RUN(event_unknown_command);
	RUN(ack_error_with_message);
	RUN(ack_error_uncapped);
	RUN(ack_error_without_message);
	RUN(ack_success);
	RUN(ack_missing_attribute);
	RUN(ack_message_truncated_to_buffer);
	RUN(ack_message_unterminated);
	RUN(ack_truncated);
	RUN(ack_done);
	RUN(ack_other_type);
	nlmsg_free(msg);
	return check_done();
}
