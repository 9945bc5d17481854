// SPDX-License-Identifier: GPL-2.0
/*
 * The reconcile work: makes the registered mirrors match (live physical
 * devices) x (attached personas).  It is the only place that registers and
 * unregisters mirrors, and it runs on the ordered dni_wq, so it never races
 * with itself.  attach()/detach() flush it, so a persona's mirrors exist
 * when it is created and are gone when it is destroyed; connect() and
 * disconnect() (input_mutex held) only queue it.
 */
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include "devns_input.h"

static struct dni_mirror *dni_published(struct dni_phys *phys, u32 id)
{
	return rcu_dereference_protected(phys->mirror[id],
					 lockdep_is_held(&dni_lock));
}

/* Unpublish @phys's mirrors that have no attached persona (all of them if dead). */
static void dni_collect_gone(struct dni_phys *phys, struct list_head *gone)
{
	struct dni_mirror *m;
	u32 id;

	for (id = 1; id <= DEVNS_MAX_ID; id++) {
		m = dni_published(phys, id);
		if (m && (phys->dead || m->persona != dni_personas[id])) {
			RCU_INIT_POINTER(phys->mirror[id], NULL);
			list_add_tail(&m->node, gone);
		}
	}
}

static void dni_collect_born(struct dni_phys *phys, struct list_head *born)
{
	struct dni_mirror *m;
	u32 id;

	for (id = 1; id <= DEVNS_MAX_ID; id++) {
		if (!dni_personas[id] || dni_published(phys, id))
			continue;
		/* A persona's own device is mirrored for it alone. */
		if (phys->owner_id && dni_personas[id] != phys->owner)
			continue;
		m = dni_mirror_alloc(phys, dni_personas[id]);
		if (!m) {
			pr_err("devns_input: no memory for a mirror of %s\n",
			       phys->handle.dev->name);
			continue;
		}
		list_add_tail(&m->node, born);
	}
}

/* A freshly registered mirror goes live, unless the world changed meanwhile. */
static void dni_publish(struct dni_mirror *m, struct list_head *gone)
{
	struct dni_phys *phys = m->phys;
	u32 id = m->persona->id;

	if (phys->dead || dni_personas[id] != m->persona ||
	    dni_published(phys, id)) {
		list_add_tail(&m->node, gone);
		return;
	}
	rcu_assign_pointer(phys->mirror[id], m);
	if (dni_phys_target(phys, READ_ONCE(dni_target)) == id) {
		spin_lock_irq(&phys->handle.dev->event_lock);
		dni_mirror_sync_slot(m);
		spin_unlock_irq(&phys->handle.dev->event_lock);
		queue_work(dni_wq, &dni_output_work);
	}
}

void dni_reconcile(struct work_struct *work)
{
	struct dni_mirror *m, *mtmp;
	struct dni_phys *phys, *ptmp;
	LIST_HEAD(gone);
	LIST_HEAD(born);
	LIST_HEAD(dead);

	mutex_lock(&dni_lock);
	list_for_each_entry(phys, &dni_phys_list, node) {
		dni_collect_gone(phys, &gone);
		dni_collect_born(phys, &born);
	}
	mutex_unlock(&dni_lock);

	list_for_each_entry_safe(m, mtmp, &born, node) {
		u32 id = m->persona->id;

		list_del(&m->node);
		if (dni_mirror_register(m)) {
			pr_err("devns_input: cannot register a mirror for devns%u\n",
			       id);
			continue;
		}
		mutex_lock(&dni_lock);
		dni_publish(m, &gone);
		mutex_unlock(&dni_lock);
	}

	mutex_lock(&dni_lock);
	list_for_each_entry_safe(phys, ptmp, &dni_dead_list, node) {
		dni_collect_gone(phys, &gone);
		if (!phys->handles)
			list_move_tail(&phys->node, &dead);
	}
	mutex_unlock(&dni_lock);

	if (list_empty(&gone) && list_empty(&dead))
		return;
	/*
	 * dni_ff_work is done with what goes (a device's disconnect() waited
	 * for it too); not held while unregistering, which takes input_mutex,
	 * held around disconnect().
	 */
	mutex_lock(&dni_ff_lock);
	list_for_each_entry(m, &gone, node) {
		bool alive;

		mutex_lock(&dni_lock);
		alive = !m->phys->dead;
		mutex_unlock(&dni_lock);
		dni_ff_retire(m, alive);
	}
	mutex_unlock(&dni_ff_lock);
	/* No route handle may still be feeding what we unregister. */
	synchronize_rcu();
	list_for_each_entry_safe(m, mtmp, &gone, node)
		dni_mirror_destroy(m);
	list_for_each_entry_safe(phys, ptmp, &dead, node)
		kfree(phys);
}
