// SPDX-License-Identifier: GPL-2.0
/*
 * A persona's virtual DRM card: one CRTC, one primary plane, one virtual
 * encoder and one connected connector offering the physical display's
 * modes (and EDID), shmem GEM dumb buffers, atomic modesetting with damage
 * clips, and vblank events from an hrtimer at the mode's refresh rate.
 *
 * Its device is a platform device whose parent is the persona's devns
 * device, so the card appears under /sys/class/devns/devns<id>/.  The
 * plane's commit copies the damaged rectangles of the framebuffer into the
 * card's screen (XRGB8888 at the physical mode's size), which the
 * presenter shows on the physical card while the persona is active.
 */
#include <linux/platform_device.h>
#include <linux/vmalloc.h>
#include <drm/drm_atomic.h>
#include <drm/drm_atomic_helper.h>
#include <drm/drm_damage_helper.h>
#include <drm/drm_drv.h>
#include <drm/drm_edid.h>
#include <drm/drm_fourcc.h>
#include <drm/drm_framebuffer.h>
#include <drm/drm_gem_atomic_helper.h>
#include <drm/drm_gem_framebuffer_helper.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_managed.h>
#include <drm/drm_modeset_helper_vtables.h>
#include <drm/drm_probe_helper.h>
#include <drm/drm_vblank.h>
#include <devns.h>
#include <devns_compat.h>
#include <devns_copy.h>
#include "devns_kms.h"

#define DKMS_MAX_SIZE 8192

static const u32 dkms_formats[] = {
	DRM_FORMAT_XRGB8888,
	DRM_FORMAT_ARGB8888,
	DRM_FORMAT_RGB565,
};

static struct dkms_card *to_card(struct drm_device *drm)
{
	return container_of(drm, struct dkms_card, drm);
}

/* The modes the card offers: the physical ones, copied at creation. */
static struct dkms_modes *card_modes(struct dkms_card *card)
{
	return card->drm.dev_private;
}

/* Under screen_lock. */
static void dkms_damage(struct dkms_card *card, const struct drm_rect *r)
{
	dkms_rect_add(&card->damage, r);
	if (card->shown)
		schedule_work(&card->present_work);
}

static void dkms_screen_clear(struct dkms_card *card)
{
	struct drm_rect all = DRM_RECT_INIT(0, 0, card->width, card->height);

	mutex_lock(&card->screen_lock);
	memset(card->screen, 0, (size_t)card->pitch * card->height);
	dkms_damage(card, &all);
	mutex_unlock(&card->screen_lock);
}

/* Copies @src (fb coordinates, inside the fb) to @dst (screen coordinates). */
static void dkms_copy_rect(struct dkms_card *card, const void *vaddr,
			   const struct drm_framebuffer *fb,
			   const struct drm_rect *src, int dx, int dy)
{
	unsigned int cpp = fb->format->cpp[0];
	int w = drm_rect_width(src), h = drm_rect_height(src);
	int sx = src->x1, sy = src->y1, x, y;

	if (dx < 0) {
		sx -= dx;
		w += dx;
		dx = 0;
	}
	if (dy < 0) {
		sy -= dy;
		h += dy;
		dy = 0;
	}
	w = min_t(int, w, (int)card->width - dx);
	h = min_t(int, h, (int)card->height - dy);
	if (w <= 0 || h <= 0)
		return;

	for (y = 0; y < h; y++) {
		const u8 *s = vaddr + fb->offsets[0] +
			      (size_t)(sy + y) * fb->pitches[0] + sx * cpp;
		u32 *d = card->screen + (size_t)(dy + y) * card->pitch + dx * 4;

		if (fb->format->format != DRM_FORMAT_RGB565) {
			devns_copy(d, s, w * 4);	/* alpha is not shown */
			continue;
		}
		for (x = 0; x < w; x++) {
			u16 p = ((const u16 *)s)[x];
			u32 r = (p >> 11) & 0x1f, g = (p >> 5) & 0x3f, b = p & 0x1f;

			d[x] = (r << 19 | (r >> 2) << 16) |
			       (g << 10 | (g >> 4) << 8) |
			       (b << 3 | b >> 2);
		}
	}
}

