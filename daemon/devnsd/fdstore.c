// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <systemd/sd-daemon.h>

#include "fdstore.h"

static char **names;	/* from LISTEN_FDNAMES; NULL once taken */
static int count;

static void notify(const char *what, const char *kind, const char *name,
		   const int *fd)
{
	char msg[128];

	snprintf(msg, sizeof(msg), "%s=1\nFDNAME=%s-%s", what, kind, name);
	sd_pid_notify_with_fds(0, 0, msg, fd, fd ? 1 : 0);
}

void fdstore_put(const char *kind, const char *name, int fd)
{
	notify("FDSTORE", kind, name, &fd);
}

void fdstore_drop(const char *kind, const char *name)
{
	notify("FDSTOREREMOVE", kind, name, NULL);
}

void fdstore_load(void)
{
	count = sd_listen_fds_with_names(1, &names);
	if (count < 0)
		count = 0;
}

int fdstore_take(const char *kind, const char *name)
{
	size_t len = strlen(kind);

	for (int i = 0; i < count; i++) {
		char *n = names[i];

		if (n && !strncmp(n, kind, len) && n[len] == '-' &&
		    !strcmp(n + len + 1, name)) {
			free(n);
			names[i] = NULL;
			return SD_LISTEN_FDS_START + i;
		}
	}
	return -1;
}

void fdstore_release_rest(void)
{
	for (int i = 0; i < count; i++) {
		char *n = names[i];

		if (!n)
			continue;
		close(SD_LISTEN_FDS_START + i);
		sd_pid_notifyf(0, 0, "FDSTOREREMOVE=1\nFDNAME=%s", n);
		free(n);
	}
	free(names);
	names = NULL;
	count = 0;
}
