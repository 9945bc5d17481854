/*
 * A raw generic netlink client of the devns family for the test programs
 * that build what a client library would not (forged events, pidfds): one
 * socket, requests built attribute by attribute, replies and acks read back.
 */
#ifndef NL_RAW_H
#define NL_RAW_H

#include <errno.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/devns.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

struct nl_req {
	struct nlmsghdr nlh;
	struct genlmsghdr genl;
	char attrs[1024];
};

/* What a reply says of a devns (-1/"" for what it left out). */
struct nl_ns {
	long id, pid;
	char tag[DEVNS_TAG_LEN];
	int active;
};

static int nl_sock = -1;
static uint16_t nl_family;
static uint32_t nl_events_group;
static uint32_t nl_seq;

#define nl_for_each_attr(a, start, len)					\
	for (struct nlattr *a = (struct nlattr *)(start);		\
	     (len) >= (int)NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&	\
	     (int)a->nla_len <= (len);					\
	     (len) -= NLA_ALIGN(a->nla_len),				\
	     a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len)))

static inline void *nl_attr_data(struct nlattr *a)
{
	return (char *)a + NLA_HDRLEN;
}

static inline void nl_begin(struct nl_req *r, uint16_t type, uint8_t cmd)
{
	memset(r, 0, sizeof(*r));
	r->nlh.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	r->nlh.nlmsg_type = type;
	r->nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	r->nlh.nlmsg_seq = ++nl_seq;
	r->genl.cmd = cmd;
	r->genl.version = DEVNS_GENL_VERSION;
}

static inline void nl_put(struct nl_req *r, uint16_t type, const void *data, size_t len)
{
	struct nlattr *a = (struct nlattr *)((char *)r + NLMSG_ALIGN(r->nlh.nlmsg_len));

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy(nl_attr_data(a), data, len);
	r->nlh.nlmsg_len = NLMSG_ALIGN(r->nlh.nlmsg_len) + NLA_ALIGN(a->nla_len);
}

static inline void nl_put_u32(struct nl_req *r, uint16_t type, uint32_t v)
{
	nl_put(r, type, &v, sizeof(v));
}

/* Reads a devns out of the attributes of a reply or event. */
static inline void nl_parse_ns(struct nlmsghdr *h, struct nl_ns *ns)
{
	int len = h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);

	ns->id = ns->pid = -1;
	ns->tag[0] = '\0';
	ns->active = 0;
	nl_for_each_attr(a, (char *)NLMSG_DATA(h) + GENL_HDRLEN, len) {
		if (a->nla_type == DEVNS_A_ID)
			ns->id = *(uint32_t *)nl_attr_data(a);
		else if (a->nla_type == DEVNS_A_PID)
			ns->pid = *(uint32_t *)nl_attr_data(a);
		else if (a->nla_type == DEVNS_A_TAG)
			snprintf(ns->tag, sizeof(ns->tag), "%s", (char *)nl_attr_data(a));
		else if (a->nla_type == DEVNS_A_ACTIVE)
			ns->active = 1;
	}
}

/*
 * Sends @r and reads to its ack: returns 0 or -errno, the ack's message in
 * @msg and the devns of a reply, if any, in @ns (either may be NULL).
 */
static inline int nl_transact(struct nl_req *r, char *msg, size_t msglen, struct nl_ns *ns)
{
	char buf[8192];
	ssize_t n;

	if (msg)
		msg[0] = '\0';
	if (send(nl_sock, r, r->nlh.nlmsg_len, 0) < 0)
		return -errno;
	for (;;) {
		n = recv(nl_sock, buf, sizeof(buf), 0);
		if (n < 0)
			return -errno;
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, n);
		     h = NLMSG_NEXT(h, n)) {
			struct nlmsgerr *e = NLMSG_DATA(h);
			size_t off;
			int len;

			if (h->nlmsg_seq != r->nlh.nlmsg_seq)
				continue;
			if (h->nlmsg_type != NLMSG_ERROR) {
				if (ns)
					nl_parse_ns(h, ns);
				continue;
			}
			off = sizeof(*e);
			if (!(h->nlmsg_flags & NLM_F_CAPPED))
				off += e->msg.nlmsg_len - sizeof(e->msg);
			len = (int)h->nlmsg_len - (int)NLMSG_ALIGN(NLMSG_HDRLEN + off);
			nl_for_each_attr(a, (char *)e + NLA_ALIGN(off), len)
				if (a->nla_type == NLMSGERR_ATTR_MSG && msg)
					snprintf(msg, msglen, "%s", (char *)nl_attr_data(a));
			return e->error;
		}
	}
}

/* Opens the socket and finds the family and its events group. */
static inline void nl_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	char buf[8192];
	struct nl_req r;
	int one = 1, len;
	ssize_t n;

	nl_sock = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (nl_sock < 0 || bind(nl_sock, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("netlink socket");
		exit(2);
	}
	setsockopt(nl_sock, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(nl_sock, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));

	nl_begin(&r, GENL_ID_CTRL, CTRL_CMD_GETFAMILY);
	r.nlh.nlmsg_flags = NLM_F_REQUEST;
	r.genl.version = 1;
	nl_put(&r, CTRL_ATTR_FAMILY_NAME, DEVNS_GENL_NAME, sizeof(DEVNS_GENL_NAME));
	if (send(nl_sock, &r, r.nlh.nlmsg_len, 0) < 0 ||
	    (n = recv(nl_sock, buf, sizeof(buf), 0)) < 0) {
		perror("netlink");
		exit(2);
	}
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	if (h->nlmsg_type == NLMSG_ERROR) {
		fprintf(stderr, "family %s not found\n", DEVNS_GENL_NAME);
		exit(2);
	}
	len = h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
	nl_for_each_attr(a, (char *)NLMSG_DATA(h) + GENL_HDRLEN, len) {
		if (a->nla_type == CTRL_ATTR_FAMILY_ID)
			nl_family = *(uint16_t *)nl_attr_data(a);
		if (a->nla_type != CTRL_ATTR_MCAST_GROUPS)
			continue;
		int glen = a->nla_len - NLA_HDRLEN;
		nl_for_each_attr(g, nl_attr_data(a), glen) {
			int flen = g->nla_len - NLA_HDRLEN;
			uint32_t id = 0;
			int match = 0;

			nl_for_each_attr(f, nl_attr_data(g), flen) {
				if (f->nla_type == CTRL_ATTR_MCAST_GRP_ID)
					id = *(uint32_t *)nl_attr_data(f);
				if (f->nla_type == CTRL_ATTR_MCAST_GRP_NAME)
					match = !strcmp(nl_attr_data(f), DEVNS_GENL_MCGRP_EVENTS);
			}
			if (match)
				nl_events_group = id;
		}
	}
}

#endif /* NL_RAW_H */
