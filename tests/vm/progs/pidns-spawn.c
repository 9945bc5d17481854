/*
 * pidns-spawn [-d DEPTH] [CMD ARGS...]
 *
 * Starts a chain of DEPTH (default 1) nested pid namespaces and prints, one
 * per line and outermost first, the pid of each level's init as seen from
 * the caller's pid namespace.  The innermost init runs CMD (default: sleep
 * forever); the others reap children and exit when their child does.  Returns
 * once every level runs; the namespaces live on in the background, with
 * standard input and output on /dev/null.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t clone_newpid(void)
{
	/* fork() in a new pid namespace: the child is its pid 1. */
	if (unshare(CLONE_NEWPID) < 0) {
		perror("unshare(CLONE_NEWPID)");
		exit(1);
	}
	return fork();
}

/* Our pid in the caller's pid namespace: /proc is the caller's procfs. */
static long outer_pid(void)
{
	char buf[32];
	ssize_t n = readlink("/proc/self", buf, sizeof(buf) - 1);

	if (n < 0)
		return -1;
	buf[n] = '\0';
	return strtol(buf, NULL, 10);
}

static void report_pid(int report)
{
	char line[32];

	snprintf(line, sizeof(line), "%ld\n", outer_pid());
	if (write(report, line, strlen(line)) < 0)
		exit(1);
}

/* Runs in the outermost init; each level forks the next one's init. */
static _Noreturn void run_levels(int depth, int report, char **cmd)
{
	pid_t child, p;
	int status;

	for (; depth > 1; depth--) {
		report_pid(report);
		child = clone_newpid();
		if (child != 0) {
			close(report);
			do
				p = wait(&status);
			while (p != child && !(p < 0 && errno == ECHILD));
			exit(0);
		}
	}
	report_pid(report);
	close(report);
	if (cmd[0]) {
		execvp(cmd[0], cmd);
		perror(cmd[0]);
		exit(127);
	}
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	int depth = 1, opt, fds[2], lines = 0;
	char buf[256];
	ssize_t n;
	pid_t child;

	while ((opt = getopt(argc, argv, "+d:")) != -1) {
		if (opt != 'd')
			return 2;
		depth = atoi(optarg);
	}
	if (depth < 1 || pipe(fds) < 0)
		return 2;

	child = clone_newpid();
	if (child < 0) {
		perror("fork");
		return 1;
	}
	if (child == 0) {
		/* Let $(pidns-spawn) return: the namespaces keep no caller's pipe. */
		int null = open("/dev/null", O_RDWR);

		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		close(null);
		close(fds[0]);
		setsid();
		run_levels(depth, fds[1], argv + optind);
	}
	close(fds[1]);
	while (lines < depth && (n = read(fds[0], buf, sizeof(buf))) > 0) {
		fwrite(buf, 1, n, stdout);
		for (ssize_t i = 0; i < n; i++)
			lines += buf[i] == '\n';
	}
	return lines == depth ? 0 : 1;
}
