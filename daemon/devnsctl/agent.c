// SPDX-License-Identifier: GPL-2.0-or-later
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>

#include "agent.h"

#define PKTTYAGENT "/usr/bin/pkttyagent"

pid_t agent_open(void)
{
	char notify[16], process[16];
	int fds[2];
	pid_t pid;
	char c;

	if (geteuid() == 0 || !isatty(STDIN_FILENO) ||
	    access(PKTTYAGENT, X_OK) != 0 || pipe(fds) < 0)
		return 0;
	snprintf(notify, sizeof(notify), "%d", fds[1]);
	snprintf(process, sizeof(process), "%d", (int)getpid());
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		execl(PKTTYAGENT, PKTTYAGENT, "--notify-fd", notify, "--process",
		      process, "--fallback", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	/* it closes the fd once registered (or dies) */
	if (pid > 0)
		while (read(fds[0], &c, 1) > 0)
			;
	close(fds[0]);
	return pid > 0 ? pid : 0;
}

void agent_close(pid_t agent)
{
	if (agent <= 0)
		return;
	kill(agent, SIGTERM);
	waitpid(agent, NULL, 0);
}
