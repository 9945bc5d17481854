/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A polkit agent on the terminal, as systemctl starts one: when devnsd asks
 * polkit about a request that needs a password, pkttyagent asks for it.
 */
#ifndef DEVNSCTL_AGENT_H
#define DEVNSCTL_AGENT_H

#include <sys/types.h>

/* Starts pkttyagent for this process and waits until it listens; its pid, or 0. */
pid_t agent_open(void);
void agent_close(pid_t agent);

#endif
