/*
 * Requests to the devns family naming a process by pidfd (DEVNS_A_PIDFD):
 *
 *   nl-pidfd get|create|switch|destroy PID [TAG]
 *	one request by a pidfd of PID (create: TAG optional); prints
 *	"id=I pid=P tag=T [active]" for a reply, "ok", or "error=E msg=M"
 *
 *   nl-pidfd recycle create|switch
 *	a pid reused: starts V, the init of a new pid namespace, holds a pidfd
 *	of it (switch: registers V by it), kills V, then starts inits of fresh
 *	pid namespaces until one, V', has V's pid number (ns_last_pid; switch:
 *	registers V' by that number), and sends the request by the old pidfd.
 *	Prints "victim=PID", "recycled=PID", "stale-CMD: <result>" and
 *	"pid-create: <result>" (create: the same number by pid), then ends V'.
 *
 * Exits 0 if the (last) request succeeded, 1 if it was refused, 2 on errors.
 */
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "nl-raw.h"

static int print_result(const char *what, int err, const char *msg, struct nl_ns *ns)
{
	if (what)
		printf("%s: ", what);
	if (err)
		printf("error=%s msg=%s\n", strerrorname_np(-err), msg);
	else if (ns->id >= 0)
		printf("id=%ld pid=%ld tag=%s%s\n", ns->id, ns->pid, ns->tag,
		       ns->active ? " active" : "");
	else
		printf("ok\n");
	fflush(stdout);
	return err ? 1 : 0;
}

/* One request naming a devns by @attr (DEVNS_A_PIDFD or DEVNS_A_PID). */
static int request(const char *cmd, uint16_t attr, uint32_t value,
		   const char *tag, char *msg, size_t msglen, struct nl_ns *ns)
{
	static const struct { const char *name; uint8_t cmd; } cmds[] = {
		{ "get", DEVNS_CMD_GET }, { "create", DEVNS_CMD_CREATE },
		{ "switch", DEVNS_CMD_SWITCH }, { "destroy", DEVNS_CMD_DESTROY },
	};
	struct nl_req r;
	size_t i;

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(cmd, cmds[i].name))
			break;
	if (i == sizeof(cmds) / sizeof(cmds[0])) {
		fprintf(stderr, "unknown command %s\n", cmd);
		exit(2);
	}
	nl_begin(&r, nl_family, cmds[i].cmd);
	nl_put_u32(&r, attr, value);
	if (tag)
		nl_put(&r, DEVNS_A_TAG, tag, strlen(tag) + 1);
	ns->id = -1;
	return nl_transact(&r, msg, msglen, ns);
}

static int pidfd_of(pid_t pid)
{
	int fd = syscall(SYS_pidfd_open, pid, 0);

	if (fd < 0) {
		fprintf(stderr, "pidfd_open(%d): %s\n", pid, strerror(errno));
		exit(2);
	}
	return fd;
}

/*
 * Starts the init of a new pid namespace (sleeping) under a keeper process
 * that reaps it; @want > 0 asks for that pid number.  Returns the init's pid
 * and the keeper's in *keeper.
 */
static pid_t start_init(pid_t want, pid_t *keeper)
{
	int fds[2];
	pid_t v;

	if (pipe(fds) < 0)
		exit(2);
	*keeper = fork();
	if (*keeper < 0)
		exit(2);
	if (*keeper == 0) {
		if (want > 0) {
			FILE *f = fopen("/proc/sys/kernel/ns_last_pid", "w");

			if (!f || fprintf(f, "%d", want - 1) < 0 || fclose(f)) {
				perror("/proc/sys/kernel/ns_last_pid");
				_exit(1);
			}
		}
		if (unshare(CLONE_NEWPID) < 0) {
			perror("unshare(CLONE_NEWPID)");
			_exit(1);
		}
		v = fork();
		if (v == 0) {
			for (;;)
				pause();
		}
		if (write(fds[1], &v, sizeof(v)) != sizeof(v))
			_exit(1);
		while (waitpid(v, NULL, 0) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	close(fds[1]);
	if (read(fds[0], &v, sizeof(v)) != sizeof(v))
		exit(2);
	close(fds[0]);
	return v;
}

/* Kills an init started by start_init() and waits until its pid is free. */
static void end_init(pid_t v, pid_t keeper)
{
	kill(v, SIGKILL);
	waitpid(keeper, NULL, 0);
}

/* Waits (up to 10 s) until devns @id is gone, as its init's death makes it. */
static void wait_gone(long id)
{
	char msg[256];
	struct nl_ns ns;

	for (int i = 0; i < 1000; i++) {
		if (request("get", DEVNS_A_ID, id, NULL, msg, sizeof(msg), &ns) == -ENOENT)
			return;
		usleep(10000);
	}
	fprintf(stderr, "devns %ld outlived its init\n", id);
	exit(2);
}

static int recycle(const char *cmd)
{
	pid_t v, v2, keeper, keeper2;
	struct nl_ns ns;
	char msg[256];
	int fd, err, tries;

	v = start_init(0, &keeper);
	fd = pidfd_of(v);
	printf("victim=%d\n", v);
	if (!strcmp(cmd, "switch")) {
		err = request("create", DEVNS_A_PIDFD, fd, NULL, msg, sizeof(msg), &ns);
		if (print_result("victim-create", err, msg, &ns))
			return 2;
	}
	end_init(v, keeper);
	if (!strcmp(cmd, "switch"))
		wait_gone(ns.id);

	for (tries = 0; tries < 100; tries++) {
		v2 = start_init(v, &keeper2);
		if (v2 == v)
			break;
		end_init(v2, keeper2);
	}
	if (v2 != v) {
		fprintf(stderr, "could not get pid %d again\n", v);
		return 2;
	}
	printf("recycled=%d\n", v2);
	if (!strcmp(cmd, "switch")) {
		err = request("create", DEVNS_A_PID, v2, NULL, msg, sizeof(msg), &ns);
		print_result("recycled-create", err, msg, &ns);
	}
	fflush(stdout);

	err = request(cmd, DEVNS_A_PIDFD, fd, NULL, msg, sizeof(msg), &ns);
	printf("stale-");
	print_result(cmd, err, msg, &ns);
	if (!strcmp(cmd, "create")) {
		err = request("create", DEVNS_A_PID, v2, NULL, msg, sizeof(msg), &ns);
		print_result("pid-create", err, msg, &ns);
	}
	end_init(v2, keeper2);
	return err ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct nl_ns ns;
	char msg[256];
	int err;

	nl_open();
	if (argc == 3 && !strcmp(argv[1], "recycle"))
		return recycle(argv[2]);
	if (argc != 3 && argc != 4) {
		fprintf(stderr, "usage: nl-pidfd get|create|switch|destroy PID [TAG] | recycle create|switch\n");
		return 2;
	}
	err = request(argv[1], DEVNS_A_PIDFD, pidfd_of(atoi(argv[2])),
		      argc == 4 ? argv[3] : NULL, msg, sizeof(msg), &ns);
	return print_result(NULL, err, msg, &ns);
}
