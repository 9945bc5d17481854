/* SPDX-License-Identifier: GPL-2.0 */
/*
 * devns_led internals shared by its source files.
 *
 * Physical LEDs come under devns control when the "devns" trigger is set on
 * them (by devnsd or a udev rule).  Every persona then gets a virtual LED for
 * each of them; the physical LED shows the root's value while the root is
 * active, and the active persona's virtual LED otherwise.  A brightness the
 * root writes to the physical LED meanwhile (the LED class lets it) is the
 * root's value from then on.
 *
 * An LED whose device another subsystem claims (devns_input: a keyboard's
 * LEDs, which its mirrors switch) stays under the trigger but is left alone:
 * no virtual LEDs, never written, until the claim ends.
 *
 * Locking: virtual LEDs are created and removed only in attach, detach and
 * devns_for_each_attached(), which devns_core serializes (never under an LED
 * core lock).  devns_led_lock (a spinlock: virtual LEDs are set from any
 * context) covers what the physical LEDs show; it is innermost but for the
 * physical LED's own brightness_set.
 */
#ifndef _DEVNS_LED_H
#define _DEVNS_LED_H

#include <linux/kref.h>
#include <linux/leds.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <uapi/linux/uleds.h>
#include <devns.h>

/* A physical LED under the devns trigger. */
struct devns_led_phys {
	struct kref ref;		/* the trigger's and each virtual LED's */
	struct led_classdev *cdev;	/* NULL once it left the trigger */
	struct list_head node;		/* devns_led_phys_list */
	struct list_head virts;		/* devns_led_virt.phys_node */
	bool claimed;			/* its device is another subsystem's */
	unsigned int root_value;	/* the root's, kept while it is away */
	unsigned int written;		/* what devns_led last had it show */
	unsigned int max_brightness;
	char name[LED_MAX_NAME_SIZE];
};

/* A persona as devns_led knows it: its devns and its virtual LEDs. */
struct devns_led_persona {
	struct devns *ns;
	struct list_head virts;		/* devns_led_virt.persona_node */
};

/* A persona's virtual LED standing for one physical LED. */
struct devns_led_virt {
	struct led_classdev cdev;
	struct devns_led_phys *phys;	/* holds a reference */
	struct devns_led_persona *persona;
	struct list_head phys_node;	/* empty once unlinked */
	struct list_head persona_node;
	unsigned int value;		/* what the persona last set */
	char name[LED_MAX_NAME_SIZE];
};

/* main.c */
extern spinlock_t devns_led_lock;
extern struct devns *devns_led_shown;	/* persona shown; NULL: the root */
extern struct list_head devns_led_phys_list;

/* trigger.c */
extern struct led_trigger devns_led_trigger;
extern struct notifier_block devns_led_claim_nb;
void devns_led_phys_put(struct devns_led_phys *phys);
bool devns_led_controls(const struct devns_led_phys *phys);
void devns_led_catch_root(struct devns_led_phys *phys);
void devns_led_show(struct devns_led_phys *phys);

/* virtual.c */
extern struct work_struct devns_led_sync_work;
int devns_led_persona_sync(struct devns_led_persona *persona);
void devns_led_persona_clear(struct devns_led_persona *persona);
unsigned int devns_led_value(struct devns_led_phys *phys, struct devns *ns);

/* subsys.c */
extern struct devns_subsys devns_led_subsys;

#endif /* _DEVNS_LED_H */
