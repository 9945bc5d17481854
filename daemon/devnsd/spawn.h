/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Starting a persona: its init in new pid, mount, UTS and IPC namespaces,
 * with a private /dev holding only the standard nodes and its own devices,
 * /sys read-only but for its own devns device (its LEDs), and without the
 * capabilities that reach other devices.
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

/*
 * Starts cfg's init, without waiting for it to exec cfg->init.  On success
 * *pid and *pidfd name it and *sock (non-blocking) turns readable with
 * news for spawn_finish(); on failure it is gone and err says why.
 */
int spawn_persona(const struct persona_config *cfg, spawn_register_fn reg,
		  void *data, pid_t *pid, int *pidfd, int *sock, char *err,
		  size_t errlen);

/*
 * Reads the news on sock: 0 once the init exec()ed (or died silently),
 * -EAGAIN for more to come (*devfd may then hold its /dev, a directory fd
 * for the caller), -EIO with err saying why the init failed (kill it).
 */
int spawn_finish(int sock, int *devfd, char *err, size_t errlen);

#endif
