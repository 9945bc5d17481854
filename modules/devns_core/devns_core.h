/* SPDX-License-Identifier: GPL-2.0 */
/* devns_core internals shared by its source files. */
#ifndef _DEVNS_CORE_H
#define _DEVNS_CORE_H

#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <net/netlink.h>
#include <devns.h>

struct pid;
struct pid_namespace;

/* A devns as one subsystem knows it. */
struct devns_attachment {
	void *priv;			/* devns_set_priv() */
	struct devns *ns;
	struct list_head node;		/* devns_subsys.personas */
};

struct devns {
	refcount_t ref;
	u32 id;
	bool dead;			/* unlinked from devns_list */
	struct pid_namespace *pid_ns;
	struct pid *init_pid;		/* pid 1 of pid_ns */
	char tag[DEVNS_TAG_LEN];	/* under devns_tag_lock */
	u64 activated_ns;		/* CLOCK_BOOTTIME, 0 = never */
	struct device *dev;		/* /sys/class/devns/devns<id> */
	struct devns_attachment att[DEVNS_MAX_SUBSYS];
	struct list_head node;		/* devns_list, RCU */
	struct wait_queue_entry exit_wait; /* on init_pid->wait_pidfd */
	struct work_struct exit_work;
	struct rcu_head rcu;
};

/*
 * devns_mutex serializes every change: creation, destruction, switches,
 * tags, subsystem (un)registration and the hotkey table.  Readers of the
 * active devns and of devns_list use RCU.  A mutex of subsys.c, under it,
 * is held around attach and detach callbacks and devns_for_each_attached(),
 * never on a switch.
 */
extern struct mutex devns_mutex;
extern struct list_head devns_list;	/* root first, then personas by age */
extern struct devns *devns_root_ns;
extern struct workqueue_struct *devns_wq;

#define for_each_persona(ns) \
	list_for_each_entry(ns, &devns_list, node) \
		if (devns_is_root(ns)) {} else

/* registry.c */
int devns_registry_init(void);
void devns_registry_exit(void);
void devns_registry_free(void);
struct devns *devns_find_id(u32 id);
struct devns *__devns_of_task(struct task_struct *task);
bool devns_caller_in_root(void);
bool devns_caller_sees(const struct devns *ns);
pid_t devns_caller_init_nr(const struct devns *ns);
struct pid *devns_pid_of_nr(pid_t nr, struct netlink_ext_ack *extack);
struct pid *devns_pid_of_pidfd(unsigned int fd, struct netlink_ext_ack *extack);
struct devns *devns_of_pid(struct pid *pid);
struct devns *devns_of_pid_registering(struct pid *pid,
				       struct netlink_ext_ack *extack);
struct devns *devns_create(struct pid *pid, const char *tag,
			   struct netlink_ext_ack *extack);
void devns_destroy(struct devns *ns, enum devns_reason reason);
int devns_set_tag(struct devns *ns, const char *tag,
		  struct netlink_ext_ack *extack);
int devns_caller_may_change(bool privileged, struct netlink_ext_ack *extack);

/* switch.c */
struct devns_stats {
	u64 switches;
	u64 last_ns;
	u64 worst_ns;
};
extern struct devns_stats devns_stats;
extern struct devns __rcu *devns_active_ptr;
void devns_switch_init(struct devns *root);
void devns_switch(struct devns *to, enum devns_reason reason);

/* subsys.c */
extern struct list_head devns_subsys_list;
int devns_subsys_attach_all(struct devns *ns);
void devns_subsys_detach_all(struct devns *ns);

/* death.c */
void devns_watch_init(struct devns *ns);
void devns_unwatch_init(struct devns *ns);

/* sysfs.c */
int devns_sysfs_init(void);
void devns_sysfs_exit(void);
int devns_sysfs_add(struct devns *ns);
void devns_sysfs_del(struct devns *ns);

/* hotkeys.c */
int devns_hotkeys_init(void);
void devns_hotkeys_exit(void);
const struct devns_hotkeys *devns_hotkeys_locked(void);
void devns_hotkeys_replace(struct devns_hotkeys *table);
int devns_hotkeys_reset(void);

/* netlink.c */
int devns_netlink_init(void);
void devns_netlink_exit(void);
void devns_notify_new(struct devns *ns);
void devns_notify_del(struct devns *ns, enum devns_reason reason);
void devns_notify_switch(struct devns *to, struct devns *from, u64 latency,
			 enum devns_reason reason);
void devns_notify_hotkey(u32 slot);

/* procfs.c */
int devns_procfs_init(void);
void devns_procfs_exit(void);

#endif /* _DEVNS_CORE_H */
