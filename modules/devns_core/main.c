// SPDX-License-Identifier: GPL-2.0
/*
 * devns_core: device namespaces for stock kernels.  See include/devns.h for
 * what subsystem modules get, include/uapi/linux/devns.h for userspace.
 */
#include <linux/module.h>
#include <devns_compat.h>
#include "devns_core.h"

struct workqueue_struct *devns_wq;

static int __init devns_core_init(void)
{
	int err;

	devns_wq = alloc_workqueue("devns", WQ_PERCPU, 0);
	if (!devns_wq)
		return -ENOMEM;
	err = devns_sysfs_init();
	if (err)
		goto err_wq;
	err = devns_hotkeys_init();
	if (err)
		goto err_sysfs;
	err = devns_registry_init();
	if (err)
		goto err_hotkeys;
	err = devns_netlink_init();
	if (err)
		goto err_registry;
	err = devns_procfs_init();
	if (err)
		goto err_netlink;
	return 0;

err_netlink:
	devns_netlink_exit();
err_registry:
	devns_registry_exit();
	devns_registry_free();
err_hotkeys:
	devns_hotkeys_exit();
err_sysfs:
	devns_sysfs_exit();
err_wq:
	destroy_workqueue(devns_wq);
	return err;
}

static void __exit devns_core_exit(void)
{
	devns_procfs_exit();
	/* Personas go while the family can still announce it. */
	devns_registry_exit();
	destroy_workqueue(devns_wq);
	devns_netlink_exit();
	devns_registry_free();
	devns_hotkeys_exit();
	devns_sysfs_exit();
}

module_init(devns_core_init);
module_exit(devns_core_exit);

MODULE_DESCRIPTION("Device namespaces: registry, switching and netlink API");
MODULE_LICENSE("GPL");
