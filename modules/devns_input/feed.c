// SPDX-License-Identifier: GPL-2.0
/*
 * Feeding the active persona's mirror the physical device's packets.
 *
 * A second pass through the input core (input_event() on the mirror) would
 * redo what the physical device's core has just done: check each event and
 * keep the state.  Instead, the mirror's state (keys, switches, axes, touch
 * slots) is updated here as its core would, dropping what its core would
 * drop: the two states differ after a switch, or after the persona wrote
 * into its mirror.  What is left goes to the mirror's own device nodes, as
 * the guard passes the persona's writes (guard.c).
 */
#include <linux/input/mt.h>
#include "devns_input.h"

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

static bool dni_feed_passes(struct input_dev *dev, const struct input_value *v,
			    bool *slot_first)
{
	switch (v->type) {
	case EV_KEY:
		return v->value == 2 || dni_feed_toggle(dev->key, v->code, v->value);
	case EV_SW:
		return dni_feed_toggle(dev->sw, v->code, v->value);
	case EV_ABS:
		return dni_feed_abs(dev, v->code, v->value, slot_first);
	default:
		return true;
	}
}

/*
 * Feed @m the packet @vals (ending with SYN_REPORT) whose timestamps are
 * @ts (the physical device's: unset unless its driver set them); @out has
 * room for @count values.  Caller holds the physical device's event_lock,
 * with IRQs off, and rcu_read_lock().
 */
void dni_mirror_feed(struct dni_mirror *m, const struct input_value *vals,
		     unsigned int count, struct input_value *out,
		     const ktime_t *ts)
{
	struct input_dev *dev = m->dev;
	unsigned int i, n = 0;

	spin_lock(&dev->event_lock);
	if (dev->inhibited)
		goto out;
	for (i = 0; i < count; i++) {
		bool slot_first = false;

		if (!dni_feed_passes(dev, &vals[i], &slot_first))
			continue;
		/* Staging drops the ABS_MT_SLOT it stands for: no overflow. */
		if (slot_first)
			out[n++] = (struct input_value){ EV_ABS, ABS_MT_SLOT,
							 dev->mt->slot };
		out[n++] = vals[i];
	}
	/* As the core: a packet of a lone SYN_REPORT is not worth passing. */
	if (n < 2)
		goto out;
	/* The driver's own time if it gave one; else evdev reads the clock. */
	if (ts[INPUT_CLK_MONO])
		memcpy(dev->timestamp, ts, sizeof(dev->timestamp));
	dni_mirror_pass(dev, out, n);
	dev->timestamp[INPUT_CLK_MONO] = ktime_set(0, 0);
out:
	spin_unlock(&dev->event_lock);
}
