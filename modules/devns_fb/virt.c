// SPDX-License-Identifier: GPL-2.0
/*
 * A persona's virtual framebuffer: an ordinary fbdev in system memory with
 * its physical framebuffer's geometry and format, a child of the persona's
 * devns device.
 *
 * Its memory is always the persona's screen.  While it is shown, what the
 * persona draws is copied to the hardware by flush_work: write() and the
 * drawing ops record the damaged bytes and flush (at once after a pause,
 * else DFB_REFRESH after the last flush: dfb_virt_kick); while
 * the memory is also mapped, flush_work runs every DFB_REFRESH like a
 * display controller's scanout and copies the pages stored into, as the
 * page tables tell (mapped.c), or else those that differ from the
 * hardware's (stores through a mapping are not seen one by one: catching
 * them with write faults, as deferred I/O does, costs a fault per page per
 * frame).  Mode, pan offset, colour map and blank state are the virtual
 * framebuffer's own, and reach the hardware only while it is shown.
 */
#include <linux/fb.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <devns.h>
#include <devns_compat.h>
#include "devns_fb.h"

#define DFB_MAX_DIM	32768	/* of a virtual resolution: no overflow */
#define DFB_RELEASE_POLL (HZ / 10)

static const struct fb_ops dfb_virt_fbops;
static struct workqueue_struct *dfb_release_wq;
static atomic_t dfb_unreleased = ATOMIC_INIT(0);	/* virts not yet freed */

bool dfb_is_virt(const struct fb_info *info)
{
	return info->fbops == &dfb_virt_fbops;
}

static void dfb_flush_work(struct work_struct *work)
{
	struct dfb_virt *virt = container_of(to_delayed_work(work),
					     struct dfb_virt, flush_work);
	struct dfb_phys *phys = virt->phys;
	bool mapped = atomic_read(&virt->mapped) > 0, shown, compare = false;
	unsigned long lo, hi, dirty_lo, dirty_hi, flags;

	if (mapped)
		compare = !dfb_mapped_dirty(virt, &dirty_lo, &dirty_hi);
	spin_lock_irqsave(&virt->damage_lock, flags);
	lo = virt->damage_lo;
	hi = virt->damage_hi;
	virt->damage_lo = ULONG_MAX;
	virt->damage_hi = 0;
	spin_unlock_irqrestore(&virt->damage_lock, flags);
	if (mapped && !compare) {
		lo = min(lo, dirty_lo);
		hi = max(hi, dirty_hi);
	}

	mutex_lock(&phys->hw_lock);
	shown = phys->shown == virt;
	if (shown && compare)
		dfb_screen_refresh(phys, virt->screen);
	else if (shown && lo < hi)
		dfb_screen_copy(phys, virt->screen, lo, hi);
	mutex_unlock(&phys->hw_lock);
	WRITE_ONCE(virt->flushed, jiffies);

	/* The scanout goes on while the screen is shown and mapped. */
	if (shown && mapped)
		dfb_virt_kick(virt);
}

/*
 * Starts flush_work; with phys->hw_lock held or not.  At once when the last
 * flush ended DFB_REFRESH ago or more, so that a change after a pause shows
 * without waiting; else when that rest ends, so that a burst of changes is
 * copied together and a slow flush leaves the CPU a rest.  It runs
 * unbound, on whichever CPU is idle: queued on the CPU at hand, it would
 * stay on the CPU of the process that mapped the screen, which is usually
 * the one drawing, and take a fifth of its time there (with the driver's
 * blit).
 */
void dfb_virt_kick(struct dfb_virt *virt)
{
	unsigned long now = jiffies;
	unsigned long due = READ_ONCE(virt->flushed) + DFB_REFRESH;

	queue_delayed_work(system_dfl_wq, &virt->flush_work,
			   time_after(due, now) ? due - now : 0);
}

/* May be called from fbcon, in any context. */
void dfb_damage(struct fb_info *info, unsigned long lo, unsigned long hi)
{
	struct dfb_virt *virt = info->par;
	unsigned long flags;

	spin_lock_irqsave(&virt->damage_lock, flags);
	virt->damage_lo = min(virt->damage_lo, lo);
	virt->damage_hi = max(virt->damage_hi, hi);
	spin_unlock_irqrestore(&virt->damage_lock, flags);
	dfb_virt_kick(virt);
}

static void dfb_damage_rows(struct fb_info *info, u32 y, u32 height)
{
	dfb_damage(info, (unsigned long)y * info->fix.line_length,
		   (unsigned long)(y + height) * info->fix.line_length);
}

