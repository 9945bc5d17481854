/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A cgroup per persona, delegated to the persona's root (the directory and
 * the files systemd's delegation hands over), so that its init can build its
 * own tree in it through a cgroup namespace: under systemd its scope
 * (scope.h), else persona-NAME below devnsd's own cgroup v2 directory.
 * Found again by name after a restart.
 */
#ifndef DEVNSD_CGROUP_H
#define DEVNSD_CGROUP_H

#include <stddef.h>
#include <sys/types.h>

struct persona_config;

/*
 * Makes (or takes over, if empty) the persona's cgroup, owned by uid (user
 * and group), and moves pid into it.  0 or -errno, err says why.
 */
int cgroup_enter(const struct persona_config *cfg, pid_t pid, uid_t uid,
		 char *err, size_t errlen);
/* Removes NAME's cgroup once its processes are gone (quietly if it can't). */
void cgroup_remove(const char *name);

#endif
