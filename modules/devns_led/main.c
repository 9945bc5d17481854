// SPDX-License-Identifier: GPL-2.0
/*
 * devns_led: an LED trigger that puts physical LEDs under devns control, and
 * per persona a virtual LED for each of them.  The physical LED shows the
 * active persona's value; a background persona's writes are remembered and
 * shown when it becomes active; the root's own values come back with it.
 * The LEDs of a device another devns module handles whole (a keyboard's,
 * with devns_input) are that module's.  See docs/ARCHITECTURE.md.
 */
#include <linux/module.h>
#include "devns_led.h"

/* What the physical LEDs show: the two below, and each LED's values. */
DEFINE_SPINLOCK(devns_led_lock);
struct devns *devns_led_shown;
LIST_HEAD(devns_led_phys_list);

static int __init devns_led_init(void)
{
	int err;

	err = devns_register_subsys(&devns_led_subsys);
	if (err)
		return err;
	err = devns_register_claim_notifier(&devns_led_claim_nb);
	if (err)
		goto err_subsys;
	err = led_trigger_register(&devns_led_trigger);
	if (err)
		goto err_notifier;
	return 0;

err_notifier:
	devns_unregister_claim_notifier(&devns_led_claim_nb);
err_subsys:
	devns_unregister_subsys(&devns_led_subsys);
	return err;
}

/*
 * The physical LEDs leave the trigger (the LED core turns them off), then
 * the personas' virtual LEDs go.
 */
static void __exit devns_led_exit(void)
{
	led_trigger_unregister(&devns_led_trigger);
	devns_unregister_claim_notifier(&devns_led_claim_nb);
	devns_unregister_subsys(&devns_led_subsys);
	flush_work(&devns_led_sync_work);
}

module_init(devns_led_init);
module_exit(devns_led_exit);

MODULE_DESCRIPTION("devns: per-persona virtual LEDs and the devns LED trigger");
MODULE_LICENSE("GPL");
