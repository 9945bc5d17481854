/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The host ids a persona's users map to (PrivateUsers=yes): 65536 ids from
 * a base derived from its name, like systemd-nspawn's --private-users=pick
 * but deterministic, so that the files a persona owns keep their owners
 * across restarts: slot hash(name) of the 64 Ki-id slots 0x80000 to
 * 0x6fff0000 (nspawn's pool), or the next one if a user or group of the
 * host's databases lies in it.
 */
#ifndef DEVNSD_USERNS_H
#define DEVNSD_USERNS_H

#include <stddef.h>

/* 0 and *base, or -EBUSY (err says why). */
int userns_pick(const char *name, unsigned int *base, char *err,
		size_t errlen);

#endif