static int dkms_plane_atomic_check(struct drm_plane *plane,
				   struct devns_drm_atomic *state)
{
	struct drm_plane_state *new = drm_atomic_get_new_plane_state(state, plane);
	struct drm_crtc_state *crtc_state = NULL;

	if (new->crtc)
		crtc_state = drm_atomic_get_new_crtc_state(state, new->crtc);
	return drm_atomic_helper_check_plane_state(new, crtc_state,
						   DRM_PLANE_NO_SCALING,
						   DRM_PLANE_NO_SCALING,
						   false, true);
}

static void dkms_plane_atomic_update(struct drm_plane *plane,
				     struct devns_drm_atomic *state)
{
	struct dkms_card *card = to_card(plane->dev);
	struct drm_plane_state *old = drm_atomic_get_old_plane_state(state, plane);
	struct drm_plane_state *new = drm_atomic_get_new_plane_state(state, plane);
	struct drm_shadow_plane_state *shadow = to_drm_shadow_plane_state(new);
	struct drm_atomic_helper_damage_iter iter;
	struct drm_framebuffer *fb = new->fb;
	struct drm_rect clip, dst;
	int sx = new->src.x1 >> 16, sy = new->src.y1 >> 16;

	if (!fb || !new->visible)
		return;

	mutex_lock(&card->screen_lock);
	drm_atomic_helper_damage_iter_init(&iter, old, new);
	drm_atomic_for_each_plane_damage(&iter, &clip) {
		int dx = new->dst.x1 + clip.x1 - sx;
		int dy = new->dst.y1 + clip.y1 - sy;

		dkms_copy_rect(card, shadow->data[0].vaddr, fb, &clip, dx, dy);
		dst = DRM_RECT_INIT(max(dx, 0), max(dy, 0),
				    drm_rect_width(&clip), drm_rect_height(&clip));
		dst.x2 = min_t(int, dst.x2, card->width);
		dst.y2 = min_t(int, dst.y2, card->height);
		if (drm_rect_visible(&dst))
			dkms_damage(card, &dst);
	}
	mutex_unlock(&card->screen_lock);
}

/* A plane turned off (its program closed its framebuffer): a black screen. */
static void dkms_plane_atomic_disable(struct drm_plane *plane,
				      struct devns_drm_atomic *state)
{
	dkms_screen_clear(to_card(plane->dev));
}

static const struct drm_plane_helper_funcs dkms_plane_helper_funcs = {
	DRM_GEM_SHADOW_PLANE_HELPER_FUNCS,
	.atomic_check = dkms_plane_atomic_check,
	.atomic_update = dkms_plane_atomic_update,
	.atomic_disable = dkms_plane_atomic_disable,
};

static const struct drm_plane_funcs dkms_plane_funcs = {
	.update_plane = drm_atomic_helper_update_plane,
	.disable_plane = drm_atomic_helper_disable_plane,
	.destroy = drm_plane_cleanup,
	DRM_GEM_SHADOW_PLANE_FUNCS,
};

/*
 * Vblank.  The timer is a soft one on PREEMPT_RT (HRTIMER_MODE_REL without
 * _HARD), where drm_crtc_handle_vblank()'s spinlocks sleep.  It is stopped
 * with hrtimer_try_to_cancel(): disable_vblank() runs under the vblank
 * spinlocks the callback takes, so it must not wait for it; a callback
 * running meanwhile sees vblank_on false and stops.
 */
static enum hrtimer_restart dkms_vblank_fn(struct hrtimer *timer)
{
	struct dkms_card *card = container_of(timer, struct dkms_card,
					      vblank_timer);

