// SPDX-License-Identifier: GPL-2.0
/*
 * The handlers of physical input devices: their two handles on each device
 * (connect, disconnect), the grab a persona's route handle holds.  What the
 * handles do with events is in route.c.
 */
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "devns_input.h"

/* Anything below a devns class device was made by devns: never mirror it. */
static bool dni_made_by_devns(const struct input_dev *dev)
{
	const struct device *d;

	for (d = dev->dev.parent; d; d = d->parent)
		if (d->class && !strcmp(d->class->name, "devns"))
			return true;
	return false;
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
	phys = kzalloc(struct_size(phys, fed, dev->max_vals), GFP_KERNEL);
	if (!phys)
		return -ENOMEM;
	phys->handle.dev = dev;
	phys->handle.handler = handler;
	phys->handle.name = "devns_input";
	phys->handle.private = phys;
	phys->route.dev = dev;
	phys->route.handler = &dni_route_handler;
	phys->route.name = "devns_input_route";
	phys->route.private = phys;
	memset(phys->ff_set, -1, sizeof(phys->ff_set));
	memset(phys->root_ff_set, -1, sizeof(phys->root_ff_set));

	err = input_register_handle(&phys->handle);
	if (err)
		goto err_free;
	err = input_open_device(&phys->handle);
	if (err)
		goto err_unregister;
	/* Never opened: it only takes the grab (the filter keeps the device open). */
	err = input_register_handle(&phys->route);
	if (err)
		goto err_close;
	phys->handles = 2;
	/* Its LEDs are the mirrors' (switch.c): devns_led leaves them alone. */
	err = devns_claim_device(&dni_subsys, &dev->dev);
	if (err)
		goto err_unregister_route;

	mutex_lock(&dni_lock);
	list_add_tail(&phys->node, &dni_phys_list);
	if (dni_target)
		dni_phys_set_grab(phys, true);
	mutex_unlock(&dni_lock);
	queue_work(dni_wq, &dni_reconcile_work);
	return 0;

err_unregister_route:
	input_unregister_handle(&phys->route);
err_close:
	input_close_device(&phys->handle);
err_unregister:
	input_unregister_handle(&phys->handle);
err_free:
	kfree(phys);
	return err;
}

/* One of @phys's handles is unregistered: the last frees it (reconcile). */
static void dni_phys_handle_gone(struct dni_phys *phys)
{
	mutex_lock(&dni_lock);
	phys->handles--;
	mutex_unlock(&dni_lock);
	queue_work(dni_wq, &dni_reconcile_work);
}

/*
 * Called with input_mutex held: the mirrors cannot be unregistered here.
 * The device moves to dni_dead_list at once, so that the reconcile work
 * removes its mirrors whenever it runs next; it frees the device only once
 * both our handles are unregistered (the route handle's disconnect comes
 * after, the core calling each handle's own).
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
	dni_phys_handle_gone(phys);
}

void dni_route_disconnect(struct input_handle *handle)
{
	input_release_device(handle);
	input_unregister_handle(handle);
	dni_phys_handle_gone(handle->private);
}

/*
 * Caller holds dni_lock.  The route handle's grab keeps root readers away
 * while a persona is active.  It is let go only while dni_target is
 * DNI_SWITCHING, when both handlers swallow everything; it is taken then,
 * or while a persona is active by a device's connect() or the regrab work,
 * when the filter has swallowed everything until then.
 */
void dni_phys_set_grab(struct dni_phys *phys, bool grab)
{
	int err;

	if (grab == phys->grabbed)
		return;
	if (!grab) {
		input_release_device(&phys->route);
		phys->grabbed = false;
		return;
	}
	err = input_grab_device(&phys->route);
	phys->grabbed = !err;
	/* The device's mutex is taken interruptibly: a work item has no signals. */
	if (err == -EINTR)
		queue_work(dni_wq, &dni_regrab_work);
	else if (err)
		dev_warn(&phys->handle.dev->dev,
			 "devns: cannot grab (%d): a root reader keeps this device\n",
			 err);
}

/*
 * The input core calls start() on the open handles when a grab is released
 * (dev->mutex held): a root reader that kept the device while a persona
 * became active has let it go, so take it (dni_regrab_work).
 */
static void dni_phys_start(struct input_handle *handle)
{
	queue_work(dni_wq, &dni_regrab_work);
}

/* While a persona is active, grab the devices it could not grab before. */
void dni_regrab(struct work_struct *work)
{
	struct dni_phys *phys;

	mutex_lock(&dni_lock);
	if (READ_ONCE(dni_target) > 0)
		list_for_each_entry(phys, &dni_phys_list, node)
			dni_phys_set_grab(phys, true);
	mutex_unlock(&dni_lock);
}

static const struct input_device_id dni_phys_ids[] = {
	DEVNS_INPUT_ID_ANY,	/* dni_phys_match() decides */
	{ },
};

struct input_handler dni_phys_handler = {
	.filter = dni_phys_filter,
	.match = dni_phys_match,
	.connect = dni_phys_connect,
	.disconnect = dni_phys_disconnect,
	.start = dni_phys_start,
	.name = "devns_input",
	.id_table = dni_phys_ids,
};