static ssize_t dfb_write(struct fb_info *info, const char __user *buf,
			 size_t count, loff_t *ppos)
{
	unsigned long pos = *ppos;
	ssize_t ret = fb_sys_write(info, buf, count, ppos);

	if (ret > 0)
		dfb_damage(info, pos, pos + ret);
	return ret;
}

static void dfb_fillrect(struct fb_info *info, const struct fb_fillrect *rect)
{
	sys_fillrect(info, rect);
	dfb_damage_rows(info, rect->dy, rect->height);
}

static void dfb_copyarea(struct fb_info *info, const struct fb_copyarea *area)
{
	sys_copyarea(info, area);
	dfb_damage_rows(info, area->dy, area->height);
}

static void dfb_imageblit(struct fb_info *info, const struct fb_image *image)
{
	sys_imageblit(info, image);
	dfb_damage_rows(info, image->dy, image->height);
}

static u32 dfb_line_length(const struct fb_info *info,
			   const struct fb_var_screeninfo *var)
{
	/* Same width and depth: the hardware's pitch, padding included. */
	if (var->xres_virtual == info->var.xres_virtual &&
	    var->bits_per_pixel == info->var.bits_per_pixel)
		return info->fix.line_length;
	return DIV_ROUND_UP(var->xres_virtual * var->bits_per_pixel, 32) * 4;
}

static int dfb_check_var(struct fb_var_screeninfo *var, struct fb_info *info)
{
	struct dfb_virt *virt = info->par;
	int err;

	if (!var->xres || !var->yres || !var->bits_per_pixel ||
	    var->bits_per_pixel > 32 ||
	    var->xres > DFB_MAX_DIM || var->yres > DFB_MAX_DIM ||
	    var->xres_virtual > DFB_MAX_DIM || var->yres_virtual > DFB_MAX_DIM)
		return -EINVAL;
	var->xres_virtual = max(var->xres_virtual, var->xres);
	var->yres_virtual = max(var->yres_virtual, var->yres);

	/* The mode must be one the hardware can show on switch-in. */
	mutex_lock(&virt->phys->hw_lock);
	err = dfb_screen_check_var(virt->phys, var);
	mutex_unlock(&virt->phys->hw_lock);
	if (err)
		return err;

	if ((u64)dfb_line_length(info, var) * var->yres_virtual >
	    info->fix.smem_len)
		return -EINVAL;
	return 0;
}

static int dfb_set_par(struct fb_info *info)
{
	struct dfb_virt *virt = info->par;
	struct dfb_phys *phys = virt->phys;

	info->fix.line_length = dfb_line_length(info, &info->var);
	if (info->fix.visual == FB_VISUAL_TRUECOLOR ||
	    info->fix.visual == FB_VISUAL_PSEUDOCOLOR)
		info->fix.visual = info->var.bits_per_pixel <= 8 ?
			FB_VISUAL_PSEUDOCOLOR : FB_VISUAL_TRUECOLOR;

	mutex_lock(&phys->hw_lock);
	if (phys->shown == virt) {
		dfb_screen_apply_var(phys, &info->var);
		dfb_screen_copy(phys, virt->screen, 0, phys->size);
	}
	mutex_unlock(&phys->hw_lock);
	return 0;
}

/* The fbdev core checked the offsets and records them on success. */
static int dfb_pan_display(struct fb_var_screeninfo *var, struct fb_info *info)
{
	struct dfb_virt *virt = info->par;
	struct dfb_phys *phys = virt->phys;
	struct fb_var_screeninfo v = info->var;

	v.xoffset = var->xoffset;
	v.yoffset = var->yoffset;
	v.vmode = var->vmode;

	mutex_lock(&phys->hw_lock);
	if (phys->shown == virt)
		dfb_screen_apply_var(phys, &v);
	mutex_unlock(&phys->hw_lock);
	return 0;
}

static int dfb_setcolreg(unsigned int regno, unsigned int red,
			 unsigned int green, unsigned int blue,
			 unsigned int transp, struct fb_info *info)
{
	const struct fb_var_screeninfo *var = &info->var;
	struct dfb_virt *virt = info->par;

	if (regno >= 256)
		return -EINVAL;
	/* The console's 16 colours, for truecolor drawing ops. */
	if (info->fix.visual == FB_VISUAL_TRUECOLOR && regno < 16)
		virt->pseudo_palette[regno] =
			(red >> (16 - var->red.length)) << var->red.offset |
			(green >> (16 - var->green.length)) << var->green.offset |
			(blue >> (16 - var->blue.length)) << var->blue.offset |
			(var->transp.length ?
			 (transp >> (16 - var->transp.length)) <<
			 var->transp.offset : 0);
	return 0;
}

