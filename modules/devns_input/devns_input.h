/* SPDX-License-Identifier: GPL-2.0 */
/*
 * devns_input: per-persona mirrors of the physical input devices.
 *
 * Objects and their locks:
 *
 *  struct dni_phys     one per input device devns routes (phys.c says which:
 *                      hardware, and virtual devices by who made them),
 *                      created by connect() of dni_phys_handler, with two
 *                      handles: the filter's (the root's switch keys and
 *                      output) and the route handle, which holds the grab
 *                      while a persona is active (always on a persona's own
 *                      device) and feeds its mirror.  Live ones are on
 *                      dni_phys_list; disconnect() moves them to
 *                      dni_dead_list, where the reconcile work removes
 *                      their mirrors, and frees them once both handles are
 *                      gone.
 *  struct dni_persona  one per attached persona, in dni_personas[id].
 *  struct dni_mirror   one per (phys, persona): a registered input device,
 *                      published in phys->mirror[id] for the route (RCU).
 *
 * dni_lock (a mutex) protects the lists, dni_personas[] and the writers of
 * phys->mirror[] and dni_target.  Input devices are only registered and
 * unregistered by the reconcile work, never with dni_lock held, because
 * registration takes input_mutex, which is held around connect() and
 * disconnect(), which take dni_lock.
 *
 * Hot path (the route handle's events(), once a packet, physical event_lock
 * held, IRQs off): reads dni_target and phys->mirror[] under RCU and feeds
 * the packet to the mirror (route.c), which passes it to the mirror's device
 * nodes.  The mirrors' event_lock has its own lockdep class, always taken
 * inside a physical device's event_lock, never the other way round: output
 * written to a mirror reaches the hardware through dni_output_work.
 *
 * Force feedback (ff.c): a mirror's ff callbacks run under its ff->mutex or
 * its event_lock and take no other lock; effects reach the physical device
 * from dni_ff_work, under dni_ff_lock alone (input_ff_upload() may wait for
 * uinput's user space), so neither dni_lock nor the core's mutex waits for
 * it.  Lock order: dni_ff_lock -> dni_lock -> a device's mutex.
 */
#ifndef _DEVNS_INPUT_H
#define _DEVNS_INPUT_H

#include <linux/input.h>
#include <linux/mutex.h>
#include <linux/workqueue.h>
#include <devns.h>
#include <devns_compat.h>

/* dni_target while a switch is in progress: every physical event is held back */
#define DNI_SWITCHING	(-1)

/* Force-feedback settings kept per side: FF_GAIN and FF_AUTOCENTER. */
#define DNI_FF_SETTINGS	2

struct dni_mirror;

struct dni_phys {
	struct input_handle handle;	/* dni_phys_handler's: the root's */
	struct input_handle route;	/* dni_route_handler's: a persona's */
	struct list_head node;
	bool dead;		/* disconnected; dni_lock */
	int handles;		/* of the two, those registered; dni_lock */
	bool grabbed;		/* the route handle holds the grab; dni_lock */
	bool virt;		/* under /devices/virtual */
	/*
	 * A persona's own virtual device: fed to its mirror alone, whoever is
	 * active.  owner_id never changes; owner is NULL once the persona is
	 * gone (dni_lock; the device then goes to nobody).
	 */
	u32 owner_id;		/* 0: routed to the active devns */
	struct dni_persona *owner;

	/* under handle.dev->event_lock */
	unsigned long suppress[BITS_TO_LONGS(KEY_CNT)]; /* held across a switch or a hotkey */
	int snd[SND_CNT];	/* sound state last written to the device */
	int ff_set[DNI_FF_SETTINGS];	/* likewise gain, autocenter; -1: unknown */

	/* the root's output state while a persona is active; dni_lock */
	unsigned long root_led[BITS_TO_LONGS(LED_CNT)];
	int root_snd[SND_CNT];
	int root_ff_set[DNI_FF_SETTINGS];
	/* the root's plays by effect id, noted while it is active; event_lock */
	struct dni_ff_play {
		int count;		/* 0: stopped */
		unsigned long start;	/* jiffies */
	} root_play[FF_MAX_EFFECTS];

	/* force feedback on the device; dni_ff_lock */
	struct dni_mirror *ff_loaded;	/* whose effects are on it */
	bool ff_root_paused;		/* the root's plays stopped */
	bool ff_stuck;			/* an upload or erase timed out */
	bool ff_pending;		/* for dni_ff_work; dni_lock */

	struct dni_mirror __rcu *mirror[DEVNS_MAX_ID + 1];
	struct input_value fed[];	/* what a mirror is fed of a packet: max_vals + 1 */
};

