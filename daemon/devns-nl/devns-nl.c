// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * devns-nl: the devns generic netlink family from the command line, for
 * tests and scripts.  One line of key=value pairs per item; see usage().
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/pidfd.h>
#include <sys/wait.h>

#include "libdevns.h"

static const char *prog = "devns-nl";

static void usage(FILE *f)
{
	fprintf(f,
"usage: devns-nl COMMAND [ARGS]\n"
"\n"
"Talks to the devns_core generic netlink family directly.\n"
"\n"
"commands:\n"
"  list                    every devns, one line each\n"
"  get ID                  one devns\n"
"  get-pid PID             the devns PID belongs to\n"
"  create PID [TAG]        register PID's pid namespace; prints the new devns\n"
"  destroy ID\n"
"  switch ID               make devns ID the active one (0 = root)\n"
"  switch-pid PID          make PID's devns the active one\n"
"  get-pidfd PID, switch-pidfd PID\n"
"                          the same, naming PID by a pidfd (DEVNS_A_PIDFD;\n"
"                          \"Operation not supported\": devns_core predates it)\n"
"  tag ID TAG\n"
"  stats                   switch statistics\n"
"  hotkeys                 the secure switch key table\n"
"  hotkeys set [SLOT:KEY[,KEY...]]...\n"
"                          replace the table (no entry: empty table);\n"
"                          KEYs are numeric codes from linux/input-event-codes.h\n"
"                          (125 = KEY_LEFTMETA, 59 = KEY_F1, 1 = KEY_ESC)\n"
"  hotkeys default         reset the table to the defaults\n"
"  monitor [--count N] [--timeout SEC] [-- CMD [ARG...]]\n"
"                          print multicast events as they come; with CMD,\n"
"                          subscribe first, then run CMD (its stdout goes to\n"
"                          stderr); stop after N events or SEC seconds\n"
"\n"
"output (stdout, one line per item, fields in this order):\n"
"  devns:   id=ID pid=PID active=0|1 activated_ns=NS tag=TAG\n"
"  stats:   switches=N last_ns=NS worst_ns=NS\n"
"           subsys=NAME last_out_ns=NS last_in_ns=NS worst_ns=NS  (each)\n"
"  hotkeys: slot=SLOT keys=KEY[,KEY...]\n"
"  events:  event=new id=ID pid=PID active=0|1 activated_ns=NS tag=TAG\n"
"           event=del id=ID reason=REASON pid=PID tag=TAG\n"
"           event=switched id=ID prev_id=ID reason=REASON latency_ns=NS\n"
"           event=hotkey slot=SLOT\n"
"  TAG is last on its line and may be empty; REASON is request,\n"
"  init-exited or unload.\n"
"\n"
"exit status: 0 success; 1 the kernel refused (stderr: \"devns-nl: COMMAND:\n"
"strerror[: kernel message]\") or monitor timed out before N events;\n"
"2 usage error.\n");
}

static void die_usage(const char *why)
{
	fprintf(stderr, "%s: %s (see devns-nl --help)\n", prog, why);
	exit(2);
}

static uint32_t parse_u32(const char *s, const char *what)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || v > UINT32_MAX) {
		fprintf(stderr, "%s: bad %s: '%s'\n", prog, what, s);
		exit(2);
	}
	return v;
}

static int report(struct devns_nl *nl, const char *cmd, int err)
{
	const char *msg = nl ? devns_nl_errmsg(nl) : "";

	if (err >= 0)
		return 0;
	if (err == -ENOENT && !nl)
		fprintf(stderr, "%s: devns family not found (is devns_core loaded?)\n",
			prog);
	else if (*msg)
		fprintf(stderr, "%s: %s: %s: %s\n", prog, cmd, strerror(-err), msg);
	else
		fprintf(stderr, "%s: %s: %s\n", prog, cmd, strerror(-err));
	return 1;
}

/* The connection, opened once the arguments are known to be good. */
static struct devns_nl *conn(void)
{
	static struct devns_nl *nl;
	int err;

	if (!nl) {
		err = devns_nl_open(&nl);
		if (err)
			exit(report(NULL, "connect", err));
	}
	return nl;
}

static void print_info(const struct devns_info *i)
{
	printf("id=%u pid=%u active=%d activated_ns=%llu tag=%s\n", i->id,
	       i->pid, i->active, (unsigned long long)i->activated_ns, i->tag);
}

static void print_event(const struct devns_event *ev, void *data)
{
	int *seen = data;

	printf("event=%s ", devns_event_name(ev->cmd));
	switch (ev->cmd) {
	case DEVNS_CMD_NEW:
		print_info(&ev->ns);
		break;
	case DEVNS_CMD_DEL:
		printf("id=%u reason=%s pid=%u tag=%s\n", ev->ns.id,
		       devns_reason_name(ev->reason), ev->ns.pid, ev->ns.tag);
		break;
	case DEVNS_CMD_SWITCHED:
		printf("id=%u prev_id=%u reason=%s latency_ns=%llu\n",
		       ev->ns.id, ev->prev_id, devns_reason_name(ev->reason),
		       (unsigned long long)ev->latency_ns);
		break;
	case DEVNS_CMD_HOTKEY:
		printf("slot=%u\n", ev->slot);
		break;
	}
	(*seen)++;
}

