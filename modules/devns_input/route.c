// SPDX-License-Identifier: GPL-2.0
/*
 * What happens to each event of a physical device: the secure switch keys
 * are recognized and swallowed, the root's output is noted (dni_phys_filter,
 * while the root is active) and the active persona's mirror is fed each
 * packet (the route handle's events(), while a persona is active).  All of
 * it runs with the physical device's event_lock held, IRQs off, in one
 * file so that the compiler keeps the path of a packet in one function:
 * under TCG every call and return is dear.
 *
 * Feeding makes no second pass through the mirror's input core: the
 * physical device's core has just checked each event and kept the state.
 * The mirror's state (keys, switches, axes, touch slots) is updated here as
 * its core would, dropping what its core would drop: the two states differ
 * after a switch, or after the persona wrote into its mirror.  What is left
 * goes to the mirror's own device nodes, as the guard passes the persona's
 * writes (guard.c).
 */
#include <linux/input/mt.h>
#include <linux/jiffies.h>
#include "devns_input.h"

/*
 * A press of @code completes a hotkey when every other key of an entry ending
 * with @code is held on this same device.  Out of line: it runs only for
 * keys that end an entry (the table's last_keys).
 */
static noinline bool dni_hotkey_match(struct dni_phys *phys,
				      const struct devns_hotkeys *table,
				      unsigned int code)
{
	const unsigned long *held = phys->handle.dev->key;
	unsigned int i, k;

	for (i = 0; i < table->count; i++) {
		const struct devns_hotkey *hk = &table->entry[i];

		if (!hk->nkeys || hk->nkeys > DEVNS_HOTKEY_KEYS_MAX ||
		    hk->keys[hk->nkeys - 1] != code)
			continue;
		for (k = 0; k + 1 < hk->nkeys; k++)
			if (hk->keys[k] >= KEY_CNT || !test_bit(hk->keys[k], held))
				break;
		if (k + 1 == hk->nkeys) {
			devns_hotkey_pressed(hk->slot);
			return true;
		}
	}
	return false;
}

/*
 * Hardware carries switch keys; a virtual device only if the root made it
 * and the administrator allows it (devns_input.virtual_switch_keys).
 */
static bool dni_switch_keys(const struct dni_phys *phys)
{
	return !phys->virt ||
	       (!phys->owner_id && READ_ONCE(dni_virtual_switch_keys));
}

/*
 * Keys in phys->suppress were held when something took them away (a hotkey
 * or a switch): their repeats and release go to nobody.  A new press ends
 * that, in case the release never reached us.  Called from either handler,
 * inside the input core's RCU read section, which keeps the hotkey table.
 */
static __always_inline bool dni_key_swallowed(struct dni_phys *phys,
					      unsigned int code, int value)
{
	const struct devns_hotkeys *table;

	if (code >= KEY_CNT)
		return false;
	if (test_bit(code, phys->suppress)) {
		if (value != 1) {
			if (!value)
				__clear_bit(code, phys->suppress);
			return true;
		}
		__clear_bit(code, phys->suppress);
	}
	if (value != 1)
		return false;
	table = devns_hotkeys();
	if (!table || !test_bit(code, table->last_keys) ||
	    !dni_switch_keys(phys) || !dni_hotkey_match(phys, table, code))
		return false;
	__set_bit(code, phys->suppress);
	return true;
}

/* Output on its way to the device: what the hardware now has. */
static void dni_phys_note_output(struct dni_phys *phys, int target,
				 unsigned int type, unsigned int code, int value)
{
	if (type == EV_SND && code < SND_CNT)
		phys->snd[code] = value;
	if (type != EV_FF)
		return;
	if (code >= FF_GAIN && code < FF_GAIN + DNI_FF_SETTINGS &&
	    value <= 0xffff)
		phys->ff_set[code - FF_GAIN] = value;
	else if (code < FF_MAX_EFFECTS && !target)
		phys->root_play[code] = (struct dni_ff_play){ value, jiffies };
}

/* EV_KEY and EV_SW: pass a change of state. */
static inline bool dni_feed_toggle(unsigned long *state, unsigned int code,
				   int value)
{
	if (!!test_bit(code, state) == !!value)
		return false;
	__change_bit(code, state);
	return true;
}

/*
 * EV_ABS, as input_handle_abs_event(): ABS_MT_SLOT is only staged, and sent
 * (*@slot_first) before the next value of a slot other than the last sent.
 * Mirrors have no fuzz.
 */
static bool dni_feed_abs(struct input_dev *dev, unsigned int code, int value,
			 bool *slot_first)
{
	struct input_mt *mt = dev->mt;
	int *old = NULL;

	if (code == ABS_MT_SLOT) {
		if (mt && value >= 0 && value < mt->num_slots)
			mt->slot = value;
		return false;
	}
	if (!input_is_mt_value(code))
		old = &dev->absinfo[code].value;
	else if (mt)
		old = &mt->slots[mt->slot].abs[code - ABS_MT_FIRST];
	if (old) {
		if (*old == value)
			return false;
		*old = value;
	}
	if (input_is_mt_value(code) && mt &&
	    mt->slot != input_abs_get_val(dev, ABS_MT_SLOT)) {
		input_abs_set_val(dev, ABS_MT_SLOT, mt->slot);
		*slot_first = true;
	}
	return true;
}

/*
 * Whether persona @target's mirror gets @v, keeping the mirror's state: not a
 * swallowed switch key, not output (noted on its way to the device), not
 * what the mirror's core would drop.  One dispatch on the type, a packet's
 * commonest events first.
 */
