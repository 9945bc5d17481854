/* SPDX-License-Identifier: GPL-2.0 */
/*
 * devns_backlight internals shared by its source files.
 *
 * Every physical backlight class device gets, per persona, a virtual one.
 * The physical device shows the root's brightness and power while the root
 * is active and the active persona's virtual device's otherwise; what the
 * root (or the driver) sets on the physical device meanwhile is the root's.
 *
 * Locking, outermost first:
 *   devns_core      registering and unregistering virtual devices happen
 *                   only in attach, detach and devns_for_each_attached(),
 *                   which devns_core serializes (never under a backlight
 *                   core lock);
 *   dbl_hw_mutex    the physical devices: their list, each one's virtual
 *                   devices, dbl_shown, the root's values and writing them
 *                   (taken under the backlight class's mutex by the class
 *                   interface, and outside those registrations), then
 *                   a physical device's ops_lock;
 *   dbl_state_lock  a virtual device's values and dbl_shown, innermost: a
 *                   virtual device's update_status() takes it under that
 *                   device's ops_lock, which is of the same lock class as a
 *                   physical one's, so it never waits for dbl_hw_mutex.
 */
#ifndef _DEVNS_BACKLIGHT_H
#define _DEVNS_BACKLIGHT_H

#include <linux/backlight.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <devns.h>

#define DBL_NAME_SIZE 64

/* What a backlight shows. */
struct dbl_state {
	int brightness;
	int power;
};

/* A physical backlight device. */
struct dbl_phys {
	struct kref ref;		/* the list's and each virtual device's */
	struct backlight_device *bd;	/* holds a device reference */
	struct list_head node;		/* dbl_phys_list; empty once gone */
	struct list_head virts;		/* dbl_virt.phys_node */
	struct dbl_state root;		/* the root's, kept while it is away */
	struct dbl_state written;	/* what devns_backlight last had it show */
	struct backlight_properties props; /* type, max_brightness, scale */
	char name[DBL_NAME_SIZE];
};

/* A persona as devns_backlight knows it. */
struct dbl_persona {
	struct devns *ns;
	struct list_head virts;		/* dbl_virt.persona_node */
};

/* A persona's virtual backlight standing for one physical backlight. */
struct dbl_virt {
	struct backlight_device *bd;
	struct dbl_phys *phys;		/* holds a reference */
	struct dbl_persona *persona;
	struct list_head phys_node;	/* empty once unlinked */
	struct list_head persona_node;
	struct dbl_state state;		/* what the persona last set */
	char name[DBL_NAME_SIZE];
};

/* main.c */
extern struct mutex dbl_hw_mutex;
extern struct list_head dbl_phys_list;
extern spinlock_t dbl_state_lock;
extern struct devns *dbl_shown;		/* persona shown; NULL: the root */

/* phys.c */
extern struct class_interface dbl_intf;
extern struct work_struct dbl_show_work;
void dbl_phys_put(struct dbl_phys *phys);
struct dbl_state dbl_root_value(struct dbl_phys *phys);
void dbl_save_root(struct dbl_phys *phys);
void dbl_catch_root(struct dbl_phys *phys);
void dbl_show(struct dbl_phys *phys);

/* virtual.c */
extern struct work_struct dbl_sync_work;
int dbl_persona_sync(struct dbl_persona *persona);
void dbl_persona_clear(struct dbl_persona *persona);
struct dbl_state dbl_value(struct dbl_phys *phys, struct devns *ns);

/* subsys.c */
extern struct devns_subsys dbl_subsys;

#endif /* _DEVNS_BACKLIGHT_H */
