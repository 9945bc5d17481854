/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Starting a persona: its init in new user (PrivateUsers=, default yes),
 * pid, UTS, IPC, cgroup and, with Network=private, network namespaces, in
 * a cgroup of its own (cgroup.h), on the file system tree of mounts.h,
 * with its console on a pty, a clean environment (container=devns), the
 * seccomp filter of seccomp.h and without the capabilities that reach
 * other devices.
 *
 * The steps, each by the process that has the right to take it:
 *   devnsd     clones the init (new user, pid... namespaces; it waits),
 *              writes its uid/gid maps, puts it in its cgroup, registers
 *              it with the kernel (the callback) and learns its devices;
 *   a helper   in the host's user namespace and the persona's pid
 *              namespace builds the tree in a mount namespace of its own
 *              (mknod, /proc), then joins the persona's user namespace
 *              and copies that mount namespace, locking it, and hands
 *              it over with the console's pty master;
 *   the init   joins that mount namespace, a cgroup namespace of its
 *              cgroup, mounts its cgroup2, drops what it must and execs.
 */
#ifndef DEVNSD_SPAWN_H
#define DEVNSD_SPAWN_H

#include <stddef.h>
#include <sys/types.h>

#include "config.h"
#include "devices.h"

/*
 * Called once the init exists (it waits): register it with the kernel,
 * list the nodes its /dev gets and name its devns device in sysfs (the only
 * part of /sys it may change).  Returns the node count or -errno (err then
 * says why).
 */
typedef int (*spawn_register_fn)(pid_t pid, struct dev_node *nodes,
				 size_t max, char *syspath, size_t size,
				 void *data, char *err, size_t errlen);

struct spawned {
	pid_t pid;		/* the init */
	int pidfd;
	int console;		/* its console's pty master */
	uid_t uid;		/* its root on the host */
};

/*
 * Starts cfg's init.  On success *out names it and it runs cfg->init; on
 * failure it is gone and err says why.
 */
int spawn_persona(const struct persona_config *cfg, spawn_register_fn reg,
		  void *data, struct spawned *out, char *err, size_t errlen);

#endif
