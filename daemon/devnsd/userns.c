// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "config.h"
#include "userns.h"

#define SLOT_FIRST 0x8u		/* 0x80000 >> 16 */
#define SLOT_END 0x6fffu	/* 0x6fff0000 >> 16 */
#define TRIES 16

static bool range_free(unsigned int base)
{
	unsigned int end = base + UID_COUNT_DEFAULT;
	bool free = true;
	struct passwd *pw;
	struct group *gr;

	setpwent();
	while (free && (pw = getpwent()))
		free = pw->pw_uid < base || pw->pw_uid >= end;
	endpwent();
	setgrent();
	while (free && (gr = getgrent()))
		free = gr->gr_gid < base || gr->gr_gid >= end;
	endgrent();
	return free;
}

int userns_pick(const char *name, unsigned int *base, char *err,
		size_t errlen)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	for (const char *s = name; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	for (unsigned int i = 0; i < TRIES; i++) {
		unsigned int slot = SLOT_FIRST + (h + i) % (SLOT_END - SLOT_FIRST);

		if (range_free(slot << 16)) {
			*base = slot << 16;
			return 0;
		}
	}
	snprintf(err, errlen, "no free range of host ids for PrivateUsers=yes "
		 "(give one: PrivateUsers=BASE)");
	return -EBUSY;
}