	if (!READ_ONCE(card->vblank_on))
		return HRTIMER_NORESTART;
	hrtimer_forward_now(timer, card->period);
	drm_crtc_handle_vblank(&card->crtc);
	return HRTIMER_RESTART;
}

static int dkms_enable_vblank(struct drm_crtc *crtc)
{
	struct dkms_card *card = to_card(crtc->dev);
	const struct drm_display_mode *mode = &crtc->state->adjusted_mode;
	u64 ns = 16666667;

	if (mode->clock > 0 && mode->htotal > 0 && mode->vtotal > 0)
		ns = div_u64((u64)mode->htotal * mode->vtotal * 1000000,
			     mode->clock);
	card->period = ns_to_ktime(ns);
	WRITE_ONCE(card->vblank_on, true);
	hrtimer_start(&card->vblank_timer, card->period, HRTIMER_MODE_REL);
	return 0;
}

static void dkms_disable_vblank(struct drm_crtc *crtc)
{
	struct dkms_card *card = to_card(crtc->dev);

	WRITE_ONCE(card->vblank_on, false);
	hrtimer_try_to_cancel(&card->vblank_timer);
}

static void dkms_crtc_atomic_enable(struct drm_crtc *crtc,
				    struct devns_drm_atomic *state)
{
	dkms_screen_clear(to_card(crtc->dev));
	drm_crtc_vblank_on(crtc);
}

static void dkms_crtc_atomic_disable(struct drm_crtc *crtc,
				     struct devns_drm_atomic *state)
{
	drm_crtc_vblank_off(crtc);
	dkms_screen_clear(to_card(crtc->dev));
}

static void dkms_crtc_atomic_flush(struct drm_crtc *crtc,
				   struct devns_drm_atomic *state)
{
	struct drm_pending_vblank_event *event = crtc->state->event;

	if (!event)
		return;
	crtc->state->event = NULL;
	spin_lock_irq(&crtc->dev->event_lock);
	if (drm_crtc_vblank_get(crtc) == 0)
		drm_crtc_arm_vblank_event(crtc, event);
	else
		drm_crtc_send_vblank_event(crtc, event);
	spin_unlock_irq(&crtc->dev->event_lock);
}

static const struct drm_crtc_helper_funcs dkms_crtc_helper_funcs = {
	.atomic_enable = dkms_crtc_atomic_enable,
	.atomic_disable = dkms_crtc_atomic_disable,
	.atomic_flush = dkms_crtc_atomic_flush,
};

static const struct drm_crtc_funcs dkms_crtc_funcs = {
	.reset = drm_atomic_helper_crtc_reset,
	.set_config = drm_atomic_helper_set_config,
	.page_flip = drm_atomic_helper_page_flip,
	.atomic_duplicate_state = drm_atomic_helper_crtc_duplicate_state,
	.atomic_destroy_state = drm_atomic_helper_crtc_destroy_state,
	.enable_vblank = dkms_enable_vblank,
	.disable_vblank = dkms_disable_vblank,
};

static int dkms_get_modes(struct drm_connector *connector)
{
	struct dkms_modes *m = card_modes(to_card(connector->dev));
	struct drm_display_mode *mode;
	unsigned int i, n = 0;

	drm_connector_update_edid_property(connector, m->edid_len ? m->edid : NULL);
	for (i = 0; i < m->count; i++) {
		mode = drm_mode_duplicate(connector->dev, &m->mode[i]);
		if (!mode)
			break;
		if (i == 0)
			mode->type |= DRM_MODE_TYPE_PREFERRED;
		else
			mode->type &= ~DRM_MODE_TYPE_PREFERRED;
		drm_mode_probed_add(connector, mode);
		n++;
	}
	return n;
}

static const struct drm_connector_helper_funcs dkms_connector_helper_funcs = {
	.get_modes = dkms_get_modes,
};