static int cmd_list(struct devns_nl *nl)
{
	struct devns_info *v;
	int n = devns_nl_list(nl, &v);

	if (n < 0)
		return report(nl, "list", n);
	for (int i = 0; i < n; i++)
		print_info(&v[i]);
	free(v);
	return 0;
}

static int cmd_stats(struct devns_nl *nl)
{
	struct devns_stats st;
	int err = devns_nl_get_stats(nl, &st);

	if (err)
		return report(nl, "stats", err);
	printf("switches=%llu last_ns=%llu worst_ns=%llu\n",
	       (unsigned long long)st.switches, (unsigned long long)st.last_ns,
	       (unsigned long long)st.worst_ns);
	for (unsigned int i = 0; i < st.n_subsys; i++)
		printf("subsys=%s last_out_ns=%llu last_in_ns=%llu worst_ns=%llu\n",
		       st.subsys[i].name,
		       (unsigned long long)st.subsys[i].last_out_ns,
		       (unsigned long long)st.subsys[i].last_in_ns,
		       (unsigned long long)st.subsys[i].worst_ns);
	return 0;
}

/* "SLOT:KEY,KEY" */
static void parse_hotkey(char *arg, struct devns_hotkey *hk)
{
	char *colon = strchr(arg, ':'), *key, *save;

	if (!colon)
		die_usage("hotkey entries are SLOT:KEY[,KEY...]");
	*colon = '\0';
	hk->slot = parse_u32(arg, "slot");
	hk->n_keys = 0;
	for (key = strtok_r(colon + 1, ",", &save); key;
	     key = strtok_r(NULL, ",", &save)) {
		if (hk->n_keys == DEVNS_HOTKEY_KEYS_MAX)
			die_usage("too many keys in one hotkey");
		uint32_t code = parse_u32(key, "key code");

		if (code > UINT16_MAX)
			die_usage("key codes are at most 65535");
		hk->keys[hk->n_keys++] = code;
	}
	if (!hk->n_keys)
		die_usage("a hotkey needs at least one key");
}

