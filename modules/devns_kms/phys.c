// SPDX-License-Identifier: GPL-2.0
/*
 * The physical card and the presenter.
 *
 * The card is the one DRM's fbdev emulation (so fbcon) is bound to, the
 * first such, or the one named by the card= parameter ("card1").  devns_kms
 * is an in-kernel DRM client of it, as the fbdev emulation is: it copies
 * the card's modes and EDID for the personas' connectors, and while a
 * persona is active it has its own buffer at the physical mode on the
 * CRTCs (drm_client_modeset_commit) and copies the persona's screen into
 * it, the damage of each commit from a work item, the whole screen on a
 * switch.  A dirty flush follows for drivers that need one, from a work
 * item of its own and outside hw_lock: it is a commit, which waits for the
 * card's next vblank, and a switch need not wait for it (the display takes
 * the frame then anyway).
 *
 * The root's screen: when a persona comes, fbcon is suspended
 * (fb_set_suspend(), as on system suspend: it draws nothing and its buffer
 * keeps what it showed) and our buffer replaces the fbdev buffer on the
 * CRTCs; when the root comes back the fbdev emulation's mode is restored
 * (drm_fb_helper_restore_fbdev_mode_unlocked(), what it does itself when a
 * DRM master closes) and fbcon resumed, so the root's screen is what it
 * was.  drm_client_modeset_commit() fails with -EBUSY while a userspace DRM
 * master of the physical card exists: a root compositor keeps the display
 * and the persona is not shown (logged).
 *
 * The client is registered without pinning the module (funcs->owner is
 * NULL): unloading takes it off the device's client list itself.  When the
 * physical card goes (its driver unbinds), its unregister callback ends the
 * presenting; the personas' cards stay and show nothing.
 */
#include <linux/console.h>
#include <linux/fb.h>
#include <linux/major.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <drm/drm_client.h>
#include <drm/drm_drv.h>
#include <drm/drm_edid.h>
#include <drm/drm_fb_helper.h>
#include <drm/drm_file.h>
#include <drm/drm_fourcc.h>
#include <drm/drm_framebuffer.h>
#include <drm/drm_modes.h>
#include <drm/drm_print.h>
#include <linux/iosys-map.h>
#include <devns.h>
#include <devns_compat.h>
#include <devns_copy.h>
#include "devns_kms.h"

static char *card;
module_param(card, charp, 0444);
MODULE_PARM_DESC(card, "the physical DRM card to present on (cardN); default: fbcon's");

extern struct devns_subsys dkms_subsys;

static struct {
	struct mutex hw_lock;
	struct drm_device *drm;		/* NULL: none, or gone */
	struct drm_client_dev client;
	bool registered;		/* on drm's client list */
	bool claimed;
	struct drm_client_buffer *buffer;
	struct iosys_map map;
	bool mapped;
	u32 width, height, pitch;
	bool presenting;		/* our buffer is on the CRTCs */
	struct dkms_card *shown;
	struct drm_rect flush;		/* copied, not flushed yet */
	struct work_struct flush_work;
	struct mutex flush_lock;	/* held while flushing: buffer stays */
	struct dkms_modes modes;
} phys = {
	.hw_lock = __MUTEX_INITIALIZER(phys.hw_lock),
	.flush_lock = __MUTEX_INITIALIZER(phys.flush_lock),
};

const struct dkms_modes *dkms_phys_modes(void)
{
	return &phys.modes;
}

/* Under hw_lock: the fbdev emulation's fb_info, if the card has one. */
static struct fb_info *dkms_fbdev(void)
{
	struct drm_fb_helper *helper = phys.drm ? phys.drm->fb_helper : NULL;

	return helper ? devns_fb_helper_info(helper) : NULL;
}

static void dkms_fbcon_suspend(int state)
{
	struct fb_info *info = dkms_fbdev();

	if (!info)
		return;
	console_lock();
	fb_set_suspend(info, state);
	console_unlock();
}

/* Under hw_lock and card->screen_lock: @r of @card's screen to the display. */
static void dkms_present_rect(struct dkms_card *card, struct drm_rect *r)
{
	unsigned int y, w;

	r->x2 = min3(r->x2, (int)phys.width, (int)card->width);
	r->y2 = min3(r->y2, (int)phys.height, (int)card->height);
	if (!drm_rect_visible(r))
		return;
	w = drm_rect_width(r) * 4;
	for (y = r->y1; y < r->y2; y++) {
		size_t off = y * phys.pitch + r->x1 * 4;
		const void *row = card->screen + y * card->pitch + r->x1 * 4;

		if (phys.map.is_iomem)
			memcpy_toio(phys.map.vaddr_iomem + off, row, w);
		else
			devns_copy(phys.map.vaddr + off, row, w);
	}
}