static const struct drm_connector_funcs dkms_connector_funcs = {
	.reset = drm_atomic_helper_connector_reset,
	.fill_modes = drm_helper_probe_single_connector_modes,
	.destroy = drm_connector_cleanup,
	.atomic_duplicate_state = drm_atomic_helper_connector_duplicate_state,
	.atomic_destroy_state = drm_atomic_helper_connector_destroy_state,
};

/*
 * The helpers' commit tail, waiting for the flip's event (sent from the
 * vblank timer) instead of a vblank count with a 100 ms timeout that warns:
 * the commit copied the framebuffer already, and a loaded host can hold
 * a timer back that long.
 */
static void dkms_commit_tail(struct devns_drm_atomic *state)
{
	struct drm_device *drm = state->dev;

	drm_atomic_helper_commit_modeset_disables(drm, state);
	drm_atomic_helper_commit_planes(drm, state, 0);
	drm_atomic_helper_commit_modeset_enables(drm, state);
	drm_atomic_helper_fake_vblank(state);
	drm_atomic_helper_commit_hw_done(state);
	drm_atomic_helper_wait_for_flip_done(drm, state);
	drm_atomic_helper_cleanup_planes(drm, state);
}

static const struct drm_mode_config_helper_funcs dkms_mode_config_helpers = {
	.atomic_commit_tail = dkms_commit_tail,
};

static const struct drm_mode_config_funcs dkms_mode_config_funcs = {
	.fb_create = drm_gem_fb_create_with_dirty,
	.atomic_check = drm_atomic_helper_check,
	.atomic_commit = drm_atomic_helper_commit,
};

DEFINE_DRM_GEM_FOPS(dkms_fops);

static const struct drm_driver dkms_driver = {
	.driver_features = DRIVER_MODESET | DRIVER_GEM | DRIVER_ATOMIC,
	.fops = &dkms_fops,
	DRM_GEM_SHMEM_DRIVER_OPS,
	.name = "devns_kms",
	.desc = "devns persona display",
	DEVNS_DRM_DRIVER_DATE
	.major = 1,
	.minor = 0,
};

static void dkms_screen_free(struct drm_device *drm, void *screen)
{
	vfree(screen);
}

/* The modes, copied into memory the drm_device owns. */
static int dkms_card_copy_modes(struct dkms_card *card,
				const struct dkms_modes *from)
{
	struct drm_device *drm = &card->drm;
	struct dkms_modes *m;

	m = drmm_kzalloc(drm, sizeof(*m), GFP_KERNEL);
	if (!m)
		return -ENOMEM;
	if (from->count) {
		m->mode = drmm_kmalloc(drm, from->count * sizeof(*m->mode),
				       GFP_KERNEL);
		if (!m->mode)
			return -ENOMEM;
		memcpy(m->mode, from->mode, from->count * sizeof(*m->mode));
		m->count = from->count;
	}
	if (from->edid_len) {
		m->edid = drmm_kmalloc(drm, from->edid_len, GFP_KERNEL);
		if (!m->edid)
			return -ENOMEM;
		memcpy(m->edid, from->edid, from->edid_len);
		m->edid_len = from->edid_len;
	}
	drm->dev_private = m;
	return 0;
}

