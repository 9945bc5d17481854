// SPDX-License-Identifier: GPL-2.0
/*
 * The physical screen: copying pixels to and from it, giving it a virtual
 * framebuffer's mode, pan offset, colour map and blank state, and keeping
 * the root's screen (and fbcon) aside while a persona is shown.
 *
 * Everything here runs with phys->hw_lock held; what calls fb_set_suspend()
 * or may call fb_set_var() needs console_lock too (see main.c).
 */
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <devns_compat.h>
#include <devns_copy.h>
#include "devns_fb.h"

static bool dfb_in_ram(const struct fb_info *info)
{
	return (info->flags & FBINFO_VIRTFB) ||
	       is_vmalloc_addr(info->screen_buffer);
}

/*
 * Drivers with deferred I/O (DRM's fbdev emulation among them) draw from a
 * shadow buffer and only push to the display what they were told changed.
 * DRM's is told directly (devns_compat.h: its worker may skip a suspended
 * framebuffer, and a persona is shown on one).  The others' drawing ops
 * tell them, so a copy of the damaged rows onto themselves reports the
 * damage the same way fbcon's drawing does.
 */
static void dfb_report_damage(struct fb_info *info, unsigned long lo,
			      unsigned long hi)
{
	u32 ll = info->fix.line_length;
	struct fb_copyarea area = { .width = info->var.xres_virtual };
	u32 y1;

	if (!info->fbdefio || !ll)
		return;
	area.sy = area.dy = lo / ll;
	y1 = min_t(unsigned long, DIV_ROUND_UP(hi, ll), info->var.yres_virtual);
	if (y1 <= area.dy || devns_drm_fb_dirty(info, area.dy, y1) ||
	    !info->fbops->fb_copyarea)
		return;
	area.height = y1 - area.dy;
	info->fbops->fb_copyarea(info, &area);
}

/* Bytes [@lo, @hi) of @src onto the screen memory, @lo a multiple of 8. */
static void dfb_screen_write(struct fb_info *info, const void *src,
			     unsigned long lo, unsigned long hi)
{
	if (dfb_in_ram(info))
		devns_copy(info->screen_buffer + lo, src + lo, hi - lo);
	else
		memcpy_toio(info->screen_base + lo, src + lo, hi - lo);
}

void dfb_screen_copy(struct dfb_phys *phys, const void *src,
		     unsigned long lo, unsigned long hi)
{
	struct fb_info *info = phys->info;

	lo = round_down(lo, 8);		/* aligned words for devns_copy */
	hi = min_t(unsigned long, hi, phys->size);
	if (!info || lo >= hi)
		return;
	dfb_screen_write(info, src, lo, hi);
	dfb_report_damage(info, lo, hi);
}

/*
 * Copies the pages of @src that differ from the hardware's.  Screen memory
 * in I/O space is slow to read: there everything is copied.
 */
void dfb_screen_refresh(struct dfb_phys *phys, const void *src)
{
	struct fb_info *info = phys->info;
	unsigned long off, n, lo = ULONG_MAX, hi = 0;

	if (!info)
		return;
	if (!dfb_in_ram(info)) {
		dfb_screen_copy(phys, src, 0, phys->size);
		return;
	}
	for (off = 0; off < phys->size; off += PAGE_SIZE) {
		n = min_t(unsigned long, PAGE_SIZE, phys->size - off);
		if (memcmp(info->screen_buffer + off, src + off, n)) {
			lo = min(lo, off);
			hi = off + n;
		}
	}
	if (lo < hi)
		dfb_screen_copy(phys, src, lo, hi);
}

/*
 * A switch's copy of a whole screen, @src (NULL: black): the driver hears of
 * it after the switch, from dfb_screen_finish.
 */
static void dfb_screen_put(struct dfb_phys *phys, const void *src)
{
	struct fb_info *info = phys->info;

	if (src)
		dfb_screen_write(info, src, 0, phys->size);
	else if (dfb_in_ram(info))
		memset(info->screen_buffer, 0, phys->size);
	else
		memset_io(info->screen_base, 0, phys->size);
	phys->damaged = true;
	dfb_phys_finish_later(phys);
}

/*
 * Console locked: what the last switch left to do.  The damage is reported
 * while the framebuffer is still suspended, so that the driver's drawing
 * op reports it without drawing; then, if the root is back, the root and
 * fbcon get the framebuffer back, and fbcon redraws the text console with
 * what it printed meanwhile.
 */
void dfb_screen_finish(struct dfb_phys *phys)
{
	struct fb_info *info = phys->info;

	if (info && phys->damaged)
		dfb_report_damage(info, 0, phys->size);
	phys->damaged = false;
	if (info && !phys->root_away && phys->fbcon_suspended) {
		fb_set_suspend(info, 0);
		phys->fbcon_suspended = false;
	}
}

static void dfb_screen_save(struct dfb_phys *phys, void *dst)
{
	struct fb_info *info = phys->info;

	if (dfb_in_ram(info))
		devns_copy(dst, info->screen_buffer, phys->size);
	else
		memcpy_fromio(dst, info->screen_base, phys->size);
}

static bool dfb_same_bitfield(const struct fb_bitfield *a,
			      const struct fb_bitfield *b)
{
	return a->offset == b->offset && a->length == b->length &&
	       a->msb_right == b->msb_right;
}

/*
 * Is @a the same video mode as @b?  Geometry and pixel format only: a
 * driver may normalise the rest (timings, sizes) when it sets a mode, and
 * setting a mode again for that costs a modeset per switch.
 */