static int cmd_hotkeys(int argc, char **argv)
{
	struct devns_hotkeys hk = { 0 };
	int err;

	if (argc == 0) {
		err = devns_nl_get_hotkeys(conn(), &hk);
		if (err)
			return report(conn(), "hotkeys", err);
		for (unsigned int i = 0; i < hk.n; i++) {
			printf("slot=%u keys=", hk.hk[i].slot);
			for (unsigned int k = 0; k < hk.hk[i].n_keys; k++)
				printf("%s%u", k ? "," : "", hk.hk[i].keys[k]);
			printf("\n");
		}
		return 0;
	}
	if (strcmp(argv[0], "default") == 0 && argc == 1)
		return report(conn(), "hotkeys default",
			      devns_nl_reset_hotkeys(conn()));
	if (strcmp(argv[0], "set") != 0)
		die_usage("usage: devns-nl hotkeys [set ENTRY...|default]");
	if (argc - 1 > DEVNS_HOTKEYS_MAX)
		die_usage("too many hotkeys");
	for (int i = 1; i < argc; i++)
		parse_hotkey(argv[i], &hk.hk[hk.n++]);
	return report(conn(), "hotkeys set", devns_nl_set_hotkeys(conn(), &hk));
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static pid_t spawn(char **argv)
{
	pid_t pid = fork();

	if (pid == 0) {
		dup2(STDERR_FILENO, STDOUT_FILENO);
		execvp(argv[0], argv);
		fprintf(stderr, "%s: monitor: %s: %s\n", prog, argv[0],
			strerror(errno));
		_exit(127);
	}
	return pid;
}

static int cmd_monitor(int argc, char **argv)
{
	struct devns_monitor *mon;
	long count = -1;
	double timeout = -1, deadline;
	char **cmd = NULL;
	pid_t child = -1;
	int seen = 0, err = 0, ret = 0;

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--count") == 0 && i + 1 < argc)
			count = parse_u32(argv[++i], "count");
		else if (strcmp(argv[i], "--timeout") == 0 && i + 1 < argc)
			timeout = parse_u32(argv[++i], "timeout");
		else if (strcmp(argv[i], "--") == 0 && i + 1 < argc) {
			cmd = &argv[i + 1];
			break;
		} else
			die_usage("monitor [--count N] [--timeout SEC] [-- CMD...]");
	}

	err = devns_monitor_open(&mon);
	if (err)
		return report(NULL, "monitor", err);
	if (cmd) {
		fflush(stdout);
		child = spawn(cmd);
		if (child < 0) {
			devns_monitor_close(mon);
			return report(NULL, "monitor: fork", -errno);
		}
	}

	deadline = now() + timeout;
	while (count < 0 || seen < count) {
		struct pollfd pfd = { devns_monitor_fd(mon), POLLIN, 0 };
		int wait_ms = -1;

		if (timeout >= 0) {
			double left = deadline - now();

			if (left <= 0)
				break;
			wait_ms = left * 1000 + 1;
		}
		if (poll(&pfd, 1, wait_ms) < 0 && errno != EINTR) {
			err = -errno;
			break;
		}
		err = devns_monitor_dispatch(mon, print_event, &seen);
		if (err < 0)
			break;
		err = 0;
	}
	devns_monitor_close(mon);

	if (err)
		ret = report(NULL, "monitor", err);
	else if (count >= 0 && seen < count) {
		fprintf(stderr, "%s: monitor: timed out after %d of %ld events\n",
			prog, seen, count);
		ret = 1;
	}
	if (child > 0) {
		int status;

		if (waitpid(child, &status, 0) == child &&
		    !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
			fprintf(stderr, "%s: monitor: %s exited with status %d\n",
				prog, cmd[0],
				WIFEXITED(status) ? WEXITSTATUS(status) :
						    128 + WTERMSIG(status));
	}
	return ret;
}

static int need(int argc, int min, int max, const char *args)
{
	if (argc < min || argc > max) {
		fprintf(stderr, "%s: usage: devns-nl %s\n", prog, args);
		exit(2);
	}
	return argc;
}

static int run(const char *cmd, int argc, char **argv)
{
	struct devns_info info;
	uint32_t n;
	int err, fd;

	if (strcmp(cmd, "list") == 0) {
		need(argc, 0, 0, "list");
		return cmd_list(conn());
	}
	if (strcmp(cmd, "get") == 0 || strcmp(cmd, "get-pid") == 0) {
		need(argc, 1, 1, "get ID | get-pid PID");
		if (strcmp(cmd, "get") == 0) {
			n = parse_u32(argv[0], "id");
			err = devns_nl_get(conn(), n, &info);
		} else {
			n = parse_u32(argv[0], "pid");
			err = devns_nl_get_by_pid(conn(), n, &info);
		}
		if (!err)
			print_info(&info);
		return report(conn(), cmd, err);
	}
	if (strcmp(cmd, "create") == 0) {
		need(argc, 1, 2, "create PID [TAG]");
		n = parse_u32(argv[0], "pid");
		err = devns_nl_create(conn(), n, argc == 2 ? argv[1] : NULL, &info);
		if (!err)
			print_info(&info);
		return report(conn(), cmd, err);
	}
	if (strcmp(cmd, "destroy") == 0) {
		need(argc, 1, 1, "destroy ID");
		n = parse_u32(argv[0], "id");
		return report(conn(), cmd, devns_nl_destroy(conn(), n));
	}
	if (strcmp(cmd, "switch") == 0) {
		need(argc, 1, 1, "switch ID");
		n = parse_u32(argv[0], "id");
		return report(conn(), cmd, devns_nl_switch(conn(), n));
	}
	if (strcmp(cmd, "switch-pid") == 0) {
		need(argc, 1, 1, "switch-pid PID");
		n = parse_u32(argv[0], "pid");
		return report(conn(), cmd, devns_nl_switch_to_pid(conn(), n));
	}
	if (strcmp(cmd, "get-pidfd") == 0 || strcmp(cmd, "switch-pidfd") == 0) {
		need(argc, 1, 1, "get-pidfd PID | switch-pidfd PID");
		n = parse_u32(argv[0], "pid");
		fd = pidfd_open(n, 0);
		if (fd < 0)
			err = -errno;
		else if (strcmp(cmd, "get-pidfd") == 0)
			err = devns_nl_get_by_pidfd(conn(), fd, &info);
		else
			err = devns_nl_switch_to_pidfd(conn(), fd);
		if (!err && strcmp(cmd, "get-pidfd") == 0)
			print_info(&info);
		return report(conn(), cmd, err);
	}
	if (strcmp(cmd, "tag") == 0) {
		need(argc, 2, 2, "tag ID TAG");
		n = parse_u32(argv[0], "id");
		return report(conn(), cmd, devns_nl_set_tag(conn(), n, argv[1]));
	}
	if (strcmp(cmd, "stats") == 0) {
		need(argc, 0, 0, "stats");
		return cmd_stats(conn());
	}
	if (strcmp(cmd, "hotkeys") == 0)
		return cmd_hotkeys(argc, argv);
	if (strcmp(cmd, "monitor") == 0)
		return cmd_monitor(argc, argv);
	fprintf(stderr, "%s: unknown command '%s'\n", prog, cmd);
	usage(stderr);
	return 2;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		die_usage("no command");
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	return run(argv[1], argc - 2, argv + 2);
}
