// SPDX-License-Identifier: GPL-2.0
/*
 * A persona's mirror of one physical input device: same name, phys, uniq,
 * ids, capabilities, axis ranges and properties, a child of the persona's
 * devns device (which is how the root tells it from the device).
 */
#include <linux/input/mt.h>
#include <linux/slab.h>
#include "devns_input.h"

/* Taken inside a physical device's event_lock (see devns_input.h). */
static struct lock_class_key dni_mirror_event_lock_key;

/* Event types a mirror copies; EV_FF comes with its ff core (ff.c). */
#define DNI_MIRROR_TYPES (BIT(EV_SYN) | BIT(EV_KEY) | BIT(EV_REL) | \
			  BIT(EV_ABS) | BIT(EV_MSC) | BIT(EV_SW) | \
			  BIT(EV_LED) | BIT(EV_SND) | BIT(EV_REP))

/* Whether the task writing into @m is of its persona. */
static bool dni_mirror_writer_ok(struct dni_mirror *m)
{
	struct devns *ns;
	bool ok;

	if (!in_task())
		return false;
	ns = devns_of_task(current);
	ok = ns == m->persona->ns;
	devns_put(ns);
	return ok;
}

/*
 * Output written into the mirror: remembered here, sent by dni_output_work.
 * LEDs and sound come only from the persona's own tasks: a host handler
 * that got hold of the mirror anyway (one loaded after it was registered:
 * the console keyboard's lock LEDs and bell, input-leds' kbd-* triggers)
 * is undone here, the mirror's state set back to the persona's, and the
 * guard drops the event.  The input core calls this for a change of state,
 * and from 7.3 on also to replay the whole state when the mirror is opened
 * or closed (input_dev_toggle()): set back, never flipped.
 */
static int dni_mirror_event(struct input_dev *dev, unsigned int type,
			    unsigned int code, int value)
{
	struct dni_mirror *m = input_get_drvdata(dev);

	if (type == EV_FF)
		return input_ff_event(dev, type, code, value);
	if (!(type == EV_LED && code < LED_CNT) &&
	    !(type == EV_SND && code < SND_CNT))
		return 0;
	if (!dni_mirror_writer_ok(m)) {
		if (type == EV_LED)
			__assign_bit(code, dev->led, test_bit(code, m->led));
		else
			__assign_bit(code, dev->snd, m->snd[code]);
		return 0;
	}
	if (type == EV_LED)
		__assign_bit(code, m->led, value);
	else
		m->snd[code] = value;
	queue_work(dni_wq, &dni_output_work);
	return 0;
}

/* Whether the guard passes an EV_LED or EV_SND event: not one undone. */
bool dni_mirror_output_kept(struct input_dev *dev, unsigned int type,
			    unsigned int code, int value)
{
	struct dni_mirror *m = input_get_drvdata(dev);

	if (type == EV_LED)
		return code < LED_CNT && !!value == test_bit(code, m->led);
	return code < SND_CNT && value == m->snd[code];
}

/*
 * Only the guard opens the mirror first (guard.c), as it is registered:
 * the host handlers that open a device as they connect (the console
 * keyboard, sysrq, input-leds, rfkill...) come before it and fail, so they
 * never bind to a mirror.  Later openers (a reader of its node) don't call
 * this.
 */
static int dni_mirror_open(struct input_dev *dev)
{
	struct dni_mirror *m = input_get_drvdata(dev);

	return m->guard_opens ? 0 : -ENODEV;
}

void dni_mirror_guard_opens(struct input_dev *dev)
{
	struct dni_mirror *m = input_get_drvdata(dev);

	m->guard_opens = true;
}

bool dni_is_mirror(const struct input_dev *dev)
{
	return dev->event == dni_mirror_event;
}

static int dni_mirror_copy_abs(struct input_dev *dev,
			       const struct input_dev *src)
{
	unsigned int code;
	int err;

	if (src->mt) {
		err = input_mt_init_slots(dev, src->mt->num_slots, 0);
		if (err)
			return err;
	}
	input_alloc_absinfo(dev);
	if (!dev->absinfo)
		return -ENOMEM;
	memcpy(dev->absinfo, src->absinfo, ABS_CNT * sizeof(*dev->absinfo));
	/* The physical device has already filtered: don't smooth twice. */
	for (code = 0; code < ABS_CNT; code++)
		dev->absinfo[code].fuzz = 0;
	return 0;
}

/* Caller holds dni_lock, so @phys's input device is alive. */
/* @m once its input device is unregistered or was never registered. */
static void dni_mirror_free(struct dni_mirror *m)
{
	kfree(m->name);
	kfree(m->phys_path);
	kfree(m->uniq);
	kfree(m);
}

