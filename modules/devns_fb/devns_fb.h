/* SPDX-License-Identifier: GPL-2.0 */
/*
 * devns_fb internals.
 *
 * Every physical framebuffer (struct dfb_phys) gets, per persona, a virtual
 * framebuffer (struct dfb_virt) in system memory with the same geometry.
 * Only the virtual framebuffer on show (dfb_phys.shown) reaches the hardware:
 * what it draws is copied to the physical screen memory within a frame, and
 * its whole memory on switch-in.
 *
 * Locks, outermost first:
 *   dfb_lock        personas, physical framebuffers' virtual lists, switches
 *   registration    (fbdev core) register/unregister_framebuffer
 *   console_lock
 *   fb_info->lock   of a virtual framebuffer (fbdev core, ioctls)
 *   dfb_phys.hw_lock  the hardware: its fb_info pointer, screen, state
 *   fb_info->lock   of the physical framebuffer
 * dfb_phys_lock (the list of physical framebuffers) is a leaf lock taken from
 * the class interface callbacks, which run under the registration lock.
 * dfb_virt.maps_lock nests in mmap_lock (VMA open and close) and holds the
 * address_spaces' i_mmap_rwsem (the dirty-bit walk); the scanout takes it
 * before, never inside, hw_lock.
 */
#ifndef _DEVNS_FB_H
#define _DEVNS_FB_H

#include <linux/fb.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

struct devns;
struct dfb_virt;

struct dfb_phys {
	struct list_head node;		/* dfb_physs, under dfb_phys_lock */
	bool seen;			/* by dfb_scan, under dfb_phys_lock */
	unsigned int bind_tries;	/* by dfb_scan, under dfb_lock */
	bool claimed;			/* its parent device is ours */
	struct kref ref;
	struct device *dev;		/* its device in the graphics class */
	struct work_struct gone_work;
	struct list_head ready_node;	/* dfb_ready, under dfb_lock */
	struct list_head virts;		/* its dfb_virt, under dfb_lock */

	struct mutex hw_lock;
	bool removed;			/* its device left the class */
	struct fb_info *info;		/* NULL until known and once gone */
	struct dfb_virt *shown;		/* on screen; NULL: the root */
	bool root_away;			/* the root's screen is saved */
	bool fbcon_suspended;		/* we suspended it (fb_set_suspend) */
	bool damaged;			/* whole screen, not yet reported */
	struct delayed_work finish_work; /* what a switch leaves to do */
	int blank;			/* blank state we last gave it */
	size_t size;			/* bytes of screen memory handled */
	void *root_screen;		/* the root's pixels while away */
	struct fb_var_screeninfo root_var;
	struct fb_cmap root_cmap;
};

struct dfb_virt {
	struct list_head phys_node;	/* dfb_phys.virts, under dfb_lock */
	struct list_head persona_node;	/* dfb_persona.virts, under dfb_lock */
	struct dfb_phys *phys;		/* with a reference */
	struct fb_info *info;
	void *screen;			/* vmalloc, page aligned */
	size_t size;			/* bytes of screen: smem_len, screen_size */
	pgoff_t pages;			/* of screen */
	int blank;
	u32 pseudo_palette[16];
	atomic_t mapped;		/* VMAs mapping screen */

	struct mutex maps_lock;		/* VMAs' open/close vs the scanout */
	struct list_head maps;		/* address_spaces of the VMAs (mapped.c) */
	unsigned int unwalkable;	/* VMAs whose dirty bits cannot be read */
	unsigned long *dirty;		/* page bitmap for the scanout's walk */

	spinlock_t damage_lock;
	unsigned long damage_lo, damage_hi;	/* bytes, [lo, hi) */
	struct delayed_work flush_work;
	unsigned long flushed;			/* jiffies at its last end */
	struct delayed_work release_work;	/* frees it once unregistered */
};

struct dfb_persona {
	struct devns *ns;
	struct list_head node;		/* dfb_personas, under dfb_lock */
	struct list_head virts;
};

/* main.c */
extern struct devns_subsys dfb_subsys;
extern struct mutex dfb_lock;
extern struct dfb_persona *dfb_active;	/* NULL: the root; under dfb_lock */
void dfb_phys_ready(struct dfb_phys *phys);
void dfb_phys_gone(struct dfb_phys *phys);

/* phys.c */
int dfb_phys_init(void);
void dfb_phys_exit(void);
void dfb_phys_unclaim(struct dfb_phys *phys);
void dfb_phys_put(struct dfb_phys *phys);
void dfb_phys_get(struct dfb_phys *phys);
void dfb_phys_finish_later(struct dfb_phys *phys);

/* virt.c */
#define DFB_REFRESH max(1, HZ / 100)	/* well within a 60 Hz frame */
int dfb_virt_init(void);
void dfb_virt_exit(void);
bool dfb_is_virt(const struct fb_info *info);
struct dfb_virt *dfb_virt_create(struct dfb_phys *phys, struct devns *ns);
void dfb_virt_destroy(struct dfb_virt *virt);
void dfb_virt_kick(struct dfb_virt *virt);
void dfb_damage(struct fb_info *info, unsigned long lo, unsigned long hi);

/* mapped.c */
int dfb_mmap(struct fb_info *info, struct vm_area_struct *vma);
bool dfb_mapped_dirty(struct dfb_virt *virt, unsigned long *lo,
		      unsigned long *hi);

/*
 * A physical fb_info's lock nests in a virtual one's: both are fb_info
 * locks, one lock class.
 */
static inline void dfb_lock_phys(struct fb_info *info)
{
	mutex_lock_nested(&info->lock, SINGLE_DEPTH_NESTING);
}

/* screen.c: all with phys->hw_lock held */
int dfb_screen_show(struct dfb_phys *phys, struct dfb_virt *virt,
		    bool console_locked);
void dfb_screen_leave_root(struct dfb_phys *phys);
int dfb_screen_restore_root(struct dfb_phys *phys, bool console_locked);
void dfb_screen_copy(struct dfb_phys *phys, const void *src,
		     unsigned long lo, unsigned long hi);
void dfb_screen_refresh(struct dfb_phys *phys, const void *src);
void dfb_screen_finish(struct dfb_phys *phys);
int dfb_screen_check_var(struct dfb_phys *phys,
			 struct fb_var_screeninfo *var);
void dfb_screen_apply_var(struct dfb_phys *phys,
			  const struct fb_var_screeninfo *var);

#endif /* _DEVNS_FB_H */
