// SPDX-License-Identifier: GPL-2.0
/*
 * Physical devices a subsystem virtualizes whole, children included; see
 * include/devns.h.  Few devices are claimed (devns_input's input devices),
 * so a list does.
 */
#include <linux/module.h>
#include <linux/notifier.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include "devns_core.h"

struct devns_claim_entry {
	struct list_head node;
	struct devns_claim claim;
};

/*
 * Innermost, IRQ-safe: devns_device_claimed() may be called under any
 * subsystem's spinlock.
 */
static DEFINE_SPINLOCK(devns_claims_lock);
static LIST_HEAD(devns_claims);
static BLOCKING_NOTIFIER_HEAD(devns_claim_chain);

/* Under devns_claims_lock. */
static struct devns_claim_entry *devns_claim_find(const struct device *dev)
{
	struct devns_claim_entry *e;

	list_for_each_entry(e, &devns_claims, node)
		if (e->claim.dev == dev)
			return e;
	return NULL;
}

int devns_claim_device(const struct devns_subsys *ss, struct device *dev)
{
	struct devns_claim_entry *e;
	int err = 0;

	e = kzalloc(sizeof(*e), GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	e->claim.dev = dev;
	e->claim.ss = ss;

	spin_lock_irq(&devns_claims_lock);
	if (devns_claim_find(dev))
		err = -EBUSY;
	else
		list_add_tail(&e->node, &devns_claims);
	spin_unlock_irq(&devns_claims_lock);
	if (err) {
		kfree(e);
		return err;
	}
	blocking_notifier_call_chain(&devns_claim_chain, DEVNS_DEVICE_CLAIMED,
				     &e->claim);
	return 0;
}
EXPORT_SYMBOL_GPL(devns_claim_device);

void devns_release_device(const struct devns_subsys *ss, struct device *dev)
{
	struct devns_claim_entry *e;

	spin_lock_irq(&devns_claims_lock);
	e = devns_claim_find(dev);
	if (e && e->claim.ss == ss)
		list_del(&e->node);
	else
		e = NULL;
	spin_unlock_irq(&devns_claims_lock);
	if (WARN_ON(!e))
		return;
	blocking_notifier_call_chain(&devns_claim_chain, DEVNS_DEVICE_RELEASED,
				     &e->claim);
	kfree(e);
}
EXPORT_SYMBOL_GPL(devns_release_device);

bool devns_device_claimed(const struct device *dev)
{
	unsigned long flags;
	bool claimed;

	spin_lock_irqsave(&devns_claims_lock, flags);
	claimed = devns_claim_find(dev);
	spin_unlock_irqrestore(&devns_claims_lock, flags);
	return claimed;
}
EXPORT_SYMBOL_GPL(devns_device_claimed);

int devns_register_claim_notifier(struct notifier_block *nb)
{
	return blocking_notifier_chain_register(&devns_claim_chain, nb);
}
EXPORT_SYMBOL_GPL(devns_register_claim_notifier);

void devns_unregister_claim_notifier(struct notifier_block *nb)
{
	blocking_notifier_chain_unregister(&devns_claim_chain, nb);
}
EXPORT_SYMBOL_GPL(devns_unregister_claim_notifier);
