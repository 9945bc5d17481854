/* SPDX-License-Identifier: GPL-2.0 */
/*
 * devns_kms: a virtual DRM/KMS card per persona; the active persona's
 * scanout is shown on one physical card through an in-kernel DRM client.
 *
 * Objects: struct dkms_card (card.c) is a persona's DRM device, freed with
 * its drm_device (when the last open file goes); struct dkms_persona
 * (main.c) links a devns to its card; struct dkms_phys (phys.c) is the
 * physical card, the presenter and the snapshot of its modes.
 *
 * Locks: dkms_lock (personas, switches) -> dkms_phys.hw_lock (what is on
 * the physical display) -> dkms_card.screen_lock (a card's screen copy).
 * The virtual cards' commit paths take only screen_lock and queue the
 * presenter's work.
 */
#ifndef _DEVNS_KMS_H
#define _DEVNS_KMS_H

#include <linux/mutex.h>
#include <linux/hrtimer.h>
#include <linux/workqueue.h>
#include <drm/drm_device.h>
#include <drm/drm_crtc.h>
#include <drm/drm_plane.h>
#include <drm/drm_encoder.h>
#include <drm/drm_connector.h>
#include <drm/drm_rect.h>

struct devns;
struct platform_device;

/* A physical mode list and EDID, copied when the physical card is probed. */
struct dkms_modes {
	unsigned int count;
	struct drm_display_mode *mode;	/* preferred first */
	size_t edid_len;
	void *edid;
};

struct dkms_card {
	struct drm_device drm;
	struct drm_plane plane;
	struct drm_crtc crtc;
	struct drm_encoder encoder;
	struct drm_connector connector;
	struct platform_device *pdev;

	struct hrtimer vblank_timer;
	ktime_t period;
	bool vblank_on;

	/*
	 * What the card scans out, at the physical mode's size, XRGB8888:
	 * damage is copied here in the commit, and from here to the display
	 * by the presenter while the card is shown.
	 */
	struct mutex screen_lock;
	void *screen;
	u32 width, height, pitch;
	struct drm_rect damage;		/* not yet presented */
	bool shown;
	struct work_struct present_work;
};

/* Grows @into (empty: no width) to cover @r as well. */
static inline void dkms_rect_add(struct drm_rect *into, const struct drm_rect *r)
{
	if (drm_rect_width(into) <= 0) {
		*into = *r;
		return;
	}
	into->x1 = min(into->x1, r->x1);
	into->y1 = min(into->y1, r->y1);
	into->x2 = max(into->x2, r->x2);
	into->y2 = max(into->y2, r->y2);
}

/* card.c */
struct dkms_card *dkms_card_create(struct devns *ns, const struct dkms_modes *modes);
void dkms_card_destroy(struct dkms_card *card);

/* phys.c */
extern struct mutex dkms_lock;
int dkms_phys_init(void);
void dkms_phys_exit(void);
const struct dkms_modes *dkms_phys_modes(void);
void dkms_phys_show(struct dkms_card *card);	/* NULL: the root */
void dkms_phys_hide(bool from_root);
void dkms_present_work(struct work_struct *work);

#endif /* _DEVNS_KMS_H */
