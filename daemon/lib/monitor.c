// SPDX-License-Identifier: LGPL-2.1-or-later
/* Events of the devns "events" multicast group. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <netlink/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#include "libdevns.h"
#include "nl_common.h"

/* Room for a burst of events (e.g. every persona dying at unload). */
#define MONITOR_RCVBUF (256 * 1024)

struct devns_monitor {
	struct nl_sock *sk;
	struct nl_cb *cb;
	int family;
	devns_event_cb user_cb;
	void *user_data;
	int count;
};

static int on_event(struct nl_msg *msg, void *arg)
{
	struct devns_monitor *mon = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct devns_event ev;

	/*
	 * Only the kernel sends events (port id 0); a process with
	 * CAP_NET_ADMIN may send to the group too, and its messages are
	 * dropped.  Malformed or unknown events are skipped, not fatal.
	 */
	if (nlmsg_get_src(msg)->nl_pid != 0)
		return NL_SKIP;
	if (nlh->nlmsg_type == mon->family && devns_parse_event(nlh, &ev) == 0) {
		mon->user_cb(&ev, mon->user_data);
		mon->count++;
	}
	return NL_OK;
}

/* Events are unsolicited: they carry no sequence number of ours. */
static int accept_any_seq(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

int devns_monitor_open(struct devns_monitor **out)
{
	struct devns_monitor *mon = calloc(1, sizeof(*mon));
	int err, grp;

	if (!mon)
		return -ENOMEM;
	err = devns_sock_open(&mon->sk, &mon->family);
	if (err)
		goto fail_free;
	grp = genl_ctrl_resolve_grp(mon->sk, DEVNS_GENL_NAME,
				    DEVNS_GENL_MCGRP_EVENTS);
	if (grp < 0) {
		err = -ENOENT;
		goto fail_sock;
	}
	err = nl_socket_add_membership(mon->sk, grp);
	if (!err)
		err = nl_socket_set_buffer_size(mon->sk, MONITOR_RCVBUF, 0);
	if (!err)
		err = nl_socket_set_nonblocking(mon->sk);
	if (err) {
		err = devns_nlerr_to_errno(err);
		goto fail_sock;
	}
	mon->cb = nl_cb_alloc(NL_CB_CUSTOM);
	if (!mon->cb) {
		err = -ENOMEM;
		goto fail_sock;
	}
	nl_cb_set(mon->cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, accept_any_seq, NULL);
	nl_cb_set(mon->cb, NL_CB_VALID, NL_CB_CUSTOM, on_event, mon);
	*out = mon;
	return 0;

fail_sock:
	nl_socket_free(mon->sk);
fail_free:
	free(mon);
	return err;
}

void devns_monitor_close(struct devns_monitor *mon)
{
	if (!mon)
		return;
	nl_cb_put(mon->cb);
	nl_socket_free(mon->sk);
	free(mon);
}

int devns_monitor_fd(const struct devns_monitor *mon)
{
	return nl_socket_get_fd(mon->sk);
}

int devns_monitor_dispatch(struct devns_monitor *mon, devns_event_cb cb,
			   void *data)
{
	struct pollfd pfd = { .fd = devns_monitor_fd(mon), .events = POLLIN };

	mon->user_cb = cb;
	mon->user_data = data;
	mon->count = 0;
	while (poll(&pfd, 1, 0) > 0) {
		int err = nl_recvmsgs(mon->sk, mon->cb);

		if (err < 0) {
			err = devns_nlerr_to_errno(err);
			if (err != -EAGAIN)
				return err;
			break;
		}
	}
	return mon->count;
}
