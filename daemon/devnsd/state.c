// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The state file: which persona name each registered devns has, so that a
 * restarted devnsd gives the personas it finds in the kernel their names
 * back.  One line per persona: "NAME ID PID START", START its init's start
 * time (clock ticks since boot): a pid alone may have been reused since.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "devnsd.h"
#include "log.h"

void state_save(struct devnsd *d)
{
	char tmp[4096], dir[4096], *slash;
	FILE *f;

	snprintf(dir, sizeof(dir), "%s", d->state_file);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		mkdir(dir, 0755);
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp", d->state_file);
	f = fopen(tmp, "we");
	if (!f) {
		log_err("cannot write %s: %m", tmp);
		return;
	}
	for (struct persona *p = d->personas; p; p = p->next)
		if (!p->is_root && p->id)
			fprintf(f, "%s %u %d %llu\n", p->name, p->id, p->pid,
				(unsigned long long)p->start_time);
	if (fclose(f) != 0 || rename(tmp, d->state_file) < 0)
		log_err("cannot write %s: %m", d->state_file);
}

bool state_lookup(const char *state_file, uint32_t id, pid_t pid,
		  uint64_t start, char *name, size_t size)
{
	char line[128], n[PERSONA_NAME_MAX + 1];
	unsigned long long s;
	unsigned int i;
	int p;
	bool found = false;
	FILE *f = fopen(state_file, "re");

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		if (sscanf(line, "%15s %u %d %llu", n, &i, &p, &s) == 4 &&
		    i == id && p == pid && s == start && start &&
		    persona_name_valid(n)) {
			snprintf(name, size, "%s", n);
			found = true;
		}
	fclose(f);
	return found;
}
