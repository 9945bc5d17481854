// SPDX-License-Identifier: GPL-2.0
/*
 * devns_input: per-persona mirrors of the physical input devices, routing
 * to the active persona, secure switch keys.  See devns_input.h.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include "devns_input.h"

DEFINE_MUTEX(dni_lock);
LIST_HEAD(dni_phys_list);
LIST_HEAD(dni_dead_list);
struct dni_persona *dni_personas[DEVNS_MAX_ID + 1];
int dni_target;
struct workqueue_struct *dni_wq;
DECLARE_WORK(dni_reconcile_work, dni_reconcile);
DECLARE_WORK(dni_output_work, dni_output);

bool dni_virtual_switch_keys;
module_param_named(virtual_switch_keys, dni_virtual_switch_keys, bool, 0644);
MODULE_PARM_DESC(virtual_switch_keys,
		 "Switch keys from virtual devices the root made (default: no, hardware only)");

unsigned int dni_grabs_taken;
module_param_named(grabs_taken, dni_grabs_taken, uint, 0444);
MODULE_PARM_DESC(grabs_taken,
		 "Grabs taken from root readers as a persona became active (read-only)");

static int dni_attach(struct devns *ns)
{
	struct dni_persona *p;
	u32 id = devns_id(ns);

	if (!id || id > DEVNS_MAX_ID)
		return -EINVAL;
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	p->ns = ns;
	p->id = id;
	devns_set_priv(ns, &dni_subsys, p);

	mutex_lock(&dni_lock);
	dni_personas[id] = p;
	mutex_unlock(&dni_lock);
	queue_work(dni_wq, &dni_reconcile_work);
	flush_work(&dni_reconcile_work);
	return 0;
}

static void dni_detach(struct devns *ns)
{
	struct dni_persona *p = devns_priv(ns, &dni_subsys);
	struct dni_phys *phys;

	mutex_lock(&dni_lock);
	/* Its own virtual devices go to nobody. */
	list_for_each_entry(phys, &dni_phys_list, node)
		if (phys->owner == p)
			WRITE_ONCE(phys->owner, NULL);
	/* The core switches away first; should it not, hand input back to the root. */
	if (READ_ONCE(dni_target) == p->id) {
		dni_switch_away(p->id);
		dni_switch_to(0);
	}
	dni_personas[p->id] = NULL;
	mutex_unlock(&dni_lock);
	queue_work(dni_wq, &dni_reconcile_work);
	flush_work(&dni_reconcile_work);

	devns_set_priv(ns, &dni_subsys, NULL);
	kfree(p);
}

struct devns_subsys dni_subsys = {
	.name = "input",
	.owner = THIS_MODULE,
	.attach = dni_attach,
	.detach = dni_detach,
	.switch_out = dni_switch_out,
	.switch_in = dni_switch_in,
};

static int __init dni_init(void)
{
	int err;

	dni_wq = alloc_ordered_workqueue("devns_input", 0);
	if (!dni_wq)
		return -ENOMEM;
	dni_ff_wq = alloc_ordered_workqueue("devns_input_ff", 0);
	if (!dni_ff_wq) {
		err = -ENOMEM;
		goto err_wq;
	}
	err = input_register_handler(&dni_guard_handler);
	if (err)
		goto err_ff_wq;
	/* Before dni_phys_handler, whose connect() registers its handles. */
	err = input_register_handler(&dni_route_handler);
	if (err)
		goto err_guard;
	err = input_register_handler(&dni_phys_handler);
	if (err)
		goto err_route;
	err = devns_register_subsys(&dni_subsys);
	if (err)
		goto err_phys;
	return 0;

err_phys:
	input_unregister_handler(&dni_phys_handler);
err_route:
	input_unregister_handler(&dni_route_handler);
err_guard:
	input_unregister_handler(&dni_guard_handler);
err_ff_wq:
	destroy_workqueue(dni_ff_wq);
err_wq:
	destroy_workqueue(dni_wq);
	return err;
}

/*
 * The core hands input back to the root (the root's force feedback with
 * it: flushed) and detaches every persona (their mirrors go), then the
 * physical devices are let go; destroying the workqueue runs the last
 * reconcile, which frees them.
 */
static void __exit dni_exit(void)
{
	devns_unregister_subsys(&dni_subsys);
	flush_workqueue(dni_ff_wq);
	input_unregister_handler(&dni_phys_handler);
	input_unregister_handler(&dni_route_handler);
	destroy_workqueue(dni_ff_wq);
	destroy_workqueue(dni_wq);
	input_unregister_handler(&dni_guard_handler);
}

module_init(dni_init);
module_exit(dni_exit);
MODULE_DESCRIPTION("devns: per-persona input mirrors and secure switch keys");
MODULE_LICENSE("GPL");