static __always_inline bool dni_feed_passes(struct dni_phys *phys,
					    struct input_dev *dev, int target,
					    const struct input_value *v,
					    bool *slot_first)
{
	switch (v->type) {
	case EV_SYN:
		return true;
	case EV_KEY:
		if (dni_key_swallowed(phys, v->code, v->value))
			return false;
		return v->value == 2 || dni_feed_toggle(dev->key, v->code, v->value);
	case EV_ABS:
		return dni_feed_abs(dev, v->code, v->value, slot_first);
	case EV_REL:
	case EV_MSC:
		return true;
	case EV_SW:
		return dni_feed_toggle(dev->sw, v->code, v->value);
	case EV_SND:
	case EV_FF:
		dni_phys_note_output(phys, target, v->type, v->code, v->value);
		return false;
	default:
		return false;
	}
}

/* A packet no mirror is fed: its switch keys swallowed, its output noted. */
static void dni_route_unfed(struct dni_phys *phys, int target,
			    const struct input_value *vals, unsigned int count)
{
	const struct input_value *v;

	for (v = vals; v < vals + count; v++) {
		if (v->type == EV_KEY)
			dni_key_swallowed(phys, v->code, v->value);
		else if (v->type == EV_SND || v->type == EV_FF)
			dni_phys_note_output(phys, target, v->type, v->code,
					     v->value);
	}
}

/*
 * Feed @m, persona @target's mirror, what it gets of the packet @vals, in one
 * pass.  The timestamps are the physical device's: unset unless its driver
 * set them.  Caller holds the physical device's event_lock, with IRQs off,
 * and rcu_read_lock().
 */
static __always_inline void dni_mirror_feed(struct dni_phys *phys,
					    struct dni_mirror *m, int target,
					    const struct input_value *vals,
					    unsigned int count)
{
	struct input_dev *dev = m->dev;
	struct input_value *out = phys->fed;
	const struct input_value *v;
	unsigned int n = 0;

	spin_lock(&dev->event_lock);
	if (unlikely(dev->inhibited)) {
		spin_unlock(&dev->event_lock);
		dni_route_unfed(phys, target, vals, count);
		return;
	}
	for (v = vals; v < vals + count; v++) {
		bool slot_first = false;

		if (!dni_feed_passes(phys, dev, target, v, &slot_first))
			continue;
		/*
		 * One more than the packet at most: the slot staged at its
		 * start may differ from the last sent (after a switch's
		 * dni_mirror_sync_slot(), a release-all, or the persona's own
		 * ABS_MT_SLOT); any later one stands for an ABS_MT_SLOT of
		 * the packet, which is dropped.  phys->fed has room for it.
		 */
		if (slot_first)
			out[n++] = (struct input_value){ EV_ABS, ABS_MT_SLOT,
							 dev->mt->slot };
		out[n++] = *v;
	}
	/* As the core: a packet of a lone SYN_REPORT is not worth passing. */
	if (n >= 2) {
		const ktime_t *ts = phys->handle.dev->timestamp;

		/* The driver's own time if it gave one; else evdev reads the clock. */
		if (ts[INPUT_CLK_MONO])
			memcpy(dev->timestamp, ts, sizeof(dev->timestamp));
		dni_mirror_pass(dev, out, n);
		dev->timestamp[INPUT_CLK_MONO] = ktime_set(0, 0);
	}
	spin_unlock(&dev->event_lock);
}

/*
 * The root's handler, ahead of every other: swallows the switch keys and
 * notes the root's output.  While a persona is active (or on a persona's own
 * device) the route handle holds the grab and this is not called; when it is
 * called then, nobody holds the grab (a switch is under way, the device is
 * connecting): nobody gets the event.
 */
bool dni_phys_filter(struct input_handle *handle, unsigned int type,
		     unsigned int code, int value)
{
	struct dni_phys *phys = handle->private;
	int target = dni_phys_target(phys, READ_ONCE(dni_target));

	if (type == EV_KEY && dni_key_swallowed(phys, code, value))
		return true;
	if (type == EV_SND || type == EV_FF)
		dni_phys_note_output(phys, target, type, code, value);
	return target != 0;
}

/*
 * The route handle's: while a persona is active (always on a persona's own
 * device) it holds the device's grab,
 * so the input core hands it each packet whole (ending with SYN_REPORT), and
 * hands it to nobody else.  Feeds the persona's mirror what it routes.  Every
 * event is kept: the input core starts a key's software autorepeat after the
 * handlers, for the keys kept, so a held key repeats in the persona as it
 * does for the root; the repeats of a swallowed key are swallowed too.
 */
static unsigned int dni_route_packet(struct input_handle *handle,
				     const struct input_value *vals,
				     unsigned int count)
{
	struct dni_phys *phys = container_of(handle, struct dni_phys, route);
	int target = dni_phys_target(phys, READ_ONCE(dni_target));
	struct dni_mirror *m = NULL;

	if (target > 0)
		m = rcu_dereference(phys->mirror[target]);
	if (m)
		dni_mirror_feed(phys, m, target, vals, count);
	else
		dni_route_unfed(phys, target, vals, count);
	return count;
}

DEVNS_INPUT_EVENTS(dni_route_events, dni_route_packet)

/* Its handles are made by dni_phys_connect(): it matches no device itself. */
static const struct input_device_id dni_route_ids[] = {
	{ },
};

struct input_handler dni_route_handler = {
	.events = dni_route_events,
	.disconnect = dni_route_disconnect,
	.name = "devns_input_route",
	.id_table = dni_route_ids,
};