/* Under hw_lock: @card's damage to the display, its flush queued. */
static void dkms_present(struct dkms_card *card)
{
	struct drm_rect r;

	mutex_lock(&card->screen_lock);
	r = card->damage;
	card->damage = DRM_RECT_INIT(0, 0, 0, 0);
	if (drm_rect_visible(&r))
		dkms_present_rect(card, &r);
	mutex_unlock(&card->screen_lock);
	if (!drm_rect_visible(&r))
		return;
	dkms_rect_add(&phys.flush, &r);
	schedule_work(&phys.flush_work);
}

/*
 * The flush holds flush_lock, not hw_lock: dkms_phys_release() waits for
 * it before the buffer goes.  Lock order: hw_lock, flush_lock, the card's
 * modeset locks.  No flush or commit reaches a card that is unplugged
 * (drm_dev_enter): virtio-gpu leaks the buffers of the commands it refuses
 * then.
 */
static void dkms_flush_work(struct work_struct *work)
{
	struct drm_client_buffer *buffer = NULL;
	struct drm_rect r;
	int idx;

	mutex_lock(&phys.hw_lock);
	r = phys.flush;
	phys.flush = DRM_RECT_INIT(0, 0, 0, 0);
	if (phys.presenting && drm_rect_visible(&r)) {
		buffer = phys.buffer;
		mutex_lock(&phys.flush_lock);
	}
	mutex_unlock(&phys.hw_lock);
	if (buffer) {
		if (drm_dev_enter(buffer->client->dev, &idx)) {
			devns_drm_client_buffer_flush(buffer, &r);
			drm_dev_exit(idx);
		}
		mutex_unlock(&phys.flush_lock);
	}
}

void dkms_present_work(struct work_struct *work)
{
	struct dkms_card *card = container_of(work, struct dkms_card,
					      present_work);

	mutex_lock(&phys.hw_lock);
	if (phys.shown == card && phys.presenting)
		dkms_present(card);
	mutex_unlock(&phys.hw_lock);
}

/* Under hw_lock: our buffer on every CRTC the client's probe lit. */
static int dkms_take_display(void)
{
	struct drm_mode_set *modeset;
	int err;

	if (phys.presenting)
		return 0;
	mutex_lock(&phys.client.modeset_mutex);
	drm_client_for_each_modeset(modeset, &phys.client)
		if (modeset->mode)
			modeset->fb = phys.buffer->fb;
	mutex_unlock(&phys.client.modeset_mutex);
	err = drm_client_modeset_commit(&phys.client);
	if (err) {
		drm_warn(phys.drm, "devns_kms: cannot show a persona (%d)%s\n", err,
			 err == -EBUSY ? ": a DRM master of the root holds the card" : "");
		return err;
	}
	/*
	 * Mapped once it is on the CRTC: a VRAM driver (bochs) pins a buffer
	 * where it is when mapped, and scans out only from VRAM.
	 */
	if (!phys.mapped) {
		err = drm_client_buffer_vmap(phys.buffer, &phys.map);
		if (err) {
			drm_warn(phys.drm, "devns_kms: cannot map our buffer (%d)\n", err);
			return err;
		}
		phys.mapped = true;
	}
	phys.presenting = true;
	return 0;
}

/* Under dkms_lock, from the switch: takes the display from whoever is shown. */
void dkms_phys_hide(bool from_root)
{
	struct dkms_card *shown;

	mutex_lock(&phys.hw_lock);
	shown = phys.shown;
	if (shown) {
		mutex_lock(&shown->screen_lock);
		shown->shown = false;
		mutex_unlock(&shown->screen_lock);
		phys.shown = NULL;
	}
	if (from_root && phys.drm)
		dkms_fbcon_suspend(1);
	mutex_unlock(&phys.hw_lock);
}

/* Under dkms_lock, from the switch: shows @card, or (NULL) the root. */
void dkms_phys_show(struct dkms_card *card)
{
	struct drm_fb_helper *helper;
	int idx;

	mutex_lock(&phys.hw_lock);
	/* unplugged: its unregister callback comes */
	if (!phys.drm || !drm_dev_enter(phys.drm, &idx))
		goto out;
	if (!card) {
		helper = phys.drm->fb_helper;
		if (phys.presenting && helper)
			devns_fb_helper_restore(helper);
		phys.presenting = false;
		dkms_fbcon_suspend(0);
	} else {
		mutex_lock(&card->screen_lock);
		card->shown = true;
		card->damage = DRM_RECT_INIT(0, 0, card->width, card->height);
		mutex_unlock(&card->screen_lock);
		phys.shown = card;
		if (!dkms_take_display())
			dkms_present(card);
	}
	drm_dev_exit(idx);
out:
	mutex_unlock(&phys.hw_lock);
}

