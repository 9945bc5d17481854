/*
 * Sends malformed and invalid requests to the devns generic netlink family
 * over a raw socket (a client library would refuse to build them) and checks
 * that each is refused with the expected errno and an extended-ack message,
 * and that the registry is unchanged afterwards.
 *
 * Usage: nl-malformed PERSONA_ID PERSONA_PID
 * Prints "PASS name" / "FAIL name: why" lines; exits 1 if any failed.
 */
#include <errno.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/devns.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

struct req {
	struct nlmsghdr nlh;
	struct genlmsghdr genl;
	char attrs[1024];
};

static int sock;
static uint16_t family;
static uint32_t seq;
static int failures;

static void begin(struct req *r, uint16_t type, uint8_t cmd)
{
	memset(r, 0, sizeof(*r));
	r->nlh.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	r->nlh.nlmsg_type = type;
	r->nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	r->nlh.nlmsg_seq = ++seq;
	r->genl.cmd = cmd;
	r->genl.version = DEVNS_GENL_VERSION;
}

static void put(struct req *r, uint16_t type, const void *data, size_t len)
{
	struct nlattr *a = (struct nlattr *)((char *)r + NLMSG_ALIGN(r->nlh.nlmsg_len));

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy((char *)a + NLA_HDRLEN, data, len);
	r->nlh.nlmsg_len = NLMSG_ALIGN(r->nlh.nlmsg_len) + NLA_ALIGN(a->nla_len);
}

static void put_u32(struct req *r, uint16_t type, uint32_t v)
{
	put(r, type, &v, sizeof(v));
}

/* Sends @r; returns 0 or -errno from the kernel's ack, with its message. */
static int transact(struct req *r, char *msg, size_t msglen)
{
	char buf[8192];
	ssize_t n;

	msg[0] = '\0';
	if (send(sock, r, r->nlh.nlmsg_len, 0) < 0) {
		perror("send");
		exit(2);
	}
	for (;;) {
		n = recv(sock, buf, sizeof(buf), 0);
		if (n < 0) {
			perror("recv");
			exit(2);
		}
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, n);
		     h = NLMSG_NEXT(h, n)) {
			struct nlmsgerr *e = NLMSG_DATA(h);
			size_t off;

			if (h->nlmsg_seq != r->nlh.nlmsg_seq || h->nlmsg_type != NLMSG_ERROR)
				continue;
			off = sizeof(*e);
			if (!(h->nlmsg_flags & NLM_F_CAPPED))
				off += e->msg.nlmsg_len - sizeof(e->msg);
			for (struct nlattr *a = (struct nlattr *)((char *)e + NLA_ALIGN(off));
			     (char *)a + NLA_HDRLEN <= (char *)h + h->nlmsg_len && a->nla_len >= NLA_HDRLEN;
			     a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len)))
				if (a->nla_type == NLMSGERR_ATTR_MSG)
					snprintf(msg, msglen, "%s", (char *)a + NLA_HDRLEN);
			return e->error;
		}
	}
}

static void resolve_family(void)
{
	struct req r;
	char buf[8192];
	ssize_t n;

	begin(&r, GENL_ID_CTRL, CTRL_CMD_GETFAMILY);
	r.nlh.nlmsg_flags = NLM_F_REQUEST;
	r.genl.version = 1;
	put(&r, CTRL_ATTR_FAMILY_NAME, DEVNS_GENL_NAME, sizeof(DEVNS_GENL_NAME));
	if (send(sock, &r, r.nlh.nlmsg_len, 0) < 0 || (n = recv(sock, buf, sizeof(buf), 0)) < 0) {
		perror("netlink");
		exit(2);
	}
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	if (h->nlmsg_type == NLMSG_ERROR) {
		fprintf(stderr, "family %s not found\n", DEVNS_GENL_NAME);
		exit(2);
	}
	int len = h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
	for (struct nlattr *a = (struct nlattr *)((char *)NLMSG_DATA(h) + GENL_HDRLEN);
	     len >= NLA_HDRLEN; len -= NLA_ALIGN(a->nla_len),
	     a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len)))
		if (a->nla_type == CTRL_ATTR_FAMILY_ID)
			family = *(uint16_t *)((char *)a + NLA_HDRLEN);
}

