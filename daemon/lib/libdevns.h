/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libdevns: a client of the devns generic netlink family
 * (include/uapi/linux/devns.h) over libnl-genl-3.
 *
 * Every function returning int returns 0 (or a count) on success and
 * -errno on failure.  When the kernel refused a request, devns_nl_errmsg()
 * holds its extended-ack message ("" if it sent none).
 *
 * The parsers (devns_parse_*) only read a message; they do no I/O, so
 * tests can feed them hand-made messages.  They reject replies whose
 * attributes have the wrong type or length with -EBADMSG.
 */
#ifndef LIBDEVNS_H
#define LIBDEVNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/devns.h>

struct nlmsghdr;

#define DEVNS_NL_ERRMSG_LEN	128
#define DEVNS_NL_SUBSYS_MAX	8
#define DEVNS_NL_SUBSYS_NAME_LEN 32	/* including the NUL */

/* One device namespace.  Attributes the kernel left out read as 0 / "". */
struct devns_info {
	uint32_t id;
	uint32_t pid;		/* its init, in the root pid namespace */
	char tag[DEVNS_TAG_LEN];
	bool active;
	uint64_t activated_ns;	/* CLOCK_BOOTTIME; 0 = never active */
};

struct devns_subsys_stats {
	char name[DEVNS_NL_SUBSYS_NAME_LEN];
	uint64_t last_out_ns;
	uint64_t last_in_ns;
	uint64_t worst_ns;
};

struct devns_stats {
	uint64_t switches;
	uint64_t last_ns;
	uint64_t worst_ns;
	unsigned int n_subsys;
	struct devns_subsys_stats subsys[DEVNS_NL_SUBSYS_MAX];
};

struct devns_hotkey {
	uint32_t slot;		/* DEVNS_HOTKEY_SLOT_ROOT or a persona slot */
	unsigned int n_keys;
	uint16_t keys[DEVNS_HOTKEY_KEYS_MAX];	/* the last one pressed last */
};

struct devns_hotkeys {
	unsigned int n;
	struct devns_hotkey hk[DEVNS_HOTKEYS_MAX];
};

/* A multicast event.  Which fields mean something depends on cmd. */
struct devns_event {
	uint8_t cmd;		/* DEVNS_CMD_NEW, _DEL, _SWITCHED, _HOTKEY */
	struct devns_info ns;	/* NEW, DEL: the devns; SWITCHED: ns.id is the new active one */
	uint32_t prev_id;	/* SWITCHED */
	uint32_t reason;	/* DEL, SWITCHED: enum devns_reason */
	uint64_t latency_ns;	/* SWITCHED */
	uint32_t slot;		/* HOTKEY */
};

/* Requests. */
struct devns_nl;

int devns_nl_open(struct devns_nl **out);
void devns_nl_close(struct devns_nl *nl);
const char *devns_nl_errmsg(const struct devns_nl *nl);

/* *out is malloc()ed (free() it); returns the number of entries. */
int devns_nl_list(struct devns_nl *nl, struct devns_info **out);
int devns_nl_get(struct devns_nl *nl, uint32_t id, struct devns_info *out);
int devns_nl_get_by_pid(struct devns_nl *nl, uint32_t pid, struct devns_info *out);
/* tag may be NULL; out may be NULL. */
int devns_nl_create(struct devns_nl *nl, uint32_t pid, const char *tag,
		    struct devns_info *out);
int devns_nl_destroy(struct devns_nl *nl, uint32_t id);
int devns_nl_switch(struct devns_nl *nl, uint32_t id);
int devns_nl_switch_to_pid(struct devns_nl *nl, uint32_t pid);
/*
 * The same, naming the process by a pidfd (pidfd_open(2)) instead of a pid:
 * free of pid reuse.  -EOPNOTSUPP: this devns_core predates DEVNS_A_PIDFD
 * (use the pid variant, and check the pidfd's process is still alive
 * afterwards).
 */
int devns_nl_get_by_pidfd(struct devns_nl *nl, int pidfd, struct devns_info *out);
int devns_nl_create_by_pidfd(struct devns_nl *nl, int pidfd, const char *tag,
			     struct devns_info *out);
int devns_nl_switch_to_pidfd(struct devns_nl *nl, int pidfd);
int devns_nl_set_tag(struct devns_nl *nl, uint32_t id, const char *tag);
int devns_nl_get_stats(struct devns_nl *nl, struct devns_stats *out);
int devns_nl_get_hotkeys(struct devns_nl *nl, struct devns_hotkeys *out);
int devns_nl_set_hotkeys(struct devns_nl *nl, const struct devns_hotkeys *hk);
int devns_nl_reset_hotkeys(struct devns_nl *nl);

/* Events from the "events" multicast group. */
struct devns_monitor;
typedef void (*devns_event_cb)(const struct devns_event *ev, void *data);

int devns_monitor_open(struct devns_monitor **out);
void devns_monitor_close(struct devns_monitor *mon);
/* Non-blocking; readable when events are pending. */
int devns_monitor_fd(const struct devns_monitor *mon);
/*
 * Hands every pending event to cb and returns how many there were.
 * -ENOBUFS means events were lost: re-read the state with devns_nl_list().
 */
int devns_monitor_dispatch(struct devns_monitor *mon, devns_event_cb cb,
			   void *data);

/* Parsers. */
int devns_parse_info(struct nlmsghdr *nlh, struct devns_info *out);
int devns_parse_stats(struct nlmsghdr *nlh, struct devns_stats *out);
/* Appends the message's DEVNS_A_HOTKEY entries to *acc. */
int devns_parse_hotkeys(struct nlmsghdr *nlh, struct devns_hotkeys *acc);
int devns_parse_event(struct nlmsghdr *nlh, struct devns_event *out);
/*
 * An NLMSG_ERROR or NLMSG_DONE message: sets *err to 0 or -errno and copies
 * the extended-ack message, if any, to msg (always NUL-terminated).
 */
int devns_parse_ack(struct nlmsghdr *nlh, int *err, char *msg,
		    size_t size);

/* Names for printing. */
const char *devns_reason_name(uint32_t reason);
const char *devns_event_name(uint8_t cmd);

#endif /* LIBDEVNS_H */
