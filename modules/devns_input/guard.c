// SPDX-License-Identifier: GPL-2.0
/*
 * The handler of mirrors.  A mirror is an ordinary input device, so every
 * host-wide handler binds to it too: the VT keyboard, sysrq, mousedev's
 * /dev/input/mice, rfkill...  Nothing a persona's mirror carries (what the
 * persona types, or writes into it) may reach them.  What the persona types
 * is fed to the mirror's own device nodes only (route.c); what goes through
 * the mirror's input core (the persona's writes, the releases of a switch)
 * meets this filter first, which hands each packet to the same nodes and
 * stops it there.
 */
#include <linux/overflow.h>
#include <linux/slab.h>
#include "devns_input.h"

/* Events are collected and passed on a packet (up to SYN_REPORT) at a time. */
struct dni_guard {
	struct input_handle handle;
	unsigned int count, max;
	struct input_value vals[];
};

/* Called under the mirror's event_lock and rcu_read_lock(), like any filter. */
static bool dni_guard_filter(struct input_handle *handle, unsigned int type,
			     unsigned int code, int value)
{
	struct dni_guard *g = container_of(handle, struct dni_guard, handle);

	if ((type == EV_LED || type == EV_SND) &&
	    !dni_mirror_output_kept(handle->dev, type, code, value))
		return true;
	g->vals[g->count].type = type;
	g->vals[g->count].code = code;
	g->vals[g->count].value = value;
	if (++g->count < g->max && !(type == EV_SYN && code == SYN_REPORT))
		return true;

	dni_mirror_pass(handle->dev, g->vals, g->count);
	g->count = 0;
	return true;
}

static bool dni_guard_match(struct input_handler *handler,
			    struct input_dev *dev)
{
	return dni_is_mirror(dev);
}

static int dni_guard_connect(struct input_handler *handler,
			     struct input_dev *dev,
			     const struct input_device_id *id)
{
	struct input_handle *handle;
	struct dni_guard *g;
	int err;

	/* The input core passes at most max_vals events at once. */
	g = kzalloc(struct_size(g, vals, dev->max_vals), GFP_KERNEL);
	if (!g)
		return -ENOMEM;
	g->max = dev->max_vals;
	handle = &g->handle;
	handle->dev = dev;
	handle->handler = handler;
	handle->name = "devns_mirror";

	err = input_register_handle(handle);
	if (err)
		goto err_free;
	dni_mirror_guard_opens(dev);
	err = input_open_device(handle);
	if (err)
		goto err_unregister;
	return 0;

err_unregister:
	input_unregister_handle(handle);
err_free:
	kfree(g);
	return err;
}

static void dni_guard_disconnect(struct input_handle *handle)
{
	input_close_device(handle);
	input_unregister_handle(handle);
	kfree(container_of(handle, struct dni_guard, handle));
}

static const struct input_device_id dni_guard_ids[] = {
	DEVNS_INPUT_ID_ANY,	/* dni_guard_match() decides */
	{ },
};

struct input_handler dni_guard_handler = {
	.filter = dni_guard_filter,
	.match = dni_guard_match,
	.connect = dni_guard_connect,
	.disconnect = dni_guard_disconnect,
	.name = "devns_mirror",
	.id_table = dni_guard_ids,
};

/* A mirror must never be registered without its guard. */
bool dni_guard_attached(struct input_dev *dev)
{
	struct input_handle *h;
	bool found = false;

	mutex_lock(&dev->mutex);
	list_for_each_entry(h, &dev->h_list, d_node)
		if (h->handler == &dni_guard_handler && h->open)
			found = true;
	mutex_unlock(&dev->mutex);
	return found;
}