static bool dfb_same_mode(const struct fb_var_screeninfo *a,
			  const struct fb_var_screeninfo *b)
{
	return a->xres == b->xres && a->yres == b->yres &&
	       a->xres_virtual == b->xres_virtual &&
	       a->yres_virtual == b->yres_virtual &&
	       a->bits_per_pixel == b->bits_per_pixel &&
	       a->grayscale == b->grayscale && a->nonstd == b->nonstd &&
	       a->rotate == b->rotate &&
	       dfb_same_bitfield(&a->red, &b->red) &&
	       dfb_same_bitfield(&a->green, &b->green) &&
	       dfb_same_bitfield(&a->blue, &b->blue) &&
	       dfb_same_bitfield(&a->transp, &b->transp);
}

static bool dfb_same_cmap(const struct fb_cmap *a, const struct fb_cmap *b)
{
	size_t n = a->len * sizeof(u16);

	return a->start == b->start && a->len == b->len &&
	       !memcmp(a->red, b->red, n) && !memcmp(a->green, b->green, n) &&
	       !memcmp(a->blue, b->blue, n);
}

/* With the physical fb_info locked. */
static void dfb_apply_cmap(struct fb_info *info, struct fb_cmap *cmap)
{
	if (!dfb_same_cmap(cmap, &info->cmap))
		fb_set_cmap(cmap, info);
}

int dfb_screen_check_var(struct dfb_phys *phys, struct fb_var_screeninfo *var)
{
	struct fb_info *info = phys->info;
	struct fb_var_screeninfo v = *var;
	int err;

	if (!info)
		return -ENODEV;
	if (!info->fbops->fb_check_var)
		return dfb_same_mode(var, &info->var) ? 0 : -EINVAL;

	dfb_lock_phys(info);
	err = info->fbops->fb_check_var(&v, info);
	unlock_fb_info(info);
	if (!err)
		*var = v;
	return err;
}

/* With the physical fb_info locked. */
static void dfb_apply_var(struct fb_info *info,
			  const struct fb_var_screeninfo *var)
{
	struct fb_var_screeninfo v = *var;
	int err = 0;

	if (!dfb_same_mode(&v, &info->var)) {
		v.activate = FB_ACTIVATE_NOW | FB_ACTIVATE_FORCE;
		err = fb_set_var(info, &v);
	} else if (v.xoffset != info->var.xoffset ||
		   v.yoffset != info->var.yoffset) {
		err = fb_pan_display(info, &v);
	}
	if (err)
		fb_warn(info, "devns_fb: mode not applied: %d\n", err);
}

void dfb_screen_apply_var(struct dfb_phys *phys,
			  const struct fb_var_screeninfo *var)
{
	if (!phys->info)
		return;
	dfb_lock_phys(phys->info);
	dfb_apply_var(phys->info, var);
	unlock_fb_info(phys->info);
}

static void dfb_apply_blank(struct dfb_phys *phys, int blank)
{
	if (phys->blank == blank)
		return;
	if (!fb_blank(phys->info, blank))
		phys->blank = blank;
}

/* Console locked.  Puts the root's screen aside and keeps fbcon off it. */
void dfb_screen_leave_root(struct dfb_phys *phys)
{
	struct fb_info *info = phys->info;

	if (!info || phys->root_away)
		return;
	dfb_screen_save(phys, phys->root_screen);
	phys->root_var = info->var;
	fb_dealloc_cmap(&phys->root_cmap);
	if (info->cmap.len && !fb_alloc_cmap(&phys->root_cmap, info->cmap.len, 0))
		fb_copy_cmap(&info->cmap, &phys->root_cmap);
	phys->root_away = true;

	/*
	 * fbcon draws nothing on a framebuffer that is not running.  It may
	 * still be suspended from the last visit of a persona, if the root
	 * was not back for long (dfb_screen_finish).
	 */
	if (info->state == FBINFO_STATE_RUNNING) {
		fb_set_suspend(info, 1);
		phys->fbcon_suspended = true;
	}
}

/*
 * Gives the hardware back to the root as it left it.  -EAGAIN if that takes
 * a mode change and the console is not locked.
 */
int dfb_screen_restore_root(struct dfb_phys *phys, bool console_locked)
{
	struct fb_info *info = phys->info;

	phys->shown = NULL;
	if (!info || !phys->root_away)
		return 0;
	if (!console_locked && !dfb_same_mode(&phys->root_var, &info->var))
		return -EAGAIN;

	dfb_lock_phys(info);
	dfb_apply_var(info, &phys->root_var);
	if (phys->root_cmap.len)
		dfb_apply_cmap(info, &phys->root_cmap);
	dfb_apply_blank(phys, FB_BLANK_UNBLANK);
	unlock_fb_info(info);

	dfb_screen_put(phys, phys->root_screen);
	phys->root_away = false;
	return 0;
}

/*
 * @virt's fb_info locked.  Shows @virt, whole; with no @virt (a persona
 * without a framebuffer here), a black screen.  -EAGAIN if that takes a
 * mode change and the console is not locked.
 */
int dfb_screen_show(struct dfb_phys *phys, struct dfb_virt *virt,
		    bool console_locked)
{
	struct fb_info *info = phys->info;

	phys->shown = NULL;
	if (!info)
		return 0;
	if (!virt) {
		dfb_screen_put(phys, NULL);
		return 0;
	}
	if (!console_locked && !dfb_same_mode(&virt->info->var, &info->var))
		return -EAGAIN;

	dfb_lock_phys(info);
	dfb_apply_var(info, &virt->info->var);
	if (phys->root_cmap.len)	/* else it could not be restored */
		dfb_apply_cmap(info, &virt->info->cmap);
	dfb_apply_blank(phys, virt->blank);
	unlock_fb_info(info);

	dfb_screen_put(phys, virt->screen);
	phys->shown = virt;
	if (atomic_read(&virt->mapped))
		dfb_virt_kick(virt);
	return 0;
}
