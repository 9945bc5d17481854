/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The in-kernel API of devns_core, used by the subsystem modules
 * (devns_input, devns_fb, devns_led).
 *
 * A device namespace (struct devns) belongs to a pid namespace.  The root
 * devns (id 0) is the host; every other one is a persona.  Exactly one devns
 * is active; devns_active() reads it under RCU.
 *
 * A subsystem registers a struct devns_subsys.  The core then calls, always
 * with its own mutex held (so all callbacks of all subsystems are serialized
 * with each other and with switches, and may sleep):
 *
 *  attach(ns)          for every persona (never the root): at registration
 *                      for those that exist, later for each new one.
 *                      Build the persona's virtual devices here, as children
 *                      of devns_device(ns).  An error fails persona creation
 *                      (or the registration).
 *  detach(ns)          the persona goes away (or the subsystem unregisters).
 *  switch_out(from,to) before the active devns changes: save @from's state
 *                      of the hardware, silence it.
 *  switch_in(to,from)  after devns_active() returns @to: give the hardware
 *                      @to's state.
 *
 * Registering while a persona is active is followed by switch_out(root,
 * active) + switch_in(active, root) for the new subsystem alone, and
 * unregistering by the reverse, so a subsystem always sees the hardware
 * change hands through its switch callbacks.
 *
 * Callbacks must not call devns_register_subsys()/devns_unregister_subsys()
 * and must not wait for anything that takes a lock a caller of the core may
 * hold while calling into the core.  Lock order: core mutex -> subsystem locks.
 *
 * devns_for_each_attached() calls @fn(ns, priv) for every persona @ss is
 * attached to (attach succeeded, detach not yet called), oldest first, for a
 * subsystem's work outside its callbacks: bringing every persona in line
 * with a physical device that came or went.  The attach and detach
 * callbacks of every subsystem and these walks run one at a time, under a
 * lock of the core's that no switch takes, so a walk never delays a switch;
 * a subsystem needs no list and no lock of its own for its personas.  Not
 * from a callback; @fn must not call into the core.  Before @ss registers
 * and after it unregistered, @fn is not called.
 */
#ifndef _DEVNS_H
#define _DEVNS_H

#include <linux/types.h>
#include <linux/bitops.h>
#include <uapi/linux/input-event-codes.h>
#include <linux/list.h>
#include <linux/rcupdate.h>
#include <uapi/linux/devns.h>

struct devns;
struct device;
struct module;
struct notifier_block;
struct task_struct;

#define DEVNS_MAX_SUBSYS 8

struct devns_subsys {
	const char *name;
	struct module *owner;
	int (*attach)(struct devns *ns);
	void (*detach)(struct devns *ns);
	void (*switch_out)(struct devns *from, struct devns *to);
	void (*switch_in)(struct devns *to, struct devns *from);

	/* private to devns_core */
	struct list_head node;
	struct list_head personas;	/* devns_attachment.node */
	bool registered;
	int slot;
	u64 last_out_ns, last_in_ns, worst_ns;
};

int devns_register_subsys(struct devns_subsys *ss);
void devns_unregister_subsys(struct devns_subsys *ss);

/* Per-persona private data of a subsystem; set in attach, read anywhere. */
void devns_set_priv(struct devns *ns, const struct devns_subsys *ss, void *priv);
void *devns_priv(const struct devns *ns, const struct devns_subsys *ss);
void devns_for_each_attached(const struct devns_subsys *ss,
			     void (*fn)(struct devns *ns, void *priv));

/* The active devns.  Call under rcu_read_lock(); never NULL. */
struct devns *devns_active(void);
bool devns_is_root(const struct devns *ns);
bool devns_is_active(const struct devns *ns);

/* The devns a task belongs to (nearest registered pid namespace), with a reference. */
struct devns *devns_of_task(struct task_struct *task);
struct devns *devns_get(struct devns *ns);
void devns_put(struct devns *ns);

u32 devns_id(const struct devns *ns);
/* Copies the tag (at most DEVNS_TAG_LEN bytes with the NUL). */
void devns_tag(const struct devns *ns, char *buf);
/* The persona's device in /sys/class/devns: parent of its virtual devices. */
struct device *devns_device(struct devns *ns);

/*
 * Physical devices a subsystem virtualizes whole, their children included:
 * devns_input claims the input devices it mirrors, whose LEDs (input-leds'
 * LED class devices, children of the input device) it switches itself.
 * Another subsystem leaves a claimed device's children alone (devns_led
 * gives their LEDs no virtual LEDs and never writes them).
 *
 * devns_claim_device() fails with -EBUSY if @dev is claimed already.
 * Claiming and releasing call the claim notifier chain (event
 * DEVNS_DEVICE_CLAIMED or DEVNS_DEVICE_RELEASED, data a struct devns_claim)
 * synchronously, after devns_device_claimed() changed, without the core's
 * mutex; the caller keeps @dev registered during the call.
 * devns_device_claimed() may be called from any context.
 */
enum { DEVNS_DEVICE_CLAIMED, DEVNS_DEVICE_RELEASED };

struct devns_claim {
	struct device *dev;
	const struct devns_subsys *ss;	/* the claimant */
};

int devns_claim_device(const struct devns_subsys *ss, struct device *dev);
void devns_release_device(const struct devns_subsys *ss, struct device *dev);
bool devns_device_claimed(const struct device *dev);
int devns_register_claim_notifier(struct notifier_block *nb);
void devns_unregister_claim_notifier(struct notifier_block *nb);

/*
 * Secure switch keys.  devns_hotkeys() returns the current table under
 * rcu_read_lock(); devns_hotkey_pressed() announces a press of @slot on the
 * multicast group and may be called from any context, IRQs off included.
 */
struct devns_hotkey {
	u32 slot;
	u32 nkeys;
	u16 keys[DEVNS_HOTKEY_KEYS_MAX];
};

struct devns_hotkeys {
	struct rcu_head rcu;
	unsigned long last_keys[BITS_TO_LONGS(KEY_CNT)]; /* the keys completing an entry */
	unsigned int count;
	struct devns_hotkey entry[];
};

extern struct devns_hotkeys __rcu *devns_hotkey_table;

/* Inline: devns_input asks for every key press. */
static inline const struct devns_hotkeys *devns_hotkeys(void)
{
	return rcu_dereference(devns_hotkey_table);
}

void devns_hotkey_pressed(u32 slot);

#endif /* _DEVNS_H */
