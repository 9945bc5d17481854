/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * devnsctl console: the terminal's side of a persona's console, as
 * machinectl login does it: the terminal raw, keys to the console, its
 * output to ours, until ^] is pressed three times within a second (or
 * stdin ends, or devnsd closes the console).
 */
#ifndef DEVNSCTL_CONSOLE_H
#define DEVNSCTL_CONSOLE_H

/* Relays between stdin/stdout and fd (a stream socket); 0 or -errno. */
int console_relay(int fd);

#endif
