// SPDX-License-Identifier: GPL-2.0
/*
 * Physical framebuffers, found as they come and go.
 *
 * Neither 6.1 nor 6.12 announces framebuffer registration to modules: the
 * fb notifier lost FB_EVENT_FB_REGISTERED/UNREGISTERED in 5.2 (they remain
 * only for one board), and fb_class is no longer exported by 6.12.  What
 * both offer is the driver core: every fb_info gets a device in the
 * "graphics" class, and a class interface hears of each such device being
 * added or removed, including those that exist when it registers.  The
 * class itself is found through the "fbcon" device fbcon puts in it at boot.
 *
 * The class callbacks run under the fbdev registration lock, before the
 * device's fb_info is published in its drvdata, so they only queue work:
 * dfb_scan binds new devices to their fb_info once registration has
 * finished, and a removed device is cut off from the hardware at once
 * (its fb_info may be freed right after) and its virtual framebuffers are
 * unregistered later by dfb_gone_work.
 *
 * A framebuffer is wrapped only if the device it is of (its class device's
 * parent: a DRM card's for DRM's fbdev emulation) can be claimed: devns_kms
 * may be presenting on that card already, and one subsystem owns a display.
 * When another subsystem lets such a device go, its framebuffers are
 * scanned again and wrapped.
 */
#include <linux/console.h>
#include <linux/cpumask.h>
#include <linux/device.h>
#include <linux/kdev_t.h>
#include <linux/major.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <devns.h>
#include <devns_compat.h>
#include "devns_fb.h"

static LIST_HEAD(dfb_physs);		/* every fb device of the class */
static DEFINE_MUTEX(dfb_phys_lock);
static struct workqueue_struct *dfb_wq;

static void dfb_scan(struct work_struct *work);
static DECLARE_DELAYED_WORK(dfb_scan_work, dfb_scan);

#define DFB_RESCAN_DELAY max(1, HZ / 50)
/* How long a framebuffer with no mode yet is waited for: about a second. */
#define DFB_BIND_TRIES 50

static void dfb_phys_release(struct kref *ref)
{
	struct dfb_phys *phys = container_of(ref, struct dfb_phys, ref);

	put_device(phys->dev);
	vfree(phys->root_screen);
	fb_dealloc_cmap(&phys->root_cmap);
	kfree(phys);
}

void dfb_phys_get(struct dfb_phys *phys)
{
	kref_get(&phys->ref);
}

void dfb_phys_put(struct dfb_phys *phys)
{
	kref_put(&phys->ref, dfb_phys_release);
}

/*
 * What a switch leaves to be done after it (dfb_screen_finish): telling the
 * driver the whole screen changed, which for DRM's fbdev emulation means a
 * blit of it to the display from a worker, and giving the root's screen
 * back to fbcon, which redraws the text console.  Both take milliseconds
 * the switch need not wait for: they run a tick later (well within a 60 Hz
 * frame), on another CPU than the switch's.
 */
static void dfb_finish_work(struct work_struct *work)
{
	struct dfb_phys *phys = container_of(to_delayed_work(work),
					     struct dfb_phys, finish_work);

	console_lock();
	mutex_lock(&phys->hw_lock);
	dfb_screen_finish(phys);
	mutex_unlock(&phys->hw_lock);
	console_unlock();
	dfb_phys_put(phys);
}

/* With phys->hw_lock held. */
void dfb_phys_finish_later(struct dfb_phys *phys)
{
	unsigned int cpu = cpumask_any_but(cpu_online_mask,
					   raw_smp_processor_id());

	if (cpu >= nr_cpu_ids)
		cpu = WORK_CPU_UNBOUND;
	dfb_phys_get(phys);
	if (!queue_delayed_work_on(cpu, dfb_wq, &phys->finish_work, 1))
		dfb_phys_put(phys);
}

static void dfb_gone_work(struct work_struct *work)
{
	struct dfb_phys *phys = container_of(work, struct dfb_phys, gone_work);

	mutex_lock(&dfb_lock);
	dfb_phys_gone(phys);
	mutex_unlock(&dfb_lock);
	flush_delayed_work(&phys->finish_work);
	dfb_phys_put(phys);
}

