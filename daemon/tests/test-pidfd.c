// SPDX-License-Identifier: GPL-2.0-or-later
/* devnsd's pidfd helpers (pidfd.c) against real processes. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "../devnsd/devnsd.h"
#include "check.h"

/* A child that sleeps until killed, named @comm. */
static pid_t sleeper(const char *comm)
{
	pid_t pid = fork();

	if (pid == 0) {
		prctl(PR_SET_NAME, comm);
		pause();
		_exit(0);
	}
	return pid;
}

static void test_pidfd_names_its_process(void)
{
	pid_t pid = sleeper("sleeper");
	int fd = pidfd_open(pid, 0);

	EXPECT(fd >= 0);
	EXPECT(pidfd_pid(fd) == pid);
	EXPECT(pidfd_alive(fd));
	kill(pid, SIGKILL);
	/* a zombie is gone already: its pid may not be trusted for long */
	waitid(P_PIDFD, fd, NULL, WEXITED | WNOWAIT);
	EXPECT(!pidfd_alive(fd));
	waitpid(pid, NULL, 0);
	EXPECT(pidfd_pid(fd) == -ESRCH);
	close(fd);
}

static void test_not_a_pidfd(void)
{
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	EXPECT(pidfd_pid(fd) == -EBADF);
	close(fd);
}

static void test_start_time(void)
{
	/* a command with ") (" in it must not shift the fields */
	pid_t pid = sleeper("a) 1 (b");
	uint64_t before, start, hz = sysconf(_SC_CLK_TCK);
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	before = ts.tv_sec * hz + ts.tv_nsec / (1000000000 / hz);
	EXPECT(proc_start_time(pid, &start) == 0);
	EXPECT(start <= before && start + 10 * hz > before);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	EXPECT(proc_start_time(pid, &start) == -ESRCH);
}

int main(void)
{
	RUN(test_pidfd_names_its_process);
	RUN(test_not_a_pidfd);
	RUN(test_start_time);
	return check_done();
}
