// SPDX-License-Identifier: GPL-2.0
/*
 * devns_backlight as a devns subsystem: personas come and go (attach,
 * detach), and the physical backlights change hands on a switch.  The
 * root's values are taken from the physical devices when it leaves (and
 * from what the root sets there while a persona is active) and put back
 * when it returns; a persona's are its virtual devices' own.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include "devns_backlight.h"

static int dbl_attach(struct devns *ns)
{
	struct dbl_persona *persona;
	int err;

	persona = kzalloc(sizeof(*persona), GFP_KERNEL);
	if (!persona)
		return -ENOMEM;
	persona->ns = ns;
	INIT_LIST_HEAD(&persona->virts);

	err = dbl_persona_sync(persona);
	if (err) {
		dbl_persona_clear(persona);
		kfree(persona);
		return err;
	}
	devns_set_priv(ns, &dbl_subsys, persona);
	return 0;
}

static void dbl_detach(struct devns *ns)
{
	struct dbl_persona *persona = devns_priv(ns, &dbl_subsys);

	dbl_persona_clear(persona);
	kfree(persona);
}

/*
 * Nothing changes on the hardware until switch_in: the root's values are
 * what it shows when the root leaves, or what the root set there meanwhile
 * when a persona leaves.
 */
static void dbl_switch_out(struct devns *from, struct devns *to)
{
	struct dbl_phys *phys;

	mutex_lock(&dbl_hw_mutex);
	list_for_each_entry(phys, &dbl_phys_list, node) {
		if (devns_is_root(from))
			dbl_save_root(phys);
		else
			dbl_catch_root(phys);
	}
	mutex_unlock(&dbl_hw_mutex);
}

static void dbl_switch_in(struct devns *to, struct devns *from)
{
	struct dbl_phys *phys;

	mutex_lock(&dbl_hw_mutex);
	spin_lock(&dbl_state_lock);
	dbl_shown = devns_is_root(to) ? NULL : to;
	spin_unlock(&dbl_state_lock);
	list_for_each_entry(phys, &dbl_phys_list, node)
		dbl_show(phys);
	mutex_unlock(&dbl_hw_mutex);
}

struct devns_subsys dbl_subsys = {
	.name = "backlight",
	.owner = THIS_MODULE,
	.attach = dbl_attach,
	.detach = dbl_detach,
	.switch_out = dbl_switch_out,
	.switch_in = dbl_switch_in,
};