static int dfb_add_dev(DEVNS_CLASS_INTF_DEV_ARGS)
{
	struct dfb_phys *phys;

	if (MAJOR(dev->devt) != FB_MAJOR)	/* fbcon's own device */
		return 0;

	phys = kzalloc(sizeof(*phys), GFP_KERNEL);
	if (!phys)
		return -ENOMEM;
	kref_init(&phys->ref);
	mutex_init(&phys->hw_lock);
	INIT_LIST_HEAD(&phys->virts);
	INIT_LIST_HEAD(&phys->ready_node);
	INIT_WORK(&phys->gone_work, dfb_gone_work);
	INIT_DELAYED_WORK(&phys->finish_work, dfb_finish_work);
	phys->dev = get_device(dev);

	mutex_lock(&dfb_phys_lock);
	list_add_tail(&phys->node, &dfb_physs);
	mutex_unlock(&dfb_phys_lock);
	mod_delayed_work(dfb_wq, &dfb_scan_work, 0);
	return 0;
}

static void dfb_remove_dev(DEVNS_CLASS_INTF_DEV_ARGS)
{
	struct dfb_phys *phys, *found = NULL;

	mutex_lock(&dfb_phys_lock);
	list_for_each_entry(phys, &dfb_physs, node) {
		if (phys->dev == dev) {
			list_del(&phys->node);
			found = phys;
			break;
		}
	}
	mutex_unlock(&dfb_phys_lock);
	if (!found)
		return;

	/* Nobody touches the hardware after this: its fb_info is going. */
	mutex_lock(&found->hw_lock);
	found->removed = true;
	found->info = NULL;
	found->shown = NULL;
	mutex_unlock(&found->hw_lock);

	/* The list's reference goes with the work. */
	queue_work(dfb_wq, &found->gone_work);
}

static struct class_interface dfb_intf = {
	.add_dev = dfb_add_dev,
	.remove_dev = dfb_remove_dev,
};

/* Under dfb_lock: the next device dfb_scan has not looked at, referenced. */
static struct dfb_phys *dfb_next_unseen(void)
{
	struct dfb_phys *phys;

	mutex_lock(&dfb_phys_lock);
	list_for_each_entry(phys, &dfb_physs, node) {
		if (!phys->seen) {
			phys->seen = true;
			dfb_phys_get(phys);
			mutex_unlock(&dfb_phys_lock);
			return phys;
		}
	}
	mutex_unlock(&dfb_phys_lock);
	return NULL;
}

/* Under phys->hw_lock. */
static int dfb_phys_claim(struct dfb_phys *phys)
{
	struct device *parent = phys->dev->parent;
	int err;

	if (!parent)
		return 0;
	err = devns_claim_device(&dfb_subsys, parent);
	phys->claimed = !err;
	return err;
}

/* Under dfb_lock, once @phys is no longer shown. */
void dfb_phys_unclaim(struct dfb_phys *phys)
{
	if (phys->claimed)
		devns_release_device(&dfb_subsys, phys->dev->parent);
	phys->claimed = false;
}

/*
 * Under dfb_lock: give @phys its fb_info.  -EAGAIN while its registration
 * is still under way; other errors mean it is not to be wrapped (gone, one
 * of our own virtual framebuffers, or another subsystem's device: -EBUSY).
 *
 * Registration is under way until the fb_info is published and has a mode:
 * vfb, for one, sets its mode (line_length is 0 before) only once
 * register_framebuffer() has returned, and virtual framebuffers copied
 * from it before would show persona programs a mode of nothing.  One that
 * never gets a mode is taken as it is after DFB_BIND_TRIES looks.
 */
static int dfb_phys_bind(struct dfb_phys *phys)
{
	struct fb_info *info;
	int err = 0;

	mutex_lock(&phys->hw_lock);
	info = dev_get_drvdata(phys->dev);
	if (phys->removed)
		err = -ENODEV;
	else if (!info)
		err = -EAGAIN;
	else if (dfb_is_virt(info))
		err = -EEXIST;
	else if (!info->fix.line_length && ++phys->bind_tries < DFB_BIND_TRIES)
		err = -EAGAIN;
	if (!err)
		err = dfb_phys_claim(phys);
	if (err)
		goto out;

	phys->size = info->screen_size ?: info->fix.smem_len;
	phys->root_screen = vzalloc(phys->size);
	if (!phys->root_screen) {
		dfb_phys_unclaim(phys);
		err = -ENOMEM;
		goto out;
	}
	phys->blank = FB_BLANK_UNBLANK;
	phys->info = info;
out:
	mutex_unlock(&phys->hw_lock);
	return err;
}

