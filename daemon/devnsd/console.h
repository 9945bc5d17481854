/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A persona's console: devnsd holds the master of its /dev/console's pty
 * (and the slave, so that the init closing it is no hang-up) and copies
 * what it writes to /run/devns/NAME/console, up to CONSOLE_LOG_MAX bytes a
 * start.
 */
#ifndef DEVNSD_CONSOLE_H
#define DEVNSD_CONSOLE_H

#define CONSOLE_DIR "/run/devns"
#define CONSOLE_LOG_MAX (4 << 20)

struct persona;

/* Takes master over; 0 or -errno (then master is closed). */
int console_attach(struct persona *p, int master);
void console_detach(struct persona *p);

#endif