static int dkms_card_init(struct dkms_card *card, const struct dkms_modes *modes)
{
	struct drm_device *drm = &card->drm;
	int err;

	err = dkms_card_copy_modes(card, modes);
	if (err)
		return err;
	card->width = modes->count ? modes->mode[0].hdisplay : 1024;
	card->height = modes->count ? modes->mode[0].vdisplay : 768;
	card->pitch = card->width * 4;
	card->screen = vzalloc((size_t)card->pitch * card->height);
	if (!card->screen)
		return -ENOMEM;
	err = drmm_add_action_or_reset(drm, dkms_screen_free, card->screen);
	if (err)
		return err;

	err = drmm_mode_config_init(drm);
	if (err)
		return err;
	drm->mode_config.min_width = 1;
	drm->mode_config.min_height = 1;
	drm->mode_config.max_width = DKMS_MAX_SIZE;
	drm->mode_config.max_height = DKMS_MAX_SIZE;
	drm->mode_config.preferred_depth = 24;
	drm->mode_config.funcs = &dkms_mode_config_funcs;
	drm->mode_config.helper_private = &dkms_mode_config_helpers;

	err = drm_universal_plane_init(drm, &card->plane, 0, &dkms_plane_funcs,
				       dkms_formats, ARRAY_SIZE(dkms_formats),
				       NULL, DRM_PLANE_TYPE_PRIMARY, NULL);
	if (err)
		return err;
	drm_plane_helper_add(&card->plane, &dkms_plane_helper_funcs);
	drm_plane_enable_fb_damage_clips(&card->plane);

	err = drmm_crtc_init_with_planes(drm, &card->crtc, &card->plane, NULL,
					 &dkms_crtc_funcs, NULL);
	if (err)
		return err;
	drm_crtc_helper_add(&card->crtc, &dkms_crtc_helper_funcs);

	err = drmm_encoder_init(drm, &card->encoder, NULL,
				DRM_MODE_ENCODER_VIRTUAL, NULL);
	if (err)
		return err;
	card->encoder.possible_crtcs = drm_crtc_mask(&card->crtc);

	err = drm_connector_init(drm, &card->connector, &dkms_connector_funcs,
				 DRM_MODE_CONNECTOR_VIRTUAL);
	if (err)
		return err;
	drm_connector_helper_add(&card->connector, &dkms_connector_helper_funcs);
	err = drm_connector_attach_encoder(&card->connector, &card->encoder);
	if (err)
		return err;

	err = drm_vblank_init(drm, 1);
	if (err)
		return err;
	drm_mode_config_reset(drm);
	return 0;
}

struct dkms_card *dkms_card_create(struct devns *ns, const struct dkms_modes *modes)
{
	struct platform_device_info info = {
		.parent = devns_device(ns),
		.name = "devns_kms",
		.id = devns_id(ns),
	};
	struct platform_device *pdev;
	struct dkms_card *card;
	int err;

	pdev = platform_device_register_full(&info);
	if (IS_ERR(pdev))
		return ERR_CAST(pdev);
	if (!devres_open_group(&pdev->dev, NULL, GFP_KERNEL)) {
		err = -ENOMEM;
		goto out_pdev;
	}
	card = devm_drm_dev_alloc(&pdev->dev, &dkms_driver, struct dkms_card, drm);
	if (IS_ERR(card)) {
		err = PTR_ERR(card);
		goto out_group;
	}
	card->pdev = pdev;
	mutex_init(&card->screen_lock);
	INIT_WORK(&card->present_work, dkms_present_work);
	devns_hrtimer_setup(&card->vblank_timer, dkms_vblank_fn,
			    CLOCK_MONOTONIC, HRTIMER_MODE_REL);

	err = dkms_card_init(card, modes);
	if (err)
		goto out_group;
	err = drm_dev_register(&card->drm, 0);
	if (err)
		goto out_group;
	drm_dev_get(&card->drm);	/* the persona's, past unplug */
	return card;

out_group:
	devres_release_group(&pdev->dev, NULL);
out_pdev:
	platform_device_unregister(pdev);
	return ERR_PTR(err);
}

/*
 * The card goes: its files get -ENODEV from now on (drm_dev_unplug), the
 * CRTC is turned off, and the drm_device lives on until its last file is
 * closed.  Not shown any more (the caller took it off the display).
 */
void dkms_card_destroy(struct dkms_card *card)
{
	struct platform_device *pdev = card->pdev;

	drm_dev_unplug(&card->drm);
	drm_atomic_helper_shutdown(&card->drm);
	WRITE_ONCE(card->vblank_on, false);
	hrtimer_cancel(&card->vblank_timer);
	cancel_work_sync(&card->present_work);
	devres_release_group(&pdev->dev, NULL);
	platform_device_unregister(pdev);
	drm_dev_put(&card->drm);
}
