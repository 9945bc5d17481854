/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Internal to libdevns: what requests and the monitor share. */
#ifndef LIBDEVNS_NL_COMMON_H
#define LIBDEVNS_NL_COMMON_H

struct nl_sock;

/* A connected generic netlink socket with extended acks, and the family id. */
int devns_sock_open(struct nl_sock **out, int *family);
/* A libnl error code (negative) as -errno. */
int devns_nlerr_to_errno(int nlerr);

#endif
