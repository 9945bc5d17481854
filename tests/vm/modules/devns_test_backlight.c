// SPDX-License-Identifier: GPL-2.0
/*
 * devns_test_backlight: a "physical" backlight for the VM suites (QEMU has
 * none), "devns-test", firmware type, linear scale.  Its hardware side,
 * what its driver was last told and how often, reads in the parameters
 * hw_brightness, hw_power and hw_updates; rmmod unplugs it.
 *
 * No lcd device: no Debian kernel builds the lcd class.
 */
#include <linux/backlight.h>
#include <linux/module.h>

static int max_brightness = 255;
module_param(max_brightness, int, 0444);
MODULE_PARM_DESC(max_brightness, "max_brightness of the device");

static int hw_brightness, hw_power, hw_updates;
module_param(hw_brightness, int, 0444);
module_param(hw_power, int, 0444);
module_param(hw_updates, int, 0444);

static struct backlight_device *bd;

static int test_bl_update_status(struct backlight_device *bd)
{
	hw_brightness = bd->props.brightness;
	hw_power = bd->props.power;
	hw_updates++;
	return 0;
}

static int test_bl_get_brightness(struct backlight_device *bd)
{
	return hw_brightness;
}

static const struct backlight_ops test_bl_ops = {
	.update_status = test_bl_update_status,
	.get_brightness = test_bl_get_brightness,
};

static int __init test_bl_init(void)
{
	struct backlight_properties props = {
		.type = BACKLIGHT_FIRMWARE,
		.scale = BACKLIGHT_SCALE_LINEAR,
		.max_brightness = max_brightness,
		.brightness = max_brightness / 2,
	};

	bd = backlight_device_register("devns-test", NULL, NULL, &test_bl_ops,
				       &props);
	if (IS_ERR(bd))
		return PTR_ERR(bd);
	backlight_update_status(bd);
	return 0;
}

static void __exit test_bl_exit(void)
{
	backlight_device_unregister(bd);
}

module_init(test_bl_init);
module_exit(test_bl_exit);

MODULE_DESCRIPTION("devns tests: a physical backlight");
MODULE_LICENSE("GPL");
