// SPDX-License-Identifier: GPL-2.0
/*
 * Switches: who gets the physical input, whose LED, sound and force-feedback
 * state the hardware shows, and no key left held on either side.
 *
 * switch_out sets dni_target to DNI_SWITCHING (every physical event is held
 * back), releases what the outgoing side still holds and marks every key
 * physically held as suppressed; switch_in takes or releases the grabs,
 * marks the keys pressed meanwhile, publishes the new target and gives the
 * hardware the incoming side's output state.  Force feedback follows in
 * dni_ff_work (ff.c), which a switch only queues.  Both run under dni_lock.  A persona's own
 * virtual device takes no part: it is its owner's whoever is active.
 *
 * Output is injected through the route handle: while it holds the grab the
 * input core drops what any other handle injects.
 */
#include "devns_input.h"

static const unsigned long dni_no_led[BITS_TO_LONGS(LED_CNT)];
static const int dni_no_snd[SND_CNT];

static struct dni_mirror *dni_mirror_of(struct dni_phys *phys, int id)
{
	if (id <= 0)
		return NULL;
	return rcu_dereference_protected(phys->mirror[id],
					 lockdep_is_held(&dni_lock));
}

static void dni_output_apply(struct dni_phys *phys, const unsigned long *led,
			     const int *snd)
{
	struct input_handle *h = &phys->route;
	struct input_dev *dev = h->dev;
	unsigned int code;

	for_each_set_bit(code, dev->ledbit, LED_CNT)
		input_inject_event(h, EV_LED, code, test_bit(code, led));
	for_each_set_bit(code, dev->sndbit, SND_CNT)
		if (READ_ONCE(phys->snd[code]) != snd[code])
			input_inject_event(h, EV_SND, code, snd[code]);
	input_inject_event(h, EV_SYN, SYN_REPORT, 0);
}

/* Give the hardware @target's output state. */
static void dni_output_show(struct dni_phys *phys, int target)
{
	struct dni_mirror *m = dni_mirror_of(phys, target);

	if (!target)
		dni_output_apply(phys, phys->root_led, phys->root_snd);
	else if (m)
		dni_output_apply(phys, m->dev->led, m->snd);
	else
		dni_output_apply(phys, dni_no_led, dni_no_snd);
	dni_ff_queue(phys);
}

/* Output written by the active persona into a mirror goes to the hardware. */
void dni_output(struct work_struct *work)
{
	struct dni_phys *phys;
	int target;

	mutex_lock(&dni_lock);
	list_for_each_entry(phys, &dni_phys_list, node) {
		target = dni_phys_target(phys, READ_ONCE(dni_target));
		if (target > 0)
			dni_output_show(phys, target);
	}
	mutex_unlock(&dni_lock);
}

/*
 * The root leaves: save its output state and release the keys its readers
 * saw pressed.  This goes through the physical device, while dni_target is
 * still 0, so every root handler sees the release; the real release will
 * then find the key up already and be dropped by the input core.
 */
static void dni_root_away(struct dni_phys *phys)
{
	struct input_dev *dev = phys->handle.dev;
	unsigned long held[BITS_TO_LONGS(KEY_CNT)];
	unsigned int code;

	/* Handlers, our filter too, see a root's FF_GAIN only at a SYN_REPORT. */
	if (dev->ff)
		input_inject_event(&phys->route, EV_SYN, SYN_REPORT, 0);
	spin_lock_irq(&dev->event_lock);
	bitmap_copy(phys->root_led, dev->led, LED_CNT);
	memcpy(phys->root_snd, phys->snd, sizeof(phys->root_snd));
	memcpy(phys->root_ff_set, phys->ff_set, sizeof(phys->root_ff_set));
	bitmap_andnot(held, dev->key, phys->suppress, KEY_CNT);
	spin_unlock_irq(&dev->event_lock);

	if (bitmap_empty(held, KEY_CNT))
		return;
	for_each_set_bit(code, held, KEY_CNT)
		input_inject_event(&phys->route, EV_KEY, code, 0);
	input_inject_event(&phys->route, EV_SYN, SYN_REPORT, 0);

	spin_lock_irq(&dev->event_lock);
	bitmap_or(phys->suppress, phys->suppress, held, KEY_CNT);
	spin_unlock_irq(&dev->event_lock);
}

void dni_switch_away(int from)
{
	struct dni_phys *phys;
	struct dni_mirror *m;

	lockdep_assert_held(&dni_lock);
	if (!from)
		list_for_each_entry(phys, &dni_phys_list, node)
			if (!phys->owner_id)
				dni_root_away(phys);

	WRITE_ONCE(dni_target, DNI_SWITCHING);
	list_for_each_entry(phys, &dni_phys_list, node) {
		struct input_dev *dev = phys->handle.dev;

		if (phys->owner_id)
			continue;

		/* Taking event_lock also waits out a packet still being fed to @from. */
		spin_lock_irq(&dev->event_lock);
		bitmap_or(phys->suppress, phys->suppress, dev->key, KEY_CNT);
		m = dni_mirror_of(phys, from);
		if (m)
			dni_mirror_release_all(m);
		spin_unlock_irq(&dev->event_lock);
		dni_ff_queue(phys);
	}
}

void dni_switch_to(int to)
{
	struct dni_phys *phys;
	struct dni_mirror *m;

	lockdep_assert_held(&dni_lock);
	list_for_each_entry(phys, &dni_phys_list, node) {
		struct input_dev *dev = phys->handle.dev;

		if (phys->owner_id)
			continue;
		dni_phys_set_grab(phys, to != 0);
		spin_lock_irq(&dev->event_lock);
		bitmap_or(phys->suppress, phys->suppress, dev->key, KEY_CNT);
		m = dni_mirror_of(phys, to);
		if (m)
			dni_mirror_sync_slot(m);
		spin_unlock_irq(&dev->event_lock);
	}
	WRITE_ONCE(dni_target, to);

	list_for_each_entry(phys, &dni_phys_list, node)
		if (!phys->owner_id)
			dni_output_show(phys, to);
}

static int dni_id_of(struct devns *ns)
{
	return devns_is_root(ns) ? 0 : devns_id(ns);
}

void dni_switch_out(struct devns *from, struct devns *to)
{
	mutex_lock(&dni_lock);
	dni_switch_away(dni_id_of(from));
	mutex_unlock(&dni_lock);
}

void dni_switch_in(struct devns *to, struct devns *from)
{
	mutex_lock(&dni_lock);
	dni_switch_to(dni_id_of(to));
	mutex_unlock(&dni_lock);
}