/* A fingerprint of the registry: every devns's id, tag and activity, in order. */
static void snapshot(char *out, size_t len)
{
	struct req r;
	char buf[32768];
	size_t used = 0;
	bool done = false;

	begin(&r, family, DEVNS_CMD_GET);
	r.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	send(sock, &r, r.nlh.nlmsg_len, 0);
	out[0] = '\0';
	while (!done) {
		ssize_t n = recv(sock, buf, sizeof(buf), 0);

		if (n <= 0)
			break;
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, n);
		     h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR) {
				done = true;
				break;
			}
			int alen = h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
			for (struct nlattr *a = (struct nlattr *)((char *)NLMSG_DATA(h) + GENL_HDRLEN);
			     alen >= NLA_HDRLEN; alen -= NLA_ALIGN(a->nla_len),
			     a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len))) {
				void *d = (char *)a + NLA_HDRLEN;

				if (a->nla_type == DEVNS_A_ID)
					used += snprintf(out + used, len - used, "id=%u ", *(uint32_t *)d);
				else if (a->nla_type == DEVNS_A_TAG)
					used += snprintf(out + used, len - used, "tag=%s ", (char *)d);
				else if (a->nla_type == DEVNS_A_ACTIVE)
					used += snprintf(out + used, len - used, "active ");
				if (used >= len)
					used = len - 1;
			}
		}
	}
}

/* The hotkey table as hex, to compare before and after. */
static void snapshot_hotkeys(char *out, size_t len)
{
	struct req r;
	char buf[8192];
	ssize_t n;
	size_t o = 0;

	begin(&r, family, DEVNS_CMD_GET_HOTKEYS);
	r.nlh.nlmsg_flags = NLM_F_REQUEST;
	send(sock, &r, r.nlh.nlmsg_len, 0);
	n = recv(sock, buf, sizeof(buf), 0);
	out[0] = '\0';
	for (ssize_t i = NLMSG_LENGTH(GENL_HDRLEN); i < n && o + 3 < len; i++, o += 2)
		sprintf(out + o, "%02x", (unsigned char)buf[i]);
}

/* Expects @r to be refused with -@err (0: any error) and a message. */
static void expect(const char *name, struct req *r, int err, bool need_msg)
{
	char before[4096], after[4096], hk_before[4096], hk_after[4096], msg[512];
	int got;

	snapshot(before, sizeof(before));
	snapshot_hotkeys(hk_before, sizeof(hk_before));
	got = transact(r, msg, sizeof(msg));
	snapshot(after, sizeof(after));
	snapshot_hotkeys(hk_after, sizeof(hk_after));

	if (got == 0 || (err && got != -err)) {
		printf("FAIL %s: got %d (%s), wanted %d\n", name, got,
		       got ? strerror(-got) : "success", -err);
		failures++;
	} else if (need_msg && !msg[0]) {
		printf("FAIL %s: error %s carries no extended-ack message\n", name, strerror(-got));
		failures++;
	} else if (strcmp(before, after) || strcmp(hk_before, hk_after)) {
		printf("FAIL %s: state changed: [%s] -> [%s]\n", name, before, after);
		failures++;
	} else {
		printf("PASS %s (%s: %s)\n", name, strerror(-got), msg);
	}
}

