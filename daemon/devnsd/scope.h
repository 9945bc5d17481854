/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Where systemd is the host's init, a persona's cgroup is a transient scope
 * of its own, devns-NAME.scope in machine.slice, delegated (Delegate=yes),
 * and the persona is registered with systemd-machined where that runs: it
 * outlives devnsd's service, `systemctl status` and `machinectl list` show
 * it, its resources are accounted apart from devnsd's.
 */
#ifndef DEVNSD_SCOPE_H
#define DEVNSD_SCOPE_H

#include <stddef.h>
#include <sys/types.h>

struct persona_config;

/*
 * Starts the persona's scope with pid in it (its KillSignal= and
 * StopTimeoutSec= for systemd's stop) and waits (10 s at most) until
 * systemd has moved it there; registers it with machined if it can.
 * 0 or -errno, err says why.
 */
int scope_start(const struct persona_config *cfg, pid_t pid, char *err,
		size_t errlen);

#endif
