// SPDX-License-Identifier: GPL-2.0
/*
 * The handlers of the input devices devns routes: which those are (the
 * trust model), their two handles on each device (connect, disconnect), the
 * grab a persona's route handle holds.  What the handles do with events is
 * in route.c.
 */
#include <linux/capability.h>
#include <linux/overflow.h>
#include <linux/sched.h>
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

/* Anything under /devices/virtual: uinput's and uhid's devices among others. */
static bool dni_is_virtual(struct input_dev *dev)
{
	char *path = kobject_get_path(&dev->dev.kobj, GFP_KERNEL);
	bool virt = !path || !strncmp(path, "/devices/virtual/", 17);

	kfree(path);
	return virt;
}

/*
 * Whose input @dev carries (the trust model, docs/ARCHITECTURE.md), decided
 * once, in connect(), which runs in the context of whoever registers the
 * device: uinput's creator, or whoever loads this module for the devices
 * there before.  Hardware is routed to the active devns.  A virtual device
 * made in the root devns by a holder of CAP_SYS_ADMIN in the initial user
 * namespace is routed the same; one made in a persona is that persona's
 * alone (*@owner gets its devns, with a reference).  Any other is left
 * alone (-ENODEV): one made by an unprivileged user, or by a kernel thread
 * for an unknown creator (uhid registers its devices from a work item).
 */
static int dni_phys_classify(struct input_dev *dev, bool *virt,
			     struct devns **owner)
{
	struct devns *ns;

	*owner = NULL;
	*virt = dni_is_virtual(dev);
	if (!*virt)
		return 0;
	if (current->flags & PF_KTHREAD)
		return -ENODEV;
	ns = devns_of_task(current);
	if (!devns_is_root(ns)) {
		*owner = ns;
		return 0;
	}
	devns_put(ns);
	/* (has_capability_noaudit() is not exported since 7.3.) */
	return ns_capable_noaudit(&init_user_ns, CAP_SYS_ADMIN) ? 0 : -ENODEV;
}

static int dni_phys_connect(struct input_handler *handler,
			    struct input_dev *dev,
			    const struct input_device_id *id)
{
	struct devns *owner;
	struct dni_phys *phys;
	bool virt;
	int err;

	err = dni_phys_classify(dev, &virt, &owner);
	if (err)
		return err;
	/*
	 * The input core passes at most max_vals events at once; a mirror may
	 * be fed one more (route.c).
	 */
	phys = kzalloc(struct_size(phys, fed, dev->max_vals + 1), GFP_KERNEL);
	if (!phys) {
		err = -ENOMEM;
		goto err_owner;
	}
	phys->virt = virt;
	if (owner)
		phys->owner_id = devns_id(owner);
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
	if (owner && dni_personas[phys->owner_id] &&
	    dni_personas[phys->owner_id]->ns == owner)
		phys->owner = dni_personas[phys->owner_id];
	list_add_tail(&phys->node, &dni_phys_list);
	if (dni_target || phys->owner_id)
		dni_phys_set_grab(phys, true);
	mutex_unlock(&dni_lock);
	if (owner)
		devns_put(owner);
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
err_owner:
	if (owner)
		devns_put(owner);
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

	/* Waits for dni_ff_work to be done with the device. */
	mutex_lock(&dni_ff_lock);
	mutex_lock(&dni_lock);
	phys->dead = true;
	list_move_tail(&phys->node, &dni_dead_list);
	mutex_unlock(&dni_lock);
	mutex_unlock(&dni_ff_lock);

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
 * Caller holds dni_lock.  The route handle's grab keeps every other reader
 * of the device away: while a persona is active, and always from a
 * persona's own device.  A root reader holding the grab (EVIOCGRAB) loses
 * it: the persona's input never reaches the root.  That reader's handler
 * still thinks it holds the grab (its release then changes nothing), so it
 * alone gets the device again once the root is active.  The grab is let go
 * only while dni_target is DNI_SWITCHING, when both handlers swallow
 * everything; it is taken then, or by a device's connect(), when the filter
 * has swallowed everything until then.
 */
void dni_phys_set_grab(struct dni_phys *phys, bool grab)
{
	struct input_dev *dev = phys->route.dev;
	struct input_handle *old;

	if (grab == phys->grabbed)
		return;
	phys->grabbed = grab;
	if (!grab) {
		input_release_device(&phys->route);
		return;
	}
	mutex_lock(&dev->mutex);
	old = rcu_dereference_protected(dev->grab, lockdep_is_held(&dev->mutex));
	rcu_assign_pointer(dev->grab, &phys->route);
	if (old) {
		dni_grabs_taken++;
		dev_notice(&dev->dev,
			   "devns: took the grab from a root reader (%s)\n",
			   old->name);
	}
	mutex_unlock(&dev->mutex);
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
	.name = "devns_input",
	.id_table = dni_phys_ids,
};
