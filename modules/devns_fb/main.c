// SPDX-License-Identifier: GPL-2.0
/*
 * devns_fb: per-persona virtual framebuffers; the active persona's is shown
 * on the physical display.  See devns_fb.h for the objects and locks, and
 * docs/ARCHITECTURE.md ("devns_fb") for the design.
 */
#include <linux/console.h>
#include <linux/err.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <devns.h>
#include "devns_fb.h"

DEFINE_MUTEX(dfb_lock);
struct dfb_persona *dfb_active;
static LIST_HEAD(dfb_personas);
static LIST_HEAD(dfb_ready);		/* dfb_phys with virtual framebuffers */

static int dfb_add_virt(struct dfb_persona *p, struct dfb_phys *phys)
{
	struct dfb_virt *virt = dfb_virt_create(phys, p->ns);

	if (IS_ERR(virt))
		return PTR_ERR(virt);
	list_add_tail(&virt->phys_node, &phys->virts);
	list_add_tail(&virt->persona_node, &p->virts);
	return 0;
}

static void dfb_remove_virt(struct dfb_virt *virt)
{
	list_del(&virt->phys_node);
	list_del(&virt->persona_node);
	dfb_virt_destroy(virt);
}

static struct dfb_virt *dfb_virt_of(struct dfb_persona *p,
				    struct dfb_phys *phys)
{
	struct dfb_virt *virt;

	list_for_each_entry(virt, &p->virts, persona_node)
		if (virt->phys == phys)
			return virt;
	return NULL;
}

/*
 * console_lock is taken only where fbcon needs it: to suspend it on the
 * root's screen, and around a mode change (fb_set_var() asks fbcon); fbcon
 * is resumed after the switch (dfb_screen_finish).  On PREEMPT_RT it can
 * cost milliseconds (it waits for the printer threads to finish a line).
 */

/* Under dfb_lock.  Takes @phys away from whoever is shown on it. */
static void dfb_hide(struct dfb_phys *phys, bool from_root)
{
	if (from_root)
		console_lock();
	mutex_lock(&phys->hw_lock);
	if (from_root)
		dfb_screen_leave_root(phys);
	phys->shown = NULL;
	mutex_unlock(&phys->hw_lock);
	if (from_root)
		console_unlock();
}

/* Under dfb_lock.  Shows persona @p (NULL: the root) on @phys. */
static void dfb_show(struct dfb_phys *phys, struct dfb_persona *p)
{
	struct dfb_virt *virt = p ? dfb_virt_of(p, phys) : NULL;
	bool console = false;
	int err;

	do {
		if (console)
			console_lock();
		if (virt)
			lock_fb_info(virt->info);
		mutex_lock(&phys->hw_lock);
		if (p)
			err = dfb_screen_show(phys, virt, console);
		else
			err = dfb_screen_restore_root(phys, console);
		mutex_unlock(&phys->hw_lock);
		if (virt)
			unlock_fb_info(virt->info);
		if (console)
			console_unlock();
		console = true;		/* -EAGAIN: a mode change needs it */
	} while (err == -EAGAIN);
}

/* Under dfb_lock: a new physical framebuffer, bound to its fb_info. */
void dfb_phys_ready(struct dfb_phys *phys)
{
	struct dfb_persona *p;
	int err;

	dfb_phys_get(phys);
	list_add_tail(&phys->ready_node, &dfb_ready);
	list_for_each_entry(p, &dfb_personas, node) {
		err = dfb_add_virt(p, phys);
		if (err)
			dev_warn(phys->dev, "devns_fb: no framebuffer for devns%u: %d\n",
				 devns_id(p->ns), err);
	}
	if (dfb_active) {
		dfb_hide(phys, true);
		dfb_show(phys, dfb_active);
	}
}

/* Under dfb_lock: @phys's device has left (its hardware is cut off). */
void dfb_phys_gone(struct dfb_phys *phys)
{
	struct dfb_virt *virt, *tmp;

	if (list_empty(&phys->ready_node))
		return;
	list_for_each_entry_safe(virt, tmp, &phys->virts, phys_node)
		dfb_remove_virt(virt);
	list_del_init(&phys->ready_node);
	dfb_phys_unclaim(phys);
	dfb_phys_put(phys);
}

static void dfb_persona_free(struct dfb_persona *p)
{
	struct dfb_virt *virt, *tmp;

	list_for_each_entry_safe(virt, tmp, &p->virts, persona_node)
		dfb_remove_virt(virt);
	kfree(p);
}

static int dfb_attach(struct devns *ns)
{
	struct dfb_persona *p;
	struct dfb_phys *phys;
	int err = 0;

	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	p->ns = ns;
	INIT_LIST_HEAD(&p->virts);

	mutex_lock(&dfb_lock);
	list_for_each_entry(phys, &dfb_ready, ready_node) {
		err = dfb_add_virt(p, phys);
		if (err)
			break;
	}
	if (err)
		dfb_persona_free(p);
	else
		list_add_tail(&p->node, &dfb_personas);
	mutex_unlock(&dfb_lock);

	if (!err)
		devns_set_priv(ns, &dfb_subsys, p);
	return err;
}

static void dfb_detach(struct devns *ns)
{
	struct dfb_persona *p = devns_priv(ns, &dfb_subsys);

	if (!p)
		return;
	mutex_lock(&dfb_lock);
	list_del(&p->node);
	if (dfb_active == p)
		dfb_active = NULL;
	dfb_persona_free(p);
	mutex_unlock(&dfb_lock);
}

static void dfb_switch_out(struct devns *from, struct devns *to)
{
	struct dfb_phys *phys;

	mutex_lock(&dfb_lock);
	list_for_each_entry(phys, &dfb_ready, ready_node)
		dfb_hide(phys, devns_is_root(from));
	mutex_unlock(&dfb_lock);
}

static void dfb_switch_in(struct devns *to, struct devns *from)
{
	struct dfb_persona *p = NULL;
	struct dfb_phys *phys;

	if (!devns_is_root(to))
		p = devns_priv(to, &dfb_subsys);

	mutex_lock(&dfb_lock);
	list_for_each_entry(phys, &dfb_ready, ready_node)
		dfb_show(phys, p);
	dfb_active = p;
	mutex_unlock(&dfb_lock);
}

struct devns_subsys dfb_subsys = {
	.name		= "fb",
	.owner		= THIS_MODULE,
	.attach		= dfb_attach,
	.detach		= dfb_detach,
	.switch_out	= dfb_switch_out,
	.switch_in	= dfb_switch_in,
};

static int __init dfb_init(void)
{
	int err;

	err = dfb_virt_init();
	if (err)
		return err;
	err = dfb_phys_init();
	if (err)
		goto err_virt;
	err = devns_register_subsys(&dfb_subsys);
	if (err)
		goto err_phys;
	return 0;

err_phys:
	dfb_phys_exit();
err_virt:
	dfb_virt_exit();
	return err;
}

static void __exit dfb_exit(void)
{
	devns_unregister_subsys(&dfb_subsys);
	dfb_virt_exit();
	dfb_phys_exit();
}

module_init(dfb_init);
module_exit(dfb_exit);
MODULE_DESCRIPTION("devns: per-persona virtual framebuffers");
MODULE_LICENSE("GPL");
