// SPDX-License-Identifier: GPL-2.0
/*
 * devns_backlight: per persona a virtual backlight for each physical one.
 * The physical device shows the active persona's brightness and power; a
 * background persona's settings are remembered and shown when it becomes
 * active; the root's own come back with it.  See docs/ARCHITECTURE.md.
 */
#include <linux/module.h>
#include "devns_backlight.h"

DEFINE_MUTEX(dbl_hw_mutex);
LIST_HEAD(dbl_phys_list);

DEFINE_SPINLOCK(dbl_state_lock);
struct devns *dbl_shown;

/*
 * The backlight class is the backlight core's own, and its notifier is gone
 * by 7.x: a device of our own, registered and unregistered at once, says
 * where the class is (an add and a remove uevent for "devns-probe").
 */
static int dbl_find_class(void)
{
	const struct backlight_properties props = {
		.type = BACKLIGHT_RAW,
		.max_brightness = 1,
	};
	struct backlight_device *probe;

	probe = backlight_device_register("devns-probe", NULL, NULL, NULL,
					  &props);
	if (IS_ERR(probe))
		return PTR_ERR(probe);
	dbl_intf.class = probe->dev.class;
	backlight_device_unregister(probe);
	return 0;
}

/*
 * The physical devices first, so that the personas present get their
 * virtual devices in attach() and a persona active now is shown at once.
 */
static int __init dbl_init(void)
{
	int err;

	err = dbl_find_class();
	if (err)
		return err;
	err = class_interface_register(&dbl_intf);
	if (err)
		return err;
	err = devns_register_subsys(&dbl_subsys);
	if (err) {
		class_interface_unregister(&dbl_intf);
		flush_work(&dbl_sync_work);
		return err;
	}
	return 0;
}

/* The root gets its values back and the virtual devices go first. */
static void __exit dbl_exit(void)
{
	devns_unregister_subsys(&dbl_subsys);
	class_interface_unregister(&dbl_intf);
	flush_work(&dbl_sync_work);
	flush_work(&dbl_show_work);
}

module_init(dbl_init);
module_exit(dbl_exit);

MODULE_DESCRIPTION("devns: per-persona virtual backlights");
MODULE_LICENSE("GPL");
