/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The system calls a persona never makes, in the spirit of systemd-nspawn's
 * filter: those that reach the host's kernel, clock, swap or key rings
 * whatever namespace the caller is in.  Most need a capability in the
 * host's user namespace that a persona lacks anyway; the filter holds
 * when it has them (PrivateUsers=no) and answers EPERM, not a kill.
 * With wake, alarm timerfds are brokered by devnsd (alarm.h).
 */
#ifndef DEVNSD_SECCOMP_H
#define DEVNSD_SECCOMP_H

#include <stdbool.h>

/*
 * Installs the filter on the calling thread.  With wake, returns its
 * listener (close-on-exec); else -1; or -errno.
 */
int seccomp_install(bool wake);

#endif