static int dfb_setcmap(struct fb_cmap *cmap, struct fb_info *info)
{
	struct dfb_virt *virt = info->par;
	struct dfb_phys *phys = virt->phys;
	u32 i;
	int err;

	if (cmap->start >= 256 || cmap->len > 256 - cmap->start)
		return -EINVAL;
	for (i = 0; i < cmap->len; i++) {
		err = dfb_setcolreg(cmap->start + i, cmap->red[i],
				    cmap->green[i], cmap->blue[i],
				    cmap->transp ? cmap->transp[i] : 0xffff,
				    info);
		if (err)
			return err;
	}

	mutex_lock(&phys->hw_lock);
	if (phys->shown == virt && phys->root_cmap.len) {
		dfb_lock_phys(phys->info);
		fb_set_cmap(cmap, phys->info);
		unlock_fb_info(phys->info);
	}
	mutex_unlock(&phys->hw_lock);
	return 0;
}

static int dfb_blank(int blank, struct fb_info *info)
{
	struct dfb_virt *virt = info->par;
	struct dfb_phys *phys = virt->phys;

	if (blank < FB_BLANK_UNBLANK || blank > FB_BLANK_POWERDOWN)
		return -EINVAL;
	virt->blank = blank;

	mutex_lock(&phys->hw_lock);
	if (phys->shown == virt && phys->info && phys->blank != blank) {
		dfb_lock_phys(phys->info);
		if (!fb_blank(phys->info, blank))
			phys->blank = blank;
		unlock_fb_info(phys->info);
		/* A display turned back on may have lost what it showed. */
		if (blank == FB_BLANK_UNBLANK)
			dfb_screen_copy(phys, virt->screen, 0, phys->size);
	}
	mutex_unlock(&phys->hw_lock);
	return 0;
}

/*
 * fbcon may not draw on a virtual framebuffer: the host's console would
 * show in a persona.  fbcon opens a framebuffer (as user 0) before it binds
 * to it, whether at registration (it takes over the first one; a virtual
 * one lands on node 0 once the hardware's has gone) or when con2fbmap asks
 * (FBIOPUT_CON2FBMAP, open to anyone who can open a framebuffer).
 */
static int dfb_open(struct fb_info *info, int user)
{
	return user ? 0 : -ENODEV;
}

/* The last user is gone (unregistered, and no file open any more). */
static void dfb_fb_destroy(struct fb_info *info)
{
	struct dfb_virt *virt = info->par;

	cancel_delayed_work_sync(&virt->flush_work);
	fb_dealloc_cmap(&info->cmap);
	bitmap_free(virt->dirty);
	vfree(virt->screen);
	dfb_phys_put(virt->phys);
	framebuffer_release(info);
}

/*
 * devns_fb holds a reference of its own to each virtual framebuffer's
 * fb_info, so fbdev never drops the last one: its fb_release() drops the
 * module reference of an open file before its put_fb_info(), and a last
 * put there would call back into a module rmmod may have freed meanwhile.
 * Once unregistered, the fb_info is freed here instead, when the files
 * open on it are closed (fbdev's put done), looked at every
 * DFB_RELEASE_POLL; dfb_virt_exit() waits for every one.
 */
static void dfb_release_work(struct work_struct *work)
{
	struct dfb_virt *virt = container_of(to_delayed_work(work),
					     struct dfb_virt, release_work);
	struct fb_info *info = virt->info;

	if (refcount_read(&info->count) > 1) {
		queue_delayed_work(dfb_release_wq, &virt->release_work,
				   DFB_RELEASE_POLL);
		return;
	}
	if (refcount_dec_and_test(&info->count))
		dfb_fb_destroy(info);
	if (atomic_dec_and_test(&dfb_unreleased))
		wake_up_var(&dfb_unreleased);
}

static const struct fb_ops dfb_virt_fbops = {
	.owner		= THIS_MODULE,
	.fb_read	= fb_sys_read,
	.fb_write	= dfb_write,
	.fb_fillrect	= dfb_fillrect,
	.fb_copyarea	= dfb_copyarea,
	.fb_imageblit	= dfb_imageblit,
	.fb_mmap	= dfb_mmap,
	.fb_check_var	= dfb_check_var,
	.fb_set_par	= dfb_set_par,
	.fb_pan_display	= dfb_pan_display,
	.fb_setcolreg	= dfb_setcolreg,
	.fb_setcmap	= dfb_setcmap,
	.fb_blank	= dfb_blank,
	.fb_open	= dfb_open,
};

/*
 * Takes the hardware's look: the root's mode if a persona is on show.  No
 * address of the hardware leaks to the persona.  The memory is the
 * virtual framebuffer's own, whatever the hardware's fix says: fbdev's
 * read, write and drawing reach screen_size (or else smem_len) bytes.
 */
