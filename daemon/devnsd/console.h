/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A persona's console: devnsd holds the master of its /dev/console's pty
 * (and the slave, so that the init closing it is no hang-up) and copies
 * what it writes to /run/devns/NAME/console, up to CONSOLE_LOG_MAX bytes a
 * start, and to the client attached to it (devnsctl console), if any, whose
 * keys it writes to the pty.  Neither side can block devnsd: what a full
 * pty or a client that does not read cannot take is dropped.
 */
#ifndef DEVNSD_CONSOLE_H
#define DEVNSD_CONSOLE_H

#define CONSOLE_DIR "/run/devns"
#define CONSOLE_LOG_MAX (4 << 20)

#include <stdbool.h>
#include <sys/types.h>

struct persona;

/*
 * Takes master over; 0 or -errno (then master is closed).  fresh: a new
 * start (the log begins again), else one found after a restart.
 */
int console_attach(struct persona *p, int master, bool fresh);
void console_detach(struct persona *p);
/*
 * A stream socket attached to the console, sized rows x cols (0: as it
 * is), for the caller; it replaces the one attached before.  -errno.
 */
int console_open(struct persona *p, unsigned int rows, unsigned int cols);

#endif
