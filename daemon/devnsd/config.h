/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Persona configuration files: one file NAME.conf per persona in the
 * configuration directory, systemd style:
 *
 *   [Persona]
 *   Root=/var/lib/devns/work        root file system ("/" shares the host's)
 *   Init=/sbin/init --some-arg      command, split on blanks; quotes group
 *   Tag=work                        kernel tag (default: the name)
 *   HotkeySlot=2                    1..31; Left Meta + F<slot> by default
 *   Devices=input fb led kms        virtual devices it gets (default: all)
 *   GPU=share|none                  the physical GPU's render nodes (default none)
 *   Hostname=work                   (default: the name)
 *   Restart=no|on-failure|always    (default: no)
 *   AutoStart=yes|no                start when devnsd starts (default: no)
 *   KillSignal=SIGRTMIN+3           what asks its init to stop (the default)
 *   StopTimeoutSec=90               then SIGKILL after this long (default)
 *   PrivateUsers=yes|no|BASE[:N]    user namespace (default yes: picked)
 *   Network=host|private            network namespace (default host)
 *   NoNewPrivileges=yes|no          (default no)
 *   Binder=yes|no                   binder devices of its own (default no)
 *   TimeNamespace=yes|no            a time namespace (default no), with
 *   TimeOffsetMonotonic=SECONDS     its CLOCK_MONOTONIC and
 *   TimeOffsetBoottime=SECONDS      CLOCK_BOOTTIME ahead of the host's
 *   WakeAlarm=yes|no                CLOCK_*_ALARM timerfds through devnsd
 *                                   (alarm.h) under PrivateUsers (default yes)
 */
#ifndef DEVNSD_CONFIG_H
#define DEVNSD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/devns.h>

#define PERSONA_NAME_MAX (DEVNS_TAG_LEN - 1)
#define CONFIG_ERR_LEN 256

enum restart_policy { RESTART_NO, RESTART_ON_FAILURE, RESTART_ALWAYS };

enum {
	DEVICES_INPUT = 1 << 0,
	DEVICES_FB = 1 << 1,
	DEVICES_LED = 1 << 2,
	DEVICES_KMS = 1 << 3,
	DEVICES_ALL = DEVICES_INPUT | DEVICES_FB | DEVICES_LED | DEVICES_KMS,
	DEVICES_GPU = 1 << 4,	/* GPU=share: not a virtual device, not in "all" */
};

struct persona_config {
	char name[PERSONA_NAME_MAX + 1];
	char tag[DEVNS_TAG_LEN];
	char hostname[64];
	char *root;
	char **init;		/* NULL-terminated argv */
	unsigned int hotkey_slot;	/* 0: none */
	unsigned int devices;	/* DEVICES_* */
	enum restart_policy restart;
	bool autostart;
	int kill_signal;
	unsigned int stop_timeout_sec;
	bool private_users;	/* else a trusted persona: the host's users */
	unsigned int uid_base;	/* 0: picked from the name (userns_pick) */
	unsigned int uid_count;
	bool private_network;
	bool no_new_privs;
	bool binder;
	bool time_ns;
	long long offset_monotonic;	/* seconds; only with time_ns */
	long long offset_boottime;
	bool wake_alarm;
};

#define UID_COUNT_DEFAULT 65536

/* A valid persona name: 1..15 of [A-Za-z0-9_-], not "root". */
bool persona_name_valid(const char *name);

/*
 * Parses the text of NAME's file.  On error returns -EINVAL and writes
 * "FILE:LINE: what" to err.
 */
int config_parse(const char *name, const char *file, const char *text,
		 struct persona_config *out, char *err, size_t errlen);
/* Reads and parses PATH; the name is its base name without ".conf". */
int config_load(const char *path, struct persona_config *out, char *err,
		size_t errlen);
void config_free(struct persona_config *cfg);
/*
 * How many keys' values differ between @a and @b; their names, as in the
 * file and separated by ", ", go to buf (truncated to len).
 */
int config_diff(const struct persona_config *a, const struct persona_config *b,
		char *buf, size_t len);

/* Splits a command line on blanks; '...' and "..." group, \ escapes. */
char **config_split_argv(const char *s);
void config_free_argv(char **argv);

const char *restart_policy_name(enum restart_policy p);
/* "SIGTERM", "TERM", "SIGRTMIN+3", "15"...: the signal, or -1. */
int config_parse_signal(const char *s);

#endif