static int dfb_virt_copy_phys(struct dfb_virt *virt, struct dfb_phys *phys)
{
	struct fb_info *info = virt->info;
	struct fb_info *pinfo;
	int err = 0;

	mutex_lock(&phys->hw_lock);
	pinfo = phys->info;
	if (!pinfo) {
		err = -ENODEV;
		goto out;
	}
	dfb_lock_phys(pinfo);
	info->fix = pinfo->fix;
	info->var = phys->root_away ? phys->root_var : pinfo->var;
	fb_copy_cmap(phys->root_away ? &phys->root_cmap : &pinfo->cmap,
		     &info->cmap);
	unlock_fb_info(pinfo);
	info->fix.smem_start = 0;
	info->fix.mmio_start = 0;
	info->fix.mmio_len = 0;
	info->var.activate = FB_ACTIVATE_NOW;
	if (!virt->size)
		virt->size = phys->size;
	info->fix.smem_len = virt->size;
	info->screen_size = virt->size;
out:
	mutex_unlock(&phys->hw_lock);
	return err;
}

struct dfb_virt *dfb_virt_create(struct dfb_phys *phys, struct devns *ns)
{
	struct dfb_virt *virt;
	struct fb_info *info;
	int err;

	info = framebuffer_alloc(sizeof(*virt), devns_device(ns));
	if (!info)
		return ERR_PTR(-ENOMEM);
	virt = info->par;
	virt->info = info;
	virt->phys = phys;
	virt->blank = FB_BLANK_UNBLANK;
	spin_lock_init(&virt->damage_lock);
	virt->damage_lo = ULONG_MAX;
	INIT_DELAYED_WORK(&virt->flush_work, dfb_flush_work);
	virt->flushed = jiffies - DFB_REFRESH;
	INIT_DELAYED_WORK(&virt->release_work, dfb_release_work);
	mutex_init(&virt->maps_lock);
	INIT_LIST_HEAD(&virt->maps);

	err = fb_alloc_cmap(&info->cmap, 256, 0);
	if (err)
		goto err_info;
	err = dfb_virt_copy_phys(virt, phys);
	if (err)
		goto err_cmap;

	virt->pages = PAGE_ALIGN(virt->size) >> PAGE_SHIFT;
	virt->screen = vmalloc_user(virt->pages << PAGE_SHIFT);
	virt->dirty = bitmap_zalloc(virt->pages, GFP_KERNEL);
	if (!virt->screen || !virt->dirty) {
		err = -ENOMEM;
		goto err_screen;
	}
	info->screen_buffer = virt->screen;
	info->fbops = &dfb_virt_fbops;
	info->flags = FBINFO_VIRTFB;
	info->pseudo_palette = virt->pseudo_palette;

	dfb_phys_get(phys);
	err = register_framebuffer(info);
	if (err) {
		dfb_phys_put(phys);
		goto err_screen;
	}
	refcount_inc(&info->count);	/* ours: see dfb_release_work() */
	atomic_inc(&dfb_unreleased);

	/*
	 * A physical framebuffer found by dfb_scan may have been registering
	 * still (fbcon sets its mode then), under the registration lock that
	 * register_framebuffer() just waited for: look again.
	 */
	lock_fb_info(info);
	dfb_virt_copy_phys(virt, phys);
	unlock_fb_info(info);
	return virt;

err_screen:
	bitmap_free(virt->dirty);
	vfree(virt->screen);
err_cmap:
	fb_dealloc_cmap(&info->cmap);
err_info:
	framebuffer_release(info);
	return ERR_PTR(err);
}

/* Under dfb_lock.  Open files keep the fb_info until dfb_release_work. */
void dfb_virt_destroy(struct dfb_virt *virt)
{
	struct dfb_phys *phys = virt->phys;

	mutex_lock(&phys->hw_lock);
	if (phys->shown == virt)
		phys->shown = NULL;
	mutex_unlock(&phys->hw_lock);
	unregister_framebuffer(virt->info);
	queue_delayed_work(dfb_release_wq, &virt->release_work, 0);
}

int dfb_virt_init(void)
{
	dfb_release_wq = alloc_workqueue("devns_fb_release", WQ_PERCPU, 0);
	return dfb_release_wq ? 0 : -ENOMEM;
}

/* Once every virtual framebuffer is destroyed: waits until all are freed. */
void dfb_virt_exit(void)
{
	wait_var_event(&dfb_unreleased, !atomic_read(&dfb_unreleased));
	destroy_workqueue(dfb_release_wq);
}