struct dni_mirror *dni_mirror_alloc(struct dni_phys *phys,
				    struct dni_persona *p)
{
	const struct input_dev *src = phys->handle.dev;
	unsigned long types = DNI_MIRROR_TYPES;
	struct input_dev *dev;
	struct dni_mirror *m;

	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return NULL;
	dev = input_allocate_device();
	if (!dev)
		goto err_free;
	lockdep_set_class(&dev->event_lock, &dni_mirror_event_lock_key);
	m->dev = dev;
	m->phys = phys;
	m->persona = p;
	input_set_drvdata(dev, m);

	/*
	 * The strings belong to @m, not to the device's devres: those go
	 * inside device_del(), before its remove uevent reads the name.
	 */
	m->name = kstrdup(src->name ?: "", GFP_KERNEL);
	if (src->phys)
		m->phys_path = kstrdup(src->phys, GFP_KERNEL);
	if (src->uniq)
		m->uniq = kstrdup(src->uniq, GFP_KERNEL);
	if (!m->name || (src->phys && !m->phys_path) ||
	    (src->uniq && !m->uniq))
		goto err_dev;
	dev->name = m->name;
	dev->phys = m->phys_path;
	dev->uniq = m->uniq;
	dev->id = src->id;
	dev->dev.parent = devns_device(p->ns);
	dev->hint_events_per_packet = src->hint_events_per_packet;

	bitmap_and(dev->evbit, src->evbit, &types, EV_CNT);
	bitmap_copy(dev->keybit, src->keybit, KEY_CNT);
	bitmap_copy(dev->relbit, src->relbit, REL_CNT);
	bitmap_copy(dev->absbit, src->absbit, ABS_CNT);
	bitmap_copy(dev->mscbit, src->mscbit, MSC_CNT);
	bitmap_copy(dev->swbit, src->swbit, SW_CNT);
	bitmap_copy(dev->propbit, src->propbit, INPUT_PROP_CNT);
	bitmap_copy(dev->sw, src->sw, SW_CNT);
	bitmap_copy(dev->ledbit, src->ledbit, LED_CNT);
	bitmap_copy(dev->sndbit, src->sndbit, SND_CNT);
	if (test_bit(EV_ABS, dev->evbit)) {
		if (!src->absinfo || dni_mirror_copy_abs(dev, src))
			goto err_dev;
	}
	if (test_bit(EV_FF, src->evbit) && src->ff &&
	    dni_mirror_ff_init(dev, src))
		goto err_dev;
	/* After input_ff_create(), which installs its own. */
	dev->event = dni_mirror_event;
	dev->open = dni_mirror_open;
	/* Preset repeat parameters: the physical device repeats, not the mirror. */
	dev->rep[REP_DELAY] = src->rep[REP_DELAY] ?: 250;
	dev->rep[REP_PERIOD] = src->rep[REP_PERIOD] ?: 33;
	return m;

err_dev:
	input_free_device(dev);
	dni_mirror_free(m);
	return NULL;
err_free:
	kfree(m);
	return NULL;
}

/*
 * Called without dni_lock, with @m complete: every capability is declared
 * before registration.  Host handlers are kept off it by dni_mirror_open().
 * On error @m is freed.
 */
int dni_mirror_register(struct dni_mirror *m)
{
	struct input_dev *dev = m->dev;
	int err;

	err = input_register_device(dev);
	if (err) {
		input_free_device(dev);
		dni_mirror_free(m);
		return err;
	}
	if (!dni_guard_attached(dev)) {
		dni_mirror_destroy(m);
		return -ENOMEM;
	}
	return 0;
}

/* Not published (or unpublished and an RCU grace period passed). */
void dni_mirror_destroy(struct dni_mirror *m)
{
	input_unregister_device(m->dev);
	dni_mirror_free(m);
}

/*
 * Release every key, button and touch the persona still sees held.
 * Caller holds the physical device's event_lock.
 */
void dni_mirror_release_all(struct dni_mirror *m)
{
	struct input_dev *dev = m->dev;
	unsigned int code, slot, cur;

	for_each_set_bit(code, dev->key, KEY_CNT)
		input_event(dev, EV_KEY, code, 0);
	if (dev->mt) {
		cur = dev->mt->slot;
		for (slot = 0; slot < dev->mt->num_slots; slot++) {
			if (!input_mt_is_active(&dev->mt->slots[slot]))
				continue;
			input_event(dev, EV_ABS, ABS_MT_SLOT, slot);
			input_event(dev, EV_ABS, ABS_MT_TRACKING_ID, -1);
		}
		input_event(dev, EV_ABS, ABS_MT_SLOT, cur);
	}
	input_event(dev, EV_SYN, SYN_REPORT, 0);
}

/*
 * The physical device announces ABS_MT_SLOT only when it changes: start the
 * mirror on the slot the physical stream is on.  Caller holds the physical
 * device's event_lock.
 */
void dni_mirror_sync_slot(struct dni_mirror *m)
{
	if (m->dev->mt)
		input_event(m->dev, EV_ABS, ABS_MT_SLOT,
			    input_abs_get_val(m->phys->handle.dev, ABS_MT_SLOT));
}
