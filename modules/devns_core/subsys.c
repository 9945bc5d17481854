// SPDX-License-Identifier: GPL-2.0
/*
 * Subsystem modules register here and get their callbacks for every persona
 * and every switch, and walk the personas they are attached to; see
 * include/devns.h for the contract.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitops.h>
#include <linux/module.h>
#include "devns_core.h"

LIST_HEAD(devns_subsys_list);
static unsigned long devns_subsys_slots;

/*
 * Held around attach and detach (inside devns_mutex) and the walks of a
 * subsystem's personas; never on a switch, so a walk never delays one.
 */
static DEFINE_MUTEX(devns_attach_mutex);

void devns_set_priv(struct devns *ns, const struct devns_subsys *ss, void *priv)
{
	ns->att[ss->slot].priv = priv;
}
EXPORT_SYMBOL_GPL(devns_set_priv);

void *devns_priv(const struct devns *ns, const struct devns_subsys *ss)
{
	return ns->att[ss->slot].priv;
}
EXPORT_SYMBOL_GPL(devns_priv);

void devns_for_each_attached(const struct devns_subsys *ss,
			     void (*fn)(struct devns *ns, void *priv))
{
	struct devns_attachment *att;

	mutex_lock(&devns_attach_mutex);
	if (ss->registered)
		list_for_each_entry(att, &ss->personas, node)
			fn(att->ns, att->priv);
	mutex_unlock(&devns_attach_mutex);
}
EXPORT_SYMBOL_GPL(devns_for_each_attached);

static int devns_subsys_attach(struct devns_subsys *ss, struct devns *ns)
{
	struct devns_attachment *att = &ns->att[ss->slot];
	int err = 0;

	mutex_lock(&devns_attach_mutex);
	if (ss->attach)
		err = ss->attach(ns);
	if (!err) {
		att->ns = ns;
		list_add_tail(&att->node, &ss->personas);
	}
	mutex_unlock(&devns_attach_mutex);
	return err;
}

static void devns_subsys_detach(struct devns_subsys *ss, struct devns *ns)
{
	struct devns_attachment *att = &ns->att[ss->slot];

	mutex_lock(&devns_attach_mutex);
	list_del(&att->node);
	if (ss->detach)
		ss->detach(ns);
	att->priv = NULL;
	mutex_unlock(&devns_attach_mutex);
}

/* Walks of @ss's personas see them from registration to unregistration. */
static void devns_subsys_set_registered(struct devns_subsys *ss, bool on)
{
	mutex_lock(&devns_attach_mutex);
	ss->registered = on;
	mutex_unlock(&devns_attach_mutex);
}

/* Under devns_mutex: a new persona gets every subsystem, or none. */
int devns_subsys_attach_all(struct devns *ns)
{
	struct devns_subsys *ss;
	int err;

	list_for_each_entry(ss, &devns_subsys_list, node) {
		err = devns_subsys_attach(ss, ns);
		if (err)
			goto unwind;
	}
	return 0;

unwind:
	pr_warn("devns%u: %s cannot attach: error %d\n", ns->id, ss->name, err);
	list_for_each_entry_continue_reverse(ss, &devns_subsys_list, node)
		devns_subsys_detach(ss, ns);
	return err;
}

void devns_subsys_detach_all(struct devns *ns)
{
	struct devns_subsys *ss;

	list_for_each_entry_reverse(ss, &devns_subsys_list, node)
		devns_subsys_detach(ss, ns);
}

/* The hardware changes hands between the root and @ns for @ss alone. */
static void devns_subsys_handover(struct devns_subsys *ss, struct devns *from,
				  struct devns *to)
{
	if (ss->switch_out)
		ss->switch_out(from, to);
	if (ss->switch_in)
		ss->switch_in(to, from);
}

int devns_register_subsys(struct devns_subsys *ss)
{
	struct devns *ns, *active;
	int slot, err = 0;

	mutex_lock(&devns_mutex);
	slot = find_first_zero_bit(&devns_subsys_slots, DEVNS_MAX_SUBSYS);
	if (slot >= DEVNS_MAX_SUBSYS) {
		err = -ENOSPC;
		goto out;
	}
	ss->slot = slot;
	ss->last_out_ns = ss->last_in_ns = ss->worst_ns = 0;
	INIT_LIST_HEAD(&ss->personas);

	for_each_persona(ns) {
		err = devns_subsys_attach(ss, ns);
		if (err)
			goto unwind;
	}
	__set_bit(slot, &devns_subsys_slots);
	list_add_tail(&ss->node, &devns_subsys_list);
	devns_subsys_set_registered(ss, true);

	active = devns_active();
	if (!devns_is_root(active))
		devns_subsys_handover(ss, devns_root_ns, active);
	goto out;

unwind:
	list_for_each_entry_continue_reverse(ns, &devns_list, node)
		if (!devns_is_root(ns))
			devns_subsys_detach(ss, ns);
out:
	mutex_unlock(&devns_mutex);
	return err;
}
EXPORT_SYMBOL_GPL(devns_register_subsys);

void devns_unregister_subsys(struct devns_subsys *ss)
{
	struct devns *ns, *active;

	mutex_lock(&devns_mutex);
	devns_subsys_set_registered(ss, false);
	active = devns_active();
	if (!devns_is_root(active))
		devns_subsys_handover(ss, active, devns_root_ns);
	list_del(&ss->node);
	for_each_persona(ns)
		devns_subsys_detach(ss, ns);
	__clear_bit(ss->slot, &devns_subsys_slots);
	mutex_unlock(&devns_mutex);
}
EXPORT_SYMBOL_GPL(devns_unregister_subsys);
