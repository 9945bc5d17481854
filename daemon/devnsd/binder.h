/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Binder=yes: binder, hwbinder and vndbinder of a persona's own.
 *
 * Debian's kernels build binder as binder_linux without binderfs; each
 * device named in its devices= parameter is a binder context of its own.
 * devns's modprobe.d file names binder-devns0, binder-devns1...; devnsd
 * loads the module if it is not, and gives a persona three of them as
 * /dev/binder, /dev/hwbinder and /dev/vndbinder.
 *
 * A context keeps the user of its first context manager for good
 * (binder_ioctl_set_ctx_mgr() sets binder_context_mgr_uid once and checks
 * every later manager against it; binder_linux has no module_exit, so it
 * is never unloaded), so a device given to one persona is no use as
 * another's: each stays bound to the persona that first got it until
 * reboot.  The bindings live in a file beside devnsd's state file (/run).
 *
 * Where the kernel has binderfs, the init mounts an instance of its own on
 * /dev/binderfs instead and links the three names to it (binderfs_mount).
 */
#ifndef DEVNSD_BINDER_H
#define DEVNSD_BINDER_H

#include <stdbool.h>
#include <stddef.h>

#include "devices.h"

#define BINDER_MODPROBE_CONF "/etc/modprobe.d/devns-binder.conf"

/* The kernel offers binderfs (/proc/filesystems). */
bool binder_have_binderfs(void);

/*
 * Adds the persona's three binder nodes to nodes (n used of max), from the
 * devices bound to it in the file bindings or free ones; returns the new
 * count or -errno (err says why).
 */
int binder_claim(const char *bindings, const char *persona,
		 struct dev_node *nodes, int n, size_t max, char *err,
		 size_t errlen);

/* In the init, in its user and mount namespaces: 0 or -errno. */
int binderfs_mount(void);

#endif