/* Under hw_lock: the chosen connector's modes (preferred first) and EDID. */
static void dkms_copy_modes(struct drm_connector *connector)
{
	struct drm_device *drm = connector->dev;
	struct drm_display_mode *mode, *to;
	unsigned int n = 0;

	mutex_lock(&drm->mode_config.mutex);
	list_for_each_entry(mode, &connector->modes, head)
		n++;
	to = n ? kcalloc(n + 1, sizeof(*to), GFP_KERNEL) : NULL;
	if (to) {
		n = 1;
		list_for_each_entry(mode, &connector->modes, head) {
			if ((mode->type & DRM_MODE_TYPE_PREFERRED) && !to[0].clock)
				drm_mode_copy(&to[0], mode);
			else
				drm_mode_copy(&to[n++], mode);
		}
		if (!to[0].clock)	/* no preferred mode: the first is */
			memmove(&to[0], &to[1], --n * sizeof(*to));
		phys.modes.mode = to;
		phys.modes.count = n;
	}
	if (connector->edid_blob_ptr) {
		phys.modes.edid = kmemdup(connector->edid_blob_ptr->data,
					  connector->edid_blob_ptr->length,
					  GFP_KERNEL);
		if (phys.modes.edid)
			phys.modes.edid_len = connector->edid_blob_ptr->length;
	}
	mutex_unlock(&drm->mode_config.mutex);
}

/* Under hw_lock: probe the outputs, copy the modes, make our buffer. */
static int dkms_probe(void)
{
	struct drm_device *drm = phys.drm;
	struct drm_connector *connector = NULL;
	struct drm_display_mode *mode = NULL;
	struct drm_client_buffer *buffer;
	struct drm_mode_set *modeset;
	int err;

	err = drm_client_modeset_probe(&phys.client, drm->mode_config.max_width,
				       drm->mode_config.max_height);
	if (err)
		return err;
	mutex_lock(&phys.client.modeset_mutex);
	drm_client_for_each_modeset(modeset, &phys.client) {
		if (modeset->mode && modeset->num_connectors) {
			mode = modeset->mode;
			connector = modeset->connectors[0];
			break;
		}
	}
	if (mode) {
		phys.width = mode->hdisplay;
		phys.height = mode->vdisplay;
	}
	mutex_unlock(&phys.client.modeset_mutex);
	if (!connector)
		return -ENODEV;
	dkms_copy_modes(connector);

	buffer = devns_drm_client_buffer_create(&phys.client, phys.width,
						phys.height, DRM_FORMAT_XRGB8888);
	if (IS_ERR(buffer))
		return PTR_ERR(buffer);
	phys.buffer = buffer;
	phys.pitch = buffer->fb->pitches[0];
	return 0;
}

/* Under hw_lock: everything but the modes' copy goes. */
static void dkms_phys_release(void)
{
	if (phys.shown) {
		mutex_lock(&phys.shown->screen_lock);
		phys.shown->shown = false;
		mutex_unlock(&phys.shown->screen_lock);
		phys.shown = NULL;
	}
	phys.presenting = false;
	/* a flush under way ends before its buffer goes */
	mutex_lock(&phys.flush_lock);
	mutex_unlock(&phys.flush_lock);
	if (phys.mapped)
		drm_client_buffer_vunmap(phys.buffer);
	phys.mapped = false;
	if (phys.buffer) {
		devns_drm_client_buffer_delete(phys.buffer);
		phys.buffer = NULL;
	}
	if (phys.claimed)
		devns_release_device(&dkms_subsys, phys.drm->dev);
	phys.claimed = false;
	drm_client_release(&phys.client);
	phys.drm = NULL;
}

/* The physical card is going (its clientlist_mutex is held). */
static void dkms_client_unregister(struct drm_client_dev *client)
{
	mutex_lock(&phys.hw_lock);
	drm_info(client->dev, "devns_kms: the physical card is gone; personas' cards stay\n");
	phys.registered = false;
	if (phys.presenting)
		dkms_fbcon_suspend(0);
	dkms_phys_release();
	mutex_unlock(&phys.hw_lock);
}

static int dkms_client_hotplug(struct drm_client_dev *client)
{
	return 0;
}

static const struct drm_client_funcs dkms_client_funcs = {
	.unregister = dkms_client_unregister,
	.hotplug = dkms_client_hotplug,
};

