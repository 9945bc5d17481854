/*
 * What a process with CAP_NET_ADMIN can do to the devns "events" multicast
 * group, and what a listener of it sees:
 *
 *   nl-forge send hotkey SLOT      send a forged HOTKEY event to the group
 *   nl-forge send switched ID      send a forged SWITCHED event (to ID from 0)
 *   nl-forge join                  join the group
 *   nl-forge listen COUNT SECONDS  join it and print each message,
 *                                  "port=P cmd=C", until COUNT or SECONDS
 *
 * Prints "sent", "joined" or "refused: <error>"; exits 0 if the action
 * succeeded, 1 if it was refused, 2 on other errors.
 */
#include <poll.h>
#include <time.h>
#include "nl-raw.h"

static int forge(const char *what, uint32_t arg)
{
	struct sockaddr_nl dst = { .nl_family = AF_NETLINK };
	struct nl_req r;

	if (!nl_events_group || nl_events_group > 32) {
		/* sendto() can only address groups 1 to 32. */
		fprintf(stderr, "events group %u cannot be addressed\n", nl_events_group);
		return 2;
	}
	dst.nl_groups = 1u << (nl_events_group - 1);
	if (!strcmp(what, "hotkey")) {
		nl_begin(&r, nl_family, DEVNS_CMD_HOTKEY);
		nl_put_u32(&r, DEVNS_A_SLOT, arg);
	} else if (!strcmp(what, "switched")) {
		nl_begin(&r, nl_family, DEVNS_CMD_SWITCHED);
		nl_put_u32(&r, DEVNS_A_ID, arg);
		nl_put_u32(&r, DEVNS_A_PID, 1);
		nl_put(&r, DEVNS_A_TAG, "forged", 7);
		nl_put_u32(&r, DEVNS_A_PREV_ID, 0);
		nl_put_u32(&r, DEVNS_A_REASON, DEVNS_REASON_REQUEST);
	} else {
		return 2;
	}
	r.nlh.nlmsg_flags = 0;	/* an event: no request, no ack */
	if (sendto(nl_sock, &r, r.nlh.nlmsg_len, 0, (struct sockaddr *)&dst,
		   sizeof(dst)) < 0) {
		printf("refused: %s\n", strerror(errno));
		return 1;
	}
	printf("sent\n");
	return 0;
}

static int join(void)
{
	if (setsockopt(nl_sock, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
		       &nl_events_group, sizeof(nl_events_group)) < 0) {
		printf("refused: %s\n", strerror(errno));
		return 1;
	}
	printf("joined\n");
	return 0;
}

static int listen_group(int count, int seconds)
{
	struct pollfd pfd = { .fd = nl_sock, .events = POLLIN };
	time_t end = time(NULL) + seconds;
	char buf[8192];

	if (join())
		return 1;
	fflush(stdout);
	while (count > 0 && time(NULL) < end) {
		struct sockaddr_nl src;
		socklen_t srclen = sizeof(src);
		ssize_t n;

		if (poll(&pfd, 1, 1000) <= 0)
			continue;
		n = recvfrom(nl_sock, buf, sizeof(buf), 0, (struct sockaddr *)&src, &srclen);
		if (n < 0)
			return 2;
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, n) && count > 0;
		     h = NLMSG_NEXT(h, n), count--) {
			struct genlmsghdr *g = NLMSG_DATA(h);

			printf("port=%u cmd=%u\n", src.nl_pid, g->cmd);
			fflush(stdout);
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	nl_open();
	if (argc == 4 && !strcmp(argv[1], "send"))
		return forge(argv[2], strtoul(argv[3], NULL, 10));
	if (argc == 2 && !strcmp(argv[1], "join"))
		return join();
	if (argc == 4 && !strcmp(argv[1], "listen"))
		return listen_group(atoi(argv[2]), atoi(argv[3]));
	fprintf(stderr, "usage: nl-forge send hotkey SLOT | send switched ID | join | listen COUNT SECONDS\n");
	return 2;
}