struct dni_persona {
	struct devns *ns;
	u32 id;
};

struct dni_mirror {
	struct input_dev *dev;
	struct dni_phys *phys;
	struct dni_persona *persona;
	struct list_head node;	/* reconcile's private lists */
	char *name, *phys_path, *uniq;	/* the device's strings */
	/* written by the persona; dev->event_lock */
	unsigned long led[BITS_TO_LONGS(LED_CNT)];
	int snd[SND_CNT];
	bool guard_opens;	/* the guard's open is the first (mirror.c) */
};

extern struct mutex dni_lock;
extern struct list_head dni_phys_list;
extern struct list_head dni_dead_list;
extern struct dni_persona *dni_personas[DEVNS_MAX_ID + 1];
extern int dni_target;		/* 0: root, >0: persona id, DNI_SWITCHING */
extern bool dni_virtual_switch_keys;
extern unsigned int dni_grabs_taken;
extern struct workqueue_struct *dni_wq;
extern struct work_struct dni_reconcile_work;
extern struct work_struct dni_output_work;
extern struct mutex dni_ff_lock;
extern struct workqueue_struct *dni_ff_wq;
extern struct work_struct dni_ff_work;

extern struct devns_subsys dni_subsys;
extern struct input_handler dni_phys_handler;
extern struct input_handler dni_route_handler;
extern struct input_handler dni_guard_handler;

bool dni_is_mirror(const struct input_dev *dev);
bool dni_guard_attached(struct input_dev *dev);
void dni_mirror_guard_opens(struct input_dev *dev);
bool dni_mirror_output_kept(struct input_dev *dev, unsigned int type,
			    unsigned int code, int value);
struct dni_mirror *dni_mirror_alloc(struct dni_phys *phys,
				    struct dni_persona *p);
int dni_mirror_register(struct dni_mirror *m);
void dni_mirror_destroy(struct dni_mirror *m);
void dni_mirror_release_all(struct dni_mirror *m);
void dni_mirror_sync_slot(struct dni_mirror *m);
int dni_mirror_ff_init(struct input_dev *dev, const struct input_dev *src);

bool dni_phys_filter(struct input_handle *handle, unsigned int type,
		     unsigned int code, int value);
void dni_route_disconnect(struct input_handle *handle);

void dni_reconcile(struct work_struct *work);
void dni_output(struct work_struct *work);
void dni_ff_sync(struct work_struct *work);
void dni_ff_retire(struct dni_mirror *m, bool alive);

/* dni_lock held */
void dni_phys_set_grab(struct dni_phys *phys, bool grab);
void dni_ff_queue(struct dni_phys *phys);
void dni_switch_away(int from);
void dni_switch_to(int to);

void dni_switch_out(struct devns *from, struct devns *to);
void dni_switch_in(struct devns *to, struct devns *from);

/*
 * Whose input @phys carries: its owner's (-1: nobody's, the owner is gone)
 * or, for a routed device, the active devns's (@target, dni_target).
 */
static inline int dni_phys_target(const struct dni_phys *phys, int target)
{
	if (!phys->owner_id)
		return target;
	return READ_ONCE(phys->owner) ? phys->owner_id : DNI_SWITCHING;
}

/*
 * The handlers of a device's own nodes: evdev (eventN) and joydev (jsN).
 * Known by the ranges of the input major they own (devices.txt: js from
 * minor 0, event from 64) rather than by name, as this runs for every
 * packet.  mousedev's mouseN also feeds the host-wide /dev/input/mice: left
 * out.
 */
#define DNI_JOYDEV_MINOR_BASE	0
#define DNI_EVDEV_MINOR_BASE	64

static inline bool dni_node_handler(const struct input_handler *handler)
{
	return handler->legacy_minors &&
	       (handler->minor == DNI_EVDEV_MINOR_BASE ||
		handler->minor == DNI_JOYDEV_MINOR_BASE);
}

/*
 * Hand a packet to the handlers of @mirror's own device nodes, or to the one
 * that grabbed it.  Caller holds @mirror's event_lock and rcu_read_lock().
 * Inline: it is on the path of every packet a persona gets.
 */
static inline void dni_mirror_pass(struct input_dev *mirror,
				   struct input_value *vals, unsigned int count)
{
	struct input_handle *h = rcu_dereference(mirror->grab);

	if (h) {
		devns_input_handle_pass(h, vals, count);
		return;
	}
	list_for_each_entry_rcu(h, &mirror->h_list, d_node)
		if (h->open && dni_node_handler(h->handler))
			devns_input_handle_pass(h, vals, count);
}

#endif /* _DEVNS_INPUT_H */
