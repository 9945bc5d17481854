// SPDX-License-Identifier: GPL-2.0
/*
 * The handler of physical input devices: routes their events to the active
 * persona's mirrors and recognizes the secure switch keys.
 */
#include <linux/jiffies.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "devns_input.h"

/* Event types a mirror receives; output types (LED, sound...) stay here. */
#define DNI_ROUTED_TYPES (BIT(EV_SYN) | BIT(EV_KEY) | BIT(EV_REL) | \
			  BIT(EV_ABS) | BIT(EV_MSC) | BIT(EV_SW))

/* Anything below a devns class device was made by devns: never mirror it. */
static bool dni_made_by_devns(const struct input_dev *dev)
{
	const struct device *d;

	for (d = dev->dev.parent; d; d = d->parent)
		if (d->class && !strcmp(d->class->name, "devns"))
			return true;
	return false;
}

/*
 * A press of @code completes a hotkey when every other key of an entry is
 * held on this same device.  Called from the filter, inside the input
 * core's RCU read section, which keeps the table.
 */
static bool dni_hotkey(struct dni_phys *phys, unsigned int code)
{
	const unsigned long *held = phys->handle.dev->key;
	const struct devns_hotkeys *table = devns_hotkeys();
	unsigned int i, k;
	bool found = false;

	if (!table || code >= KEY_CNT || !test_bit(code, table->last_keys))
		return false;
	for (i = 0; i < table->count && !found; i++) {
		const struct devns_hotkey *hk = &table->entry[i];

		if (!hk->nkeys || hk->nkeys > DEVNS_HOTKEY_KEYS_MAX ||
		    hk->keys[hk->nkeys - 1] != code)
			continue;
		for (k = 0; k + 1 < hk->nkeys; k++)
			if (hk->keys[k] >= KEY_CNT || !test_bit(hk->keys[k], held))
				break;
		if (k + 1 == hk->nkeys) {
			devns_hotkey_pressed(hk->slot);
			found = true;
		}
	}
	return found;
}

/*
 * Keys in phys->suppress were held when something took them away (a hotkey
 * or a switch): their repeats and release go to nobody.  A new press ends
 * that, in case the release never reached us.
 */
static bool dni_key_swallowed(struct dni_phys *phys, unsigned int code,
			      int value)
{
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
	if (value == 1 && dni_hotkey(phys, code)) {
		__set_bit(code, phys->suppress);
		return true;
	}
	return false;
}

/* Collect a packet for persona @target's mirror; feed it at SYN_REPORT. */
static void dni_phys_route(struct dni_phys *phys, int target,
			   unsigned int type, unsigned int code, int value)
{
	struct dni_mirror *m;

	phys->packet[phys->packet_len++] = (struct input_value){ type, code, value };
	if (phys->packet_len < phys->packet_max &&
	    !(type == EV_SYN && code == SYN_REPORT))
		return;
	m = rcu_dereference(phys->mirror[target]);
	if (m)
		dni_mirror_feed(m, phys->packet, phys->packet_len, phys->fed,
				phys->handle.dev->timestamp);
	phys->packet_len = 0;
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

static bool dni_phys_filter(struct input_handle *handle, unsigned int type,
			    unsigned int code, int value)
{
	struct dni_phys *phys = handle->private;
	int target;

	if (type == EV_KEY && dni_key_swallowed(phys, code, value))
		return true;
	target = READ_ONCE(dni_target);
	if (type == EV_SND || type == EV_FF)
		dni_phys_note_output(phys, target, type, code, value);
	if (!target)
		return false;
	if (target < 0)
		return true;
	if (type < BITS_PER_LONG && (DNI_ROUTED_TYPES & BIT(type)))
		dni_phys_route(phys, target, type, code, value);
	/*
	 * The input core starts a key's software autorepeat after the
	 * handlers, for the keys they left.  Held by our grab, the device
	 * gives its events to us alone: keys are left, and repeat for the
	 * persona as they do for the root.
	 */
	return type != EV_KEY || rcu_access_pointer(handle->dev->grab) != handle;
}

static bool dni_phys_match(struct input_handler *handler,
			   struct input_dev *dev)
{
	return !dni_made_by_devns(dev);
}

static int dni_phys_connect(struct input_handler *handler,
			    struct input_dev *dev,
			    const struct input_device_id *id)
{
	struct dni_phys *phys;
	int err;

	/* The input core passes at most max_vals events at once. */
	phys = kzalloc(struct_size(phys, packet, 2 * dev->max_vals), GFP_KERNEL);
	if (!phys)
		return -ENOMEM;
	phys->packet_max = dev->max_vals;
	phys->fed = phys->packet + dev->max_vals;
	phys->handle.dev = dev;
	phys->handle.handler = handler;
	phys->handle.name = "devns_input";
	phys->handle.private = phys;
	memset(phys->ff_set, -1, sizeof(phys->ff_set));
	memset(phys->root_ff_set, -1, sizeof(phys->root_ff_set));

	err = input_register_handle(&phys->handle);
	if (err)
		goto err_free;
	err = input_open_device(&phys->handle);
	if (err)
		goto err_unregister;
	/* Its LEDs are the mirrors' (switch.c): devns_led leaves them alone. */
	err = devns_claim_device(&dni_subsys, &dev->dev);
	if (err)
		goto err_close;

	mutex_lock(&dni_lock);
	list_add_tail(&phys->node, &dni_phys_list);
	if (dni_target)
		dni_phys_set_grab(phys, true);
	mutex_unlock(&dni_lock);
	queue_work(dni_wq, &dni_reconcile_work);
	return 0;

err_close:
	input_close_device(&phys->handle);
err_unregister:
	input_unregister_handle(&phys->handle);
err_free:
	kfree(phys);
	return err;
}

/*
 * Called with input_mutex held: the mirrors cannot be unregistered here.
 * The device moves to dni_dead_list at once, so that the reconcile work
 * removes its mirrors whenever it runs next; it frees the device only once
 * our handle is closed.
 */
static void dni_phys_disconnect(struct input_handle *handle)
{
	struct dni_phys *phys = handle->private;

	mutex_lock(&dni_lock);
	phys->dead = true;
	list_move_tail(&phys->node, &dni_dead_list);
	mutex_unlock(&dni_lock);

	input_close_device(handle);
	input_unregister_handle(handle);
	devns_release_device(&dni_subsys, &handle->dev->dev);

	mutex_lock(&dni_lock);
	phys->closed = true;
	mutex_unlock(&dni_lock);
	queue_work(dni_wq, &dni_reconcile_work);
}

/* Caller holds dni_lock.  A grab keeps root readers away while a persona is active. */
void dni_phys_set_grab(struct dni_phys *phys, bool grab)
{
	int err;

	if (grab == phys->grabbed)
		return;
	if (!grab) {
		input_release_device(&phys->handle);
		phys->grabbed = false;
		return;
	}
	err = input_grab_device(&phys->handle);
	if (err)
		dev_warn(&phys->handle.dev->dev,
			 "devns: cannot grab (%d): a root reader keeps this device\n",
			 err);
	phys->grabbed = !err;
}

static const struct input_device_id dni_phys_ids[] = {
	{ .driver_info = 1 },	/* every device; dni_phys_match() decides */
	{ },
};

struct input_handler dni_phys_handler = {
	.filter = dni_phys_filter,
	.match = dni_phys_match,
	.connect = dni_phys_connect,
	.disconnect = dni_phys_disconnect,
	.name = "devns_input",
	.id_table = dni_phys_ids,
};