static void dfb_scan(struct work_struct *work)
{
	struct dfb_phys *phys;
	int err;

	mutex_lock(&dfb_lock);
	while ((phys = dfb_next_unseen())) {
		err = dfb_phys_bind(phys);
		if (!err) {
			dfb_phys_ready(phys);
		} else if (err == -EAGAIN) {
			mutex_lock(&dfb_phys_lock);
			phys->seen = false;
			mutex_unlock(&dfb_phys_lock);
			queue_delayed_work(dfb_wq, &dfb_scan_work,
					   DFB_RESCAN_DELAY);
		} else if (err == -EBUSY) {
			dev_info(phys->dev, "devns_fb: %s is claimed by another devns subsystem: not wrapped\n",
				 dev_name(phys->dev->parent));
		} else if (err != -EEXIST && err != -ENODEV) {
			dev_warn(phys->dev, "devns_fb: not wrapped: %d\n", err);
		}
		dfb_phys_put(phys);
		if (err == -EAGAIN)
			break;
	}
	mutex_unlock(&dfb_lock);
}

/* Another subsystem let a device go: its framebuffers are wrapped now. */
static int dfb_claim_event(struct notifier_block *nb, unsigned long event,
			   void *data)
{
	const struct devns_claim *claim = data;
	struct dfb_phys *phys;
	bool rescan = false;

	if (event != DEVNS_DEVICE_RELEASED || claim->ss == &dfb_subsys)
		return NOTIFY_DONE;
	mutex_lock(&dfb_phys_lock);
	list_for_each_entry(phys, &dfb_physs, node) {
		if (phys->dev->parent == claim->dev && phys->seen) {
			phys->seen = false;
			rescan = true;
		}
	}
	mutex_unlock(&dfb_phys_lock);
	if (rescan)
		mod_delayed_work(dfb_wq, &dfb_scan_work, 0);
	return NOTIFY_OK;
}

static struct notifier_block dfb_claim_nb = {
	.notifier_call = dfb_claim_event,
};

/* The "graphics" class, through the device fbcon registers in it. */
static int dfb_find_graphics_class(void)
{
	struct kobject *kobj;
	struct device *dev;
	int err = 0;

	kobj = kset_find_obj(platform_bus.kobj.kset, "fbcon");
	if (!kobj) {
		pr_err("devns_fb: no fbcon device to find the graphics class by\n");
		return -ENODEV;
	}
	dev = kobj_to_dev(kobj);
	if (dev->class && !strcmp(dev->class->name, "graphics"))
		dfb_intf.class = dev->class;
	else
		err = -ENODEV;
	kobject_put(kobj);
	return err;
}

int dfb_phys_init(void)
{
	int err;

	err = dfb_find_graphics_class();
	if (err)
		return err;
	dfb_wq = alloc_workqueue("devns_fb", WQ_PERCPU, 0);
	if (!dfb_wq)
		return -ENOMEM;
	err = devns_register_claim_notifier(&dfb_claim_nb);
	if (err)
		goto err_wq;
	err = class_interface_register(&dfb_intf);
	if (err)
		goto err_nb;
	flush_delayed_work(&dfb_scan_work);
	return 0;

err_nb:
	devns_unregister_claim_notifier(&dfb_claim_nb);
err_wq:
	destroy_workqueue(dfb_wq);
	return err;
}

void dfb_phys_exit(void)
{
	struct dfb_phys *phys;

	/*
	 * The root's fbcon comes back while its framebuffers are known.  Not
	 * flushed under dfb_phys_lock: the work takes console_lock, under
	 * which fbcon adds its device to the graphics class, whose lock is
	 * held around our class interface callbacks, which take dfb_phys_lock.
	 */
	for (;;) {
		mutex_lock(&dfb_phys_lock);
		list_for_each_entry(phys, &dfb_physs, node)
			if (delayed_work_pending(&phys->finish_work))
				break;
		if (list_entry_is_head(phys, &dfb_physs, node))
			phys = NULL;
		else
			dfb_phys_get(phys);
		mutex_unlock(&dfb_phys_lock);
		if (!phys)
			break;
		flush_delayed_work(&phys->finish_work);
		dfb_phys_put(phys);
	}
	devns_unregister_claim_notifier(&dfb_claim_nb);
	class_interface_unregister(&dfb_intf);
	cancel_delayed_work_sync(&dfb_scan_work);
	destroy_workqueue(dfb_wq);	/* runs the last dfb_gone_work */
}
