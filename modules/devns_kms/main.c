// SPDX-License-Identifier: GPL-2.0
/*
 * devns_kms: a virtual DRM/KMS card per persona; the active persona's
 * scanout is shown on the physical card.  See devns_kms.h for the objects
 * and locks, and docs/ARCHITECTURE.md ("devns_kms") for the design.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <devns.h>
#include "devns_kms.h"

DEFINE_MUTEX(dkms_lock);

struct dkms_persona {
	struct devns *ns;
	struct dkms_card *card;
};

struct devns_subsys dkms_subsys;

static int dkms_attach(struct devns *ns)
{
	struct dkms_persona *p;

	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	p->ns = ns;
	mutex_lock(&dkms_lock);
	p->card = dkms_card_create(ns, dkms_phys_modes());
	mutex_unlock(&dkms_lock);
	if (IS_ERR(p->card)) {
		int err = PTR_ERR(p->card);

		kfree(p);
		return err;
	}
	devns_set_priv(ns, &dkms_subsys, p);
	return 0;
}

/* The core switched to the root first if @ns was active. */
static void dkms_detach(struct devns *ns)
{
	struct dkms_persona *p = devns_priv(ns, &dkms_subsys);

	if (!p)
		return;
	mutex_lock(&dkms_lock);
	dkms_card_destroy(p->card);
	mutex_unlock(&dkms_lock);
	kfree(p);
}

static void dkms_switch_out(struct devns *from, struct devns *to)
{
	mutex_lock(&dkms_lock);
	dkms_phys_hide(devns_is_root(from));
	mutex_unlock(&dkms_lock);
}

static void dkms_switch_in(struct devns *to, struct devns *from)
{
	struct dkms_persona *p = NULL;

	if (!devns_is_root(to))
		p = devns_priv(to, &dkms_subsys);
	mutex_lock(&dkms_lock);
	dkms_phys_show(p ? p->card : NULL);
	mutex_unlock(&dkms_lock);
}

struct devns_subsys dkms_subsys = {
	.name = "kms",
	.owner = THIS_MODULE,
	.attach = dkms_attach,
	.detach = dkms_detach,
	.switch_out = dkms_switch_out,
	.switch_in = dkms_switch_in,
};

static int __init dkms_init(void)
{
	int err;

	err = dkms_phys_init();
	if (err)
		return err;
	err = devns_register_subsys(&dkms_subsys);
	if (err)
		dkms_phys_exit();
	return err;
}

static void __exit dkms_exit(void)
{
	devns_unregister_subsys(&dkms_subsys);
	dkms_phys_exit();
}

module_init(dkms_init);
module_exit(dkms_exit);
MODULE_DESCRIPTION("devns: a virtual DRM/KMS card per persona");
MODULE_LICENSE("GPL");
