/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A persona's file system tree, built in a mount namespace of the host's
 * user namespace by a helper in the persona's pid namespace (so that its
 * /proc is the persona's), then copied into a mount namespace of the
 * persona's user namespace: the kernel locks every mount so copied, so the
 * persona can neither unmount the masks nor make read-only mounts writable.
 *
 *   Root=/       the host's tree read-only (recursively), with private
 *                tmpfs on /tmp, /run and /var
 *   Root=DIR     DIR writable, /sys of the host read-only
 *   both         nodev; /dev a tmpfs with the standard nodes, the
 *                persona's own devices (owned by its root), a devpts of
 *                its own and /dev/console, a pty of that devpts; /proc of
 *                its pid namespace with systemd-nspawn's masks (kcore,
 *                sysrq-trigger... inaccessible; sys, irq, bus...
 *                read-only); /sys read-only but for its devns device
 *                when it has LEDs.
 *
 * Mount targets are opened inside the root with openat2(RESOLVE_IN_ROOT |
 * RESOLVE_NO_SYMLINKS) and mounts attached to those fds (the new mount
 * API): a symlink the persona planted in its root fails the start.
 */
#ifndef DEVNSD_MOUNTS_H
#define DEVNSD_MOUNTS_H

#include <sys/types.h>

#include "config.h"
#include "devices.h"

struct mount_plan {
	const struct persona_config *cfg;
	uid_t uid;		/* the persona's root on the host */
	const struct dev_node *nodes;
	int n;
	const char *syspath;	/* its devns device */
};

/*
 * In a fresh mount namespace: builds the tree, pivots into it and returns
 * the master of its console's pty, *dev a directory fd of its /dev.  On
 * failure reports on sock and exits.
 */
int mounts_build(int sock, const struct mount_plan *plan, int *dev);

/* Reports "why" on sock (a spawn socket) and exits; for setup processes. */
__attribute__((noreturn, format(printf, 2, 3)))
void child_fail(int sock, const char *fmt, ...);

#endif