int main(int argc, char **argv)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	uint32_t persona_id, persona_pid;
	char long_tag[64], msg[256];
	int one = 1;
	struct req r;

	if (argc != 3) {
		fprintf(stderr, "usage: %s PERSONA_ID PERSONA_PID\n", argv[0]);
		return 2;
	}
	persona_id = strtoul(argv[1], NULL, 10);
	persona_pid = strtoul(argv[2], NULL, 10);

	sock = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (sock < 0 || bind(sock, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("netlink socket");
		return 2;
	}
	setsockopt(sock, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(sock, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	resolve_family();

	begin(&r, family, DEVNS_CMD_CREATE);
	expect("create-without-pid", &r, EINVAL, true);

	begin(&r, family, DEVNS_CMD_SWITCH);
	expect("switch-without-target", &r, EINVAL, true);

	begin(&r, family, DEVNS_CMD_SWITCH);
	put(&r, DEVNS_A_ID, "\x01", 1);
	expect("switch-id-wrong-size-u8", &r, EINVAL, true);

	begin(&r, family, DEVNS_CMD_SWITCH);
	put(&r, DEVNS_A_ID, "\x01\0\0\0\0\0\0\0", 8);
	expect("switch-id-wrong-size-u64", &r, 0, true);

	begin(&r, family, DEVNS_CMD_SWITCH);
	put_u32(&r, DEVNS_A_ID, DEVNS_MAX_ID + 1);
	expect("switch-id-out-of-range", &r, ERANGE, true);

	begin(&r, family, DEVNS_CMD_SWITCH);
	put_u32(&r, DEVNS_A_ID, 200);
	expect("switch-unknown-id", &r, ENOENT, true);

	begin(&r, family, DEVNS_CMD_SWITCH);
	put_u32(&r, DEVNS_A_PID, 4000000);
	expect("switch-unknown-pid", &r, ESRCH, true);

	begin(&r, family, DEVNS_CMD_SWITCH);
	put_u32(&r, DEVNS_A_PID, 0);
	expect("switch-pid-zero", &r, ERANGE, true);

	begin(&r, family, DEVNS_CMD_SWITCH);
	put_u32(&r, DEVNS_A_ID, persona_id);
	put_u32(&r, DEVNS_A_PID, persona_pid);
	expect("switch-id-and-pid", &r, EINVAL, true);

	begin(&r, family, DEVNS_CMD_SWITCH);
	put_u32(&r, DEVNS_A_PID, persona_pid);
	put_u32(&r, DEVNS_A_PIDFD, 0);
	expect("switch-pid-and-pidfd", &r, EINVAL, true);

	begin(&r, family, DEVNS_CMD_SWITCH);
	put_u32(&r, DEVNS_A_PIDFD, 1000000);
	expect("switch-pidfd-not-open", &r, EBADF, true);

	begin(&r, family, DEVNS_CMD_SWITCH);
	put_u32(&r, DEVNS_A_PIDFD, sock);
	expect("switch-pidfd-not-a-pidfd", &r, EBADF, true);

	begin(&r, family, DEVNS_CMD_CREATE);
	put_u32(&r, DEVNS_A_ID, persona_id);
	expect("create-by-id", &r, EINVAL, true);

	begin(&r, family, DEVNS_CMD_SWITCH);
	put_u32(&r, DEVNS_A_ID, persona_id);
	put_u32(&r, DEVNS_A_SLOT, 1);
	expect("switch-unknown-attribute", &r, 0, true);

	memset(long_tag, 'x', sizeof(long_tag));
	long_tag[40] = '\0';
	begin(&r, family, DEVNS_CMD_SET_TAG);
	put_u32(&r, DEVNS_A_ID, persona_id);
	put(&r, DEVNS_A_TAG, long_tag, 41);
	expect("tag-oversize", &r, EINVAL, true);

	begin(&r, family, DEVNS_CMD_SET_TAG);
	put_u32(&r, DEVNS_A_ID, persona_id);
	put(&r, DEVNS_A_TAG, "abcd", 4);
	expect("tag-not-nul-terminated", &r, EINVAL, true);

	begin(&r, family, DEVNS_CMD_SET_TAG);
	put_u32(&r, DEVNS_A_ID, persona_id);
	put(&r, DEVNS_A_TAG, "a b", 4);
	expect("tag-bad-characters", &r, EINVAL, true);

	begin(&r, family, DEVNS_CMD_SET_TAG);
	put_u32(&r, DEVNS_A_ID, persona_id);
	put(&r, DEVNS_A_TAG, "", 1);
	expect("tag-empty", &r, EINVAL, true);

	begin(&r, family, DEVNS_CMD_SET_TAG);
	put_u32(&r, DEVNS_A_ID, persona_id);
	expect("tag-missing", &r, EINVAL, true);

	begin(&r, family, DEVNS_CMD_CREATE);
	put_u32(&r, DEVNS_A_PID, 1);
	expect("create-root-pid-namespace", &r, EINVAL, true);

	begin(&r, family, DEVNS_CMD_CREATE);
	put_u32(&r, DEVNS_A_PID, persona_pid);
	expect("create-already-registered", &r, EEXIST, true);

	begin(&r, family, DEVNS_CMD_DESTROY);
	put_u32(&r, DEVNS_A_ID, DEVNS_ROOT_ID);
	expect("destroy-root", &r, EINVAL, true);

	begin(&r, family, DEVNS_CMD_DESTROY);
	put_u32(&r, DEVNS_A_ID, 201);
	expect("destroy-unknown-id", &r, ENOENT, true);

	begin(&r, family, DEVNS_CMD_GET_STATS);
	put_u32(&r, DEVNS_A_ID, 1);
	expect("stats-with-attribute", &r, 0, true);

	begin(&r, family, 200);
	expect("unknown-command", &r, EOPNOTSUPP, false);

	/* Hotkeys: each bad entry must leave the whole table as it was. */
	{
		char nest[64];
		struct nlattr *a;
		uint16_t keys[5] = { 125, 59, 60, 61, 62 };
		uint32_t slot;
		size_t o;

#define HOTKEY(name, slotv, keyp, keylen, err)				\
		do {							\
			o = 0;						\
			slot = (slotv);					\
			a = (struct nlattr *)nest;			\
			a->nla_type = DEVNS_HOTKEY_A_SLOT;		\
			a->nla_len = NLA_HDRLEN + 4;			\
			memcpy(nest + NLA_HDRLEN, &slot, 4);		\
			o = NLA_ALIGN(a->nla_len);			\
			a = (struct nlattr *)(nest + o);		\
			a->nla_type = DEVNS_HOTKEY_A_KEYS;		\
			a->nla_len = NLA_HDRLEN + (keylen);		\
			memcpy(nest + o + NLA_HDRLEN, (keyp), (keylen));\
			o += NLA_ALIGN(a->nla_len);			\
			begin(&r, family, DEVNS_CMD_SET_HOTKEYS);	\
			put(&r, DEVNS_A_HOTKEY | NLA_F_NESTED, nest, o);\
			expect(name, &r, err, true);			\
		} while (0)

		HOTKEY("hotkey-slot-out-of-range", 40, keys, 4, ERANGE);
		HOTKEY("hotkey-odd-key-length", 1, keys, 3, EINVAL);
		HOTKEY("hotkey-too-many-keys", 1, keys, 10, ERANGE);
		HOTKEY("hotkey-key-zero", 1, "\0\0\0\0", 4, EINVAL);
		HOTKEY("hotkey-key-beyond-max", 1, "\xff\xff", 2, EINVAL);
#undef HOTKEY
		begin(&r, family, DEVNS_CMD_SET_HOTKEYS);
		put(&r, DEVNS_A_HOTKEY | NLA_F_NESTED, "\x08\0\x01\0\x01\0\0\0", 8);
		expect("hotkey-without-keys", &r, EINVAL, true);

		begin(&r, family, DEVNS_CMD_SET_HOTKEYS);
		put(&r, DEVNS_A_HOTKEYS_DEFAULT, NULL, 0);
		put(&r, DEVNS_A_HOTKEY | NLA_F_NESTED, "\x08\0\x01\0\x01\0\0\0", 8);
		expect("hotkey-default-and-list", &r, EINVAL, true);
	}

	/* A well-formed request still works afterwards. */
	begin(&r, family, DEVNS_CMD_GET);
	put_u32(&r, DEVNS_A_ID, persona_id);
	if (transact(&r, msg, sizeof(msg)) != 0) {
		printf("FAIL still-working: GET of persona %u failed\n", persona_id);
		failures++;
	} else {
		printf("PASS still-working\n");
	}
	return failures ? 1 : 0;
}
