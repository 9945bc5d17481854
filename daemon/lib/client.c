// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Requests to the devns family: one socket, one request at a time, each
 * answered by its replies and then an ack, an error or (dumps) NLMSG_DONE.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <netlink/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#include "libdevns.h"
#include "nl_common.h"

struct devns_nl {
	struct nl_sock *sk;
	int family;
	char errmsg[DEVNS_NL_ERRMSG_LEN];
};

typedef int (*reply_fn)(struct nlmsghdr *nlh, void *arg);

struct request {
	struct devns_nl *nl;
	reply_fn parse;
	void *arg;
	int err;
	bool done;
};

int devns_nl_open(struct devns_nl **out)
{
	struct devns_nl *nl = calloc(1, sizeof(*nl));
	int err;

	if (!nl)
		return -ENOMEM;
	err = devns_sock_open(&nl->sk, &nl->family);
	if (err) {
		free(nl);
		return err;
	}
	*out = nl;
	return 0;
}

void devns_nl_close(struct devns_nl *nl)
{
	if (!nl)
		return;
	nl_socket_free(nl->sk);
	free(nl);
}

const char *devns_nl_errmsg(const struct devns_nl *nl)
{
	return nl->errmsg;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct request *req = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	int err;

	if (nlh->nlmsg_type != req->nl->family || !req->parse)
		return NL_OK;
	err = req->parse(nlh, req->arg);
	if (err && !req->err)
		req->err = err;	/* keep reading until the request ends */
	return NL_OK;
}

static void end_request(struct request *req, struct nlmsghdr *nlh)
{
	int err;

	if (devns_parse_ack(nlh, &err, req->nl->errmsg,
			    sizeof(req->nl->errmsg)) < 0)
		err = -EBADMSG;
	if (err && !req->err)
		req->err = err;
	req->done = true;
}

static int on_finish(struct nl_msg *msg, void *arg)
{
	end_request(arg, nlmsg_hdr(msg));
	return NL_STOP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	end_request(arg, nlmsg_hdr(msg));
	return NL_STOP;
}

static int on_error(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	(void)who;
	/* libnl hands over the payload; the header sits just before it. */
	end_request(arg, (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN));
	return NL_STOP;
}

/* Sends msg (and frees it); feeds each reply to parse. */
static int request(struct devns_nl *nl, struct nl_msg *msg, reply_fn parse,
		   void *arg)
{
	struct request req = { .nl = nl, .parse = parse, .arg = arg };
	struct nl_cb *cb;
	int ret;

	nl->errmsg[0] = '\0';
	cb = nl_cb_alloc(NL_CB_CUSTOM);
	if (!cb) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &req);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, &req);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, &req);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, &req);

	ret = nl_send_auto(nl->sk, msg);
	nlmsg_free(msg);
	while (ret >= 0 && !req.done)
		ret = nl_recvmsgs(nl->sk, cb);
	nl_cb_put(cb);
	if (req.done)
		return req.err;
	return devns_nlerr_to_errno(ret);
}

static struct nl_msg *new_msg(struct devns_nl *nl, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (msg && !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
				flags, cmd, DEVNS_GENL_VERSION)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return msg;
}

/* A request naming one devns by attribute (DEVNS_A_ID or DEVNS_A_PID). */
static int simple(struct devns_nl *nl, uint8_t cmd, int attr, uint32_t value,
		  const char *tag, reply_fn parse, void *arg)
{
	struct nl_msg *msg = new_msg(nl, cmd, 0);

	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, attr, value) < 0 ||
	    (tag && nla_put_string(msg, DEVNS_A_TAG, tag) < 0)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return request(nl, msg, parse, arg);
}

struct info_list {
	struct devns_info *v;
	int n, cap;
};

