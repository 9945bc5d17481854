// SPDX-License-Identifier: GPL-2.0
/*
 * A persona's mirror of one physical input device: same name (prefixed),
 * ids, capabilities, axis ranges and properties, a child of the persona's
 * devns device.
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

/* Output written by the persona: remembered here, sent by dni_output_work. */
static int dni_mirror_event(struct input_dev *dev, unsigned int type,
			    unsigned int code, int value)
{
	struct dni_mirror *m = input_get_drvdata(dev);

	if (type == EV_FF)
		return input_ff_event(dev, type, code, value);
	if (type == EV_SND && code < SND_CNT)
		m->snd[code] = value;
	if (type == EV_LED || type == EV_SND)
		queue_work(dni_wq, &dni_output_work);
	return 0;
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
	m->name = kasprintf(GFP_KERNEL, "devns%u %s", p->id, src->name ?: "");
	if (src->phys)
		m->phys_path = kasprintf(GFP_KERNEL, "devns%u/%s", p->id,
					 src->phys);
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
	bitmap_copy(m->ledbit, src->ledbit, LED_CNT);
	bitmap_copy(m->sndbit, src->sndbit, SND_CNT);
	if (test_bit(EV_ABS, dev->evbit)) {
		if (!src->absinfo || dni_mirror_copy_abs(dev, src))
			goto err_dev;
	}
	if (test_bit(EV_FF, src->evbit) && src->ff &&
	    dni_mirror_ff_init(dev, src))
		goto err_dev;
	/* After input_ff_create(), which installs its own. */
	dev->event = dni_mirror_event;
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
 * Called without dni_lock.  The output capabilities are declared only once
 * the device is registered, so that input-leds (whose LEDs follow the host
 * console's kbd-* triggers) and the console beeper don't bind to it: the
 * host's console state must not leak into a persona.  On error @m is freed.
 */
int dni_mirror_register(struct dni_mirror *m)
{
	struct input_dev *dev = m->dev;
	bool led = test_bit(EV_LED, dev->evbit);
	bool snd = test_bit(EV_SND, dev->evbit);
	int err;

	__clear_bit(EV_LED, dev->evbit);
	__clear_bit(EV_SND, dev->evbit);
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
	bitmap_copy(dev->ledbit, m->ledbit, LED_CNT);
	bitmap_copy(dev->sndbit, m->sndbit, SND_CNT);
	if (led)
		set_bit(EV_LED, dev->evbit);
	if (snd)
		set_bit(EV_SND, dev->evbit);
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
