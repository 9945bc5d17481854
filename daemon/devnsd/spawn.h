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
 *              it with the kernel (the callback), learns its devices and
 *              forks a helper into the persona's pid namespace; it waits
 *              for nothing the persona controls: the rest is news on a
 *              socket (spawn_finish) watched from its loop;
 *   the helper in the host's user namespace builds the tree in a mount
 *              namespace of its own (mknod, /proc), sends devnsd its /dev
 *              and the console's pty master, joins the persona's user
 *              namespace, copies that mount namespace, locking it, and
 *              hands it to the init;
 *   the init   joins that mount namespace, a cgroup namespace of its
 *              cgroup, mounts its cgroup2, drops what it must, installs
 *              the seccomp filter (sending devnsd its listener, with
 *              WakeAlarm) and execs (its socket's end closing tells devnsd).
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
	int sock;		/* the spawn's news */
	uid_t uid;		/* its root on the host */
};

/*
 * Starts cfg's init, without waiting for it to exec cfg->init.  On success
 * *out names it and out->sock (non-blocking) turns readable with news for
 * spawn_finish(); on failure it is gone and err says why.
 */
int spawn_persona(const struct persona_config *cfg, spawn_register_fn reg,
		  void *data, struct spawned *out, char *err, size_t errlen);

/* What a spawn hands devnsd on its way; -1 where not (yet) given. */
struct spawn_fds {
	int dev;	/* its /dev, a directory fd */
	int console;	/* its console's pty master */
	int alarm;	/* its seccomp filter's listener (alarm.h) */
};

/*
 * Reads the news on sock: 0 once the init exec()ed (or died silently),
 * -EAGAIN for more to come (fds may then hold some, for the caller), -EIO
 * with err saying why the start failed (kill the init).
 */
int spawn_finish(int sock, struct spawn_fds *fds, char *err, size_t errlen);
/* Closes what fds holds. */
void spawn_fds_close(struct spawn_fds *fds);

#endif