static int add_info(struct nlmsghdr *nlh, void *arg)
{
	struct info_list *l = arg;
	int err;

	if (l->n == l->cap) {
		int cap = l->cap ? 2 * l->cap : 8;
		struct devns_info *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	err = devns_parse_info(nlh, &l->v[l->n]);
	if (!err)
		l->n++;
	return err;
}

int devns_nl_list(struct devns_nl *nl, struct devns_info **out)
{
	struct nl_msg *msg = new_msg(nl, DEVNS_CMD_GET, NLM_F_DUMP);
	struct info_list l = { 0 };
	int err;

	if (!msg)
		return -ENOMEM;
	err = request(nl, msg, add_info, &l);
	if (err) {
		free(l.v);
		return err;
	}
	*out = l.v;
	return l.n;
}

/* A reply carrying one devns; -EBADMSG if the kernel sent none. */
struct one_info {
	struct devns_info *info;
	bool seen;
};

static int set_info(struct nlmsghdr *nlh, void *arg)
{
	struct one_info *o = arg;

	o->seen = true;
	return devns_parse_info(nlh, o->info);
}

static int get_one(struct devns_nl *nl, uint8_t cmd, int attr, uint32_t value,
		   const char *tag, struct devns_info *out)
{
	struct devns_info scratch;
	struct one_info o = { .info = out ? out : &scratch };
	int err = simple(nl, cmd, attr, value, tag, set_info, &o);

	if (!err && !o.seen)
		err = -EBADMSG;
	return err;
}

int devns_nl_get(struct devns_nl *nl, uint32_t id, struct devns_info *out)
{
	return get_one(nl, DEVNS_CMD_GET, DEVNS_A_ID, id, NULL, out);
}

int devns_nl_get_by_pid(struct devns_nl *nl, uint32_t pid,
			struct devns_info *out)
{
	return get_one(nl, DEVNS_CMD_GET, DEVNS_A_PID, pid, NULL, out);
}

int devns_nl_create(struct devns_nl *nl, uint32_t pid, const char *tag,
		    struct devns_info *out)
{
	return get_one(nl, DEVNS_CMD_CREATE, DEVNS_A_PID, pid, tag, out);
}

/*
 * An old devns_core knows no DEVNS_A_PIDFD: its strict policy refuses
 * attributes past its last with EINVAL, "Unknown attribute type".
 */
static int pidfd_request(struct devns_nl *nl, uint8_t cmd, int pidfd,
			 const char *tag, struct devns_info *out)
{
	int err;

	if (pidfd < 0)
		return -EBADF;
	err = out ? get_one(nl, cmd, DEVNS_A_PIDFD, pidfd, tag, out)
		  : simple(nl, cmd, DEVNS_A_PIDFD, pidfd, tag, NULL, NULL);
	if (err == -EINVAL && strstr(nl->errmsg, "Unknown attribute type"))
		err = -EOPNOTSUPP;
	return err;
}

int devns_nl_get_by_pidfd(struct devns_nl *nl, int pidfd,
			  struct devns_info *out)
{
	struct devns_info scratch;

	return pidfd_request(nl, DEVNS_CMD_GET, pidfd, NULL,
			     out ? out : &scratch);
}

int devns_nl_create_by_pidfd(struct devns_nl *nl, int pidfd, const char *tag,
			     struct devns_info *out)
{
	struct devns_info scratch;

	return pidfd_request(nl, DEVNS_CMD_CREATE, pidfd, tag,
			     out ? out : &scratch);
}

int devns_nl_switch_to_pidfd(struct devns_nl *nl, int pidfd)
{
	return pidfd_request(nl, DEVNS_CMD_SWITCH, pidfd, NULL, NULL);
}

int devns_nl_destroy(struct devns_nl *nl, uint32_t id)
{
	return simple(nl, DEVNS_CMD_DESTROY, DEVNS_A_ID, id, NULL, NULL, NULL);
}

int devns_nl_switch(struct devns_nl *nl, uint32_t id)
{
	return simple(nl, DEVNS_CMD_SWITCH, DEVNS_A_ID, id, NULL, NULL, NULL);
}

int devns_nl_switch_to_pid(struct devns_nl *nl, uint32_t pid)
{
	return simple(nl, DEVNS_CMD_SWITCH, DEVNS_A_PID, pid, NULL, NULL, NULL);
}

int devns_nl_set_tag(struct devns_nl *nl, uint32_t id, const char *tag)
{
	return simple(nl, DEVNS_CMD_SET_TAG, DEVNS_A_ID, id, tag, NULL, NULL);
}

static int set_stats(struct nlmsghdr *nlh, void *arg)
{
	return devns_parse_stats(nlh, arg);
}

int devns_nl_get_stats(struct devns_nl *nl, struct devns_stats *out)
{
	struct nl_msg *msg = new_msg(nl, DEVNS_CMD_GET_STATS, 0);

	if (!msg)
		return -ENOMEM;
	memset(out, 0, sizeof(*out));
	return request(nl, msg, set_stats, out);
}

static int add_hotkeys(struct nlmsghdr *nlh, void *arg)
{
	return devns_parse_hotkeys(nlh, arg);
}

int devns_nl_get_hotkeys(struct devns_nl *nl, struct devns_hotkeys *out)
{
	struct nl_msg *msg = new_msg(nl, DEVNS_CMD_GET_HOTKEYS, 0);

	if (!msg)
		return -ENOMEM;
	out->n = 0;
	return request(nl, msg, add_hotkeys, out);
}

static int put_hotkey(struct nl_msg *msg, const struct devns_hotkey *hk)
{
	struct nlattr *nest;

	if (hk->n_keys > DEVNS_HOTKEY_KEYS_MAX)
		return -EINVAL;
	nest = nla_nest_start(msg, DEVNS_A_HOTKEY | NLA_F_NESTED);
	if (!nest || nla_put_u32(msg, DEVNS_HOTKEY_A_SLOT, hk->slot) < 0 ||
	    nla_put(msg, DEVNS_HOTKEY_A_KEYS, hk->n_keys * sizeof(hk->keys[0]),
		    hk->keys) < 0)
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

int devns_nl_set_hotkeys(struct devns_nl *nl, const struct devns_hotkeys *hk)
{
	struct nl_msg *msg = new_msg(nl, DEVNS_CMD_SET_HOTKEYS, 0);

	if (!msg)
		return -ENOMEM;
	if (hk->n > DEVNS_HOTKEYS_MAX) {
		nlmsg_free(msg);
		return -EINVAL;
	}
	for (unsigned int i = 0; i < hk->n; i++) {
		int err = put_hotkey(msg, &hk->hk[i]);

		if (err) {
			nlmsg_free(msg);
			return err;
		}
	}
	return request(nl, msg, NULL, NULL);
}

int devns_nl_reset_hotkeys(struct devns_nl *nl)
{
	struct nl_msg *msg = new_msg(nl, DEVNS_CMD_SET_HOTKEYS, 0);

	if (!msg)
		return -ENOMEM;
	if (nla_put_flag(msg, DEVNS_A_HOTKEYS_DEFAULT) < 0) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return request(nl, msg, NULL, NULL);
}
