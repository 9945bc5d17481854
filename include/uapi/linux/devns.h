/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * devns generic netlink ABI, shared by the devns kernel modules and
 * userspace (devnsd, devnsctl, tests).
 *
 * Family DEVNS_GENL_NAME, version DEVNS_GENL_VERSION, one multicast group
 * DEVNS_GENL_MCGRP_EVENTS (heard only by CAP_SYS_ADMIN listeners; only the
 * kernel sends to it).  Requests carry one of DEVNS_A_ID, DEVNS_A_PID or
 * DEVNS_A_PIDFD to name a device namespace; replies and events describe one
 * with DEVNS_A_ID, DEVNS_A_PID (its init, as seen from the caller's pid
 * namespace), DEVNS_A_TAG, DEVNS_A_ACTIVE and DEVNS_A_ACTIVATED_NS.
 */
#ifndef _UAPI_LINUX_DEVNS_H
#define _UAPI_LINUX_DEVNS_H

#include <linux/types.h>

#define DEVNS_GENL_NAME		"devns"
#define DEVNS_GENL_VERSION	1
#define DEVNS_GENL_MCGRP_EVENTS	"events"

#define DEVNS_ROOT_ID		0	/* the host: initial pid namespace */
#define DEVNS_MAX_ID		255	/* personas have ids 1..DEVNS_MAX_ID */
#define DEVNS_TAG_LEN		16	/* including the terminating NUL */
#define DEVNS_HOTKEY_KEYS_MAX	4	/* keys in one combination */
#define DEVNS_HOTKEYS_MAX	32	/* combinations in the table */
#define DEVNS_HOTKEY_SLOT_ROOT	0	/* slot that means "the root devns" */
#define DEVNS_HOTKEY_SLOT_MAX	31

enum devns_cmd {
	DEVNS_CMD_UNSPEC,
	DEVNS_CMD_GET,		/* ID or PID; dump: all */
	DEVNS_CMD_CREATE,	/* PID [TAG] -> the new devns */
	DEVNS_CMD_DESTROY,	/* ID or PID */
	DEVNS_CMD_SWITCH,	/* ID or PID */
	DEVNS_CMD_SET_TAG,	/* ID or PID, TAG */
	DEVNS_CMD_GET_STATS,	/* -> STATS */
	DEVNS_CMD_SET_HOTKEYS,	/* HOTKEY... (replaces the table) or HOTKEYS_DEFAULT */
	DEVNS_CMD_GET_HOTKEYS,	/* -> HOTKEY... */

	/* multicast events on DEVNS_GENL_MCGRP_EVENTS */
	DEVNS_CMD_NEW,		/* a devns was created */
	DEVNS_CMD_DEL,		/* a devns went away; REASON says why */
	DEVNS_CMD_SWITCHED,	/* ID (new active), PREV_ID, LATENCY_NS */
	DEVNS_CMD_HOTKEY,	/* SLOT: a secure switch key combination was pressed */

	__DEVNS_CMD_MAX,
};
#define DEVNS_CMD_MAX (__DEVNS_CMD_MAX - 1)

enum devns_attr {
	DEVNS_A_UNSPEC,
	DEVNS_A_PAD,
	DEVNS_A_ID,		/* u32 */
	DEVNS_A_PID,		/* u32: a pid, in the caller's pid namespace */
	DEVNS_A_TAG,		/* NUL-terminated string, < DEVNS_TAG_LEN */
	DEVNS_A_ACTIVE,		/* flag: this devns is the active one */
	DEVNS_A_ACTIVATED_NS,	/* u64: CLOCK_BOOTTIME ns it last became active, 0 = never */
	DEVNS_A_PREV_ID,	/* u32 */
	DEVNS_A_REASON,		/* u32: enum devns_reason */
	DEVNS_A_LATENCY_NS,	/* u64 */
	DEVNS_A_STATS,		/* nest: enum devns_stats_attr */
	DEVNS_A_HOTKEY,		/* nest, repeated: enum devns_hotkey_attr */
	DEVNS_A_HOTKEYS_DEFAULT,/* flag: reset the table to the defaults */
	DEVNS_A_SLOT,		/* u32 */
	DEVNS_A_PIDFD,		/* u32: a pidfd (pidfd_open) of the caller's naming a
				 * process; free of pid reuse, else as DEVNS_A_PID */

	__DEVNS_A_MAX,
};
#define DEVNS_A_MAX (__DEVNS_A_MAX - 1)

/* Why a devns changed: DEVNS_A_REASON in DEVNS_CMD_DEL and DEVNS_CMD_SWITCHED. */
enum devns_reason {
	DEVNS_REASON_REQUEST,		/* asked for over netlink or /proc */
	DEVNS_REASON_INIT_EXITED,	/* the init of its pid namespace died */
	DEVNS_REASON_UNLOAD,		/* devns_core is being unloaded */
};

enum devns_stats_attr {
	DEVNS_STATS_A_UNSPEC,
	DEVNS_STATS_A_PAD,
	DEVNS_STATS_A_SWITCHES,		/* u64 */
	DEVNS_STATS_A_LAST_NS,		/* u64: latency of the last switch */
	DEVNS_STATS_A_WORST_NS,		/* u64 */
	DEVNS_STATS_A_SUBSYS,		/* nest, repeated: enum devns_subsys_stats_attr */

	__DEVNS_STATS_A_MAX,
};
#define DEVNS_STATS_A_MAX (__DEVNS_STATS_A_MAX - 1)

enum devns_subsys_stats_attr {
	DEVNS_SUBSYS_A_UNSPEC,
	DEVNS_SUBSYS_A_PAD,
	DEVNS_SUBSYS_A_NAME,		/* string */
	DEVNS_SUBSYS_A_LAST_OUT_NS,	/* u64: switch_out time in the last switch */
	DEVNS_SUBSYS_A_LAST_IN_NS,	/* u64: switch_in time in the last switch */
	DEVNS_SUBSYS_A_WORST_NS,	/* u64: worst switch_out + switch_in */

	__DEVNS_SUBSYS_A_MAX,
};
#define DEVNS_SUBSYS_A_MAX (__DEVNS_SUBSYS_A_MAX - 1)

enum devns_hotkey_attr {
	DEVNS_HOTKEY_A_UNSPEC,
	DEVNS_HOTKEY_A_SLOT,	/* u32: 0 = root, 1..DEVNS_HOTKEY_SLOT_MAX */
	DEVNS_HOTKEY_A_KEYS,	/* binary: __u16 key codes (linux/input-event-codes.h);
				 * all held, the last one pressed last */

	__DEVNS_HOTKEY_A_MAX,
};
#define DEVNS_HOTKEY_A_MAX (__DEVNS_HOTKEY_A_MAX - 1)

#endif /* _UAPI_LINUX_DEVNS_H */
