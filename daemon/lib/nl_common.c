// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <netlink/netlink.h>
#include <netlink/errno.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#include "libdevns.h"
#include "nl_common.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

int devns_sock_open(struct nl_sock **out, int *family)
{
	struct nl_sock *sk = nl_socket_alloc();
	int one = 1;
	int err;

	if (!sk)
		return -ENOMEM;
	err = genl_connect(sk);
	if (err < 0) {
		err = devns_nlerr_to_errno(err);
		goto fail;
	}
	/*
	 * libnl 3.7 has no switch for extended acks: ask the kernel directly,
	 * and for capped acks so errors don't echo the request.
	 */
	if (setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_EXT_ACK,
		       &one, sizeof(one)) < 0 ||
	    setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_CAP_ACK,
		       &one, sizeof(one)) < 0) {
		err = -errno;
		goto fail;
	}
	*family = genl_ctrl_resolve(sk, DEVNS_GENL_NAME);
	if (*family < 0) {
		err = -ENOENT;	/* devns_core is not loaded */
		goto fail;
	}
	*out = sk;
	return 0;
fail:
	nl_socket_free(sk);
	return err;
}

int devns_nlerr_to_errno(int nlerr)
{
	switch (-nlerr) {
	case NLE_SUCCESS:
		return 0;
	case NLE_INTR:
		return -EINTR;
	case NLE_BAD_SOCK:
		return -EBADF;
	case NLE_AGAIN:
		return -EAGAIN;
	case NLE_NOMEM:
		/* libnl reports a netlink overrun (ENOBUFS) as NLE_NOMEM. */
		return errno == ENOBUFS ? -ENOBUFS : -ENOMEM;
	case NLE_EXIST:
		return -EEXIST;
	case NLE_INVAL:
		return -EINVAL;
	case NLE_RANGE:
		return -ERANGE;
	case NLE_MSGSIZE:
		return -EMSGSIZE;
	case NLE_OPNOTSUPP:
		return -EOPNOTSUPP;
	case NLE_OBJ_NOTFOUND:
		return -ENOENT;
	case NLE_PERM:
		return -EPERM;
	case NLE_BUSY:
		return -EBUSY;
	case NLE_NOACCESS:
		return -EACCES;
	case NLE_MSG_TRUNC:
	case NLE_MSG_TOOSHORT:
	case NLE_MSG_OVERFLOW:
	case NLE_PARSE_ERR:
	case NLE_SEQ_MISMATCH:
		return -EBADMSG;
	}
	return -EIO;
}