static int dkms_match_drm_fbdev(struct device *dev, const void *data)
{
	struct fb_info *info = dev_get_drvdata(dev);
	size_t len = info ? strnlen(info->fix.id, sizeof(info->fix.id)) : 0;

	return MAJOR(dev->devt) == FB_MAJOR && len >= 5 &&
	       !strcmp(info->fix.id + len - 5, "drmfb");
}

/* The DRM device of the first framebuffer of DRM's fbdev emulation. */
static struct drm_device *dkms_find_fbcon_drm(void)
{
	struct drm_fb_helper *helper;
	struct drm_device *drm = NULL;
	struct kobject *kobj;
	struct device *dev;

	kobj = kset_find_obj(platform_bus.kobj.kset, "fbcon");
	if (!kobj)
		return NULL;
	dev = kobj_to_dev(kobj);
	if (dev->class)
		dev = class_find_device(dev->class, NULL, NULL,
					dkms_match_drm_fbdev);
	else
		dev = NULL;
	kobject_put(kobj);
	if (!dev)
		return NULL;
	console_lock();		/* fb_info stays while we look */
	helper = ((struct fb_info *)dev_get_drvdata(dev))->par;
	if (helper && helper->dev) {
		drm = helper->dev;
		drm_dev_get(drm);
	}
	console_unlock();
	put_device(dev);
	return drm;
}

/* The card named @name, found in the class of @any's card. */
static struct drm_device *dkms_find_named(struct drm_device *any,
					  const char *name)
{
	struct drm_device *drm = NULL;
	struct drm_minor *minor;
	struct device *dev;

	if (!any->primary)
		return NULL;
	dev = class_find_device_by_name(any->primary->kdev->class, name);
	if (!dev)
		return NULL;
	minor = dev_get_drvdata(dev);
	if (minor && minor->type == DRM_MINOR_PRIMARY) {
		drm = minor->dev;
		drm_dev_get(drm);
	}
	put_device(dev);
	return drm;
}

int dkms_phys_init(void)
{
	struct drm_device *drm = dkms_find_fbcon_drm();
	int err;

	INIT_WORK(&phys.flush_work, dkms_flush_work);
	if (drm && card) {
		struct drm_device *named = dkms_find_named(drm, card);

		drm_dev_put(drm);
		drm = named;
	}
	if (!drm) {
		pr_info("devns_kms: no physical card%s%s: personas' cards show nothing\n",
			card ? " " : "", card ? card : "");
		return 0;
	}

	mutex_lock(&phys.hw_lock);
	err = drm_client_init(drm, &phys.client, "devns_kms", &dkms_client_funcs);
	if (err)
		goto out;
	phys.drm = drm;
	err = devns_claim_device(&dkms_subsys, drm->dev);
	if (err) {
		drm_info(drm, "devns_kms: the card is claimed by another devns subsystem: not presenting\n");
		phys.modes.count = 0;
		drm_client_release(&phys.client);
		phys.drm = NULL;
		err = 0;
		goto out;
	}
	phys.claimed = true;
	err = dkms_probe();
	if (err) {
		drm_warn(drm, "devns_kms: no output to present on (%d)\n", err);
		dkms_phys_release();
		err = 0;
		goto out;
	}
	phys.registered = true;
	drm_info(drm, "devns_kms: presenting on %s, %ux%u\n",
		 drm->primary ? dev_name(drm->primary->kdev) : "?",
		 phys.width, phys.height);
	mutex_unlock(&phys.hw_lock);
	/*
	 * Not under hw_lock: registration takes the card's clientlist_mutex,
	 * which the unregister callback and dkms_phys_exit() hold when they
	 * take hw_lock.  Should the card go before this, its client list is
	 * walked without us, and dkms_phys_exit() lets our client go.
	 */
	drm_client_register(&phys.client);
	drm_dev_put(drm);	/* the client holds its own */
	return 0;
out:
	mutex_unlock(&phys.hw_lock);
	drm_dev_put(drm);
	return err;
}

void dkms_phys_exit(void)
{
	struct drm_device *drm;

	mutex_lock(&phys.hw_lock);
	drm = phys.drm;
	if (drm)
		drm_dev_get(drm);
	mutex_unlock(&phys.hw_lock);
	if (drm) {
		/* Same order as the unregister callback: clientlist, hw_lock. */
		mutex_lock(&drm->clientlist_mutex);
		mutex_lock(&phys.hw_lock);
		if (phys.registered) {
			list_del(&phys.client.list);
			phys.registered = false;
		}
		if (phys.drm)
			dkms_phys_release();
		mutex_unlock(&phys.hw_lock);
		mutex_unlock(&drm->clientlist_mutex);
		drm_dev_put(drm);
	}
	cancel_work_sync(&phys.flush_work);
	kfree(phys.modes.mode);
	kfree(phys.modes.edid);
}
