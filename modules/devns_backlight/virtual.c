// SPDX-License-Identifier: GPL-2.0
/*
 * Virtual backlights: every persona has one for each physical backlight,
 * named after it with the persona's prefix ("devns<id>-"), of the same
 * type, max_brightness and scale, a child of the persona's devns device.
 * It starts with the root's brightness and power, remembers what the
 * persona sets, and passes it on to the physical device while its persona
 * is shown.
 *
 * A physical backlight registers and unregisters under the backlight
 * class's mutex, under which no backlight can be registered: the virtual
 * ones follow from dbl_sync_work; a new persona gets them in attach().
 */
#include <linux/slab.h>
#include "devns_backlight.h"

/*
 * Called with @bd's ops_lock held, which is of one lock class with the
 * physical devices' ops_lock: the hardware is written from dbl_show_work.
 */
static int dbl_virt_update_status(struct backlight_device *bd)
{
	struct dbl_virt *virt = bl_get_data(bd);
	bool shown;

	spin_lock(&dbl_state_lock);
	virt->state.brightness = bd->props.brightness;
	virt->state.power = bd->props.power;
	shown = virt->persona->ns == dbl_shown;
	spin_unlock(&dbl_state_lock);

	if (shown)
		schedule_work(&dbl_show_work);
	return 0;
}

static const struct backlight_ops dbl_virt_ops = {
	.update_status = dbl_virt_update_status,
};

/* Under dbl_hw_mutex: what @phys shows while persona @ns is shown. */
struct dbl_state dbl_value(struct dbl_phys *phys, struct devns *ns)
{
	struct dbl_state state = phys->root;
	struct dbl_virt *virt;

	spin_lock(&dbl_state_lock);
	list_for_each_entry(virt, &phys->virts, phys_node) {
		if (virt->persona->ns == ns) {
			state = virt->state;
			break;
		}
	}
	spin_unlock(&dbl_state_lock);
	return state;
}

/* Serialized by devns_core (see devns_backlight.h). */
static int dbl_virt_create(struct dbl_persona *persona, struct dbl_phys *phys)
{
	struct backlight_properties props = phys->props;
	struct backlight_device *bd;
	struct dbl_virt *virt;

	virt = kzalloc(sizeof(*virt), GFP_KERNEL);
	if (!virt)
		return -ENOMEM;
	snprintf(virt->name, sizeof(virt->name), "devns%u-%s",
		 devns_id(persona->ns), phys->name);
	kref_get(&phys->ref);
	virt->phys = phys;
	virt->persona = persona;

	/* Linked first, so that a switch never misses a value it was set to. */
	mutex_lock(&dbl_hw_mutex);
	virt->state = dbl_root_value(phys);
	list_add_tail(&virt->phys_node, &phys->virts);
	mutex_unlock(&dbl_hw_mutex);

	props.brightness = virt->state.brightness;
	props.power = virt->state.power;
	bd = backlight_device_register(virt->name, devns_device(persona->ns),
				       virt, &dbl_virt_ops, &props);
	if (IS_ERR(bd)) {
		mutex_lock(&dbl_hw_mutex);
		list_del(&virt->phys_node);
		mutex_unlock(&dbl_hw_mutex);
		dbl_phys_put(phys);
		kfree(virt);
		return PTR_ERR(bd);
	}
	virt->bd = bd;
	list_add_tail(&virt->persona_node, &persona->virts);
	return 0;
}

/* Serialized by devns_core (see devns_backlight.h). */
static void dbl_virt_destroy(struct dbl_virt *virt)
{
	mutex_lock(&dbl_hw_mutex);
	list_del_init(&virt->phys_node);
	mutex_unlock(&dbl_hw_mutex);

	/* Takes its ops under its ops_lock: no update_status() after this. */
	backlight_device_unregister(virt->bd);
	list_del(&virt->persona_node);
	dbl_phys_put(virt->phys);
	kfree(virt);
}

/* Under dbl_hw_mutex. */
static bool dbl_has_virt(struct dbl_phys *phys, struct dbl_persona *persona)
{
	struct dbl_virt *virt;

	list_for_each_entry(virt, &phys->virts, phys_node)
		if (virt->persona == persona)
			return true;
	return false;
}

/* A physical backlight that @persona has no virtual one for, referenced. */
static struct dbl_phys *dbl_missing(struct dbl_persona *persona)
{
	struct dbl_phys *phys, *found = NULL;

	mutex_lock(&dbl_hw_mutex);
	list_for_each_entry(phys, &dbl_phys_list, node) {
		if (!dbl_has_virt(phys, persona)) {
			kref_get(&phys->ref);
			found = phys;
			break;
		}
	}
	mutex_unlock(&dbl_hw_mutex);
	return found;
}

/* Serialized by devns_core: @persona's virtual backlights of gone ones go. */
static void dbl_reap(struct dbl_persona *persona)
{
	struct dbl_virt *virt, *tmp;
	bool gone;

	list_for_each_entry_safe(virt, tmp, &persona->virts, persona_node) {
		mutex_lock(&dbl_hw_mutex);
		gone = list_empty(&virt->phys->node);
		mutex_unlock(&dbl_hw_mutex);
		if (gone)
			dbl_virt_destroy(virt);
	}
}

/*
 * Serialized by devns_core: give @persona a virtual backlight for each
 * physical one, and none for those gone.
 */
int dbl_persona_sync(struct dbl_persona *persona)
{
	struct dbl_phys *phys;
	int err;

	dbl_reap(persona);
	while ((phys = dbl_missing(persona))) {
		/*
		 * If this device was unplugged and plugged in again, the old
		 * one is gone now: its virtual device goes, and with it the name.
		 */
		dbl_reap(persona);
		err = dbl_virt_create(persona, phys);
		dbl_phys_put(phys);
		if (err)
			return err;
	}
	return 0;
}

/* Serialized by devns_core: @persona goes, with all its virtual backlights. */
void dbl_persona_clear(struct dbl_persona *persona)
{
	struct dbl_virt *virt, *tmp;

	list_for_each_entry_safe(virt, tmp, &persona->virts, persona_node)
		dbl_virt_destroy(virt);
}

static void dbl_persona_resync(struct devns *ns, void *priv)
{
	int err = dbl_persona_sync(priv);

	if (err)
		pr_err("devns_backlight: devns%u: cannot add a virtual backlight: %d\n",
		       devns_id(ns), err);
}

/* Physical backlights came or went: bring every persona in line. */
static void dbl_sync(struct work_struct *work)
{
	devns_for_each_attached(&dbl_subsys, dbl_persona_resync);
}
DECLARE_WORK(dbl_sync_work, dbl_sync);
