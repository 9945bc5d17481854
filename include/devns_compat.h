/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels devns supports (6.1 .. 7.3), in one place,
 * each with the first kernel version that needs it (docs/ARCHITECTURE.md
 * has the table). Everything else in the modules is written against the
 * newest API.
 */
#ifndef _DEVNS_COMPAT_H
#define _DEVNS_COMPAT_H

#include <linux/version.h>
#include <linux/device.h>

/*
 * 6.17 added WQ_PERCPU, what a workqueue without WQ_UNBOUND has always
 * been, and named system_unbound_wq system_dfl_wq; 7.3 warns (a WARNING in
 * the log) when a workqueue names neither flag, and logs work queued on
 * system_unbound_wq as deprecated.
 */
#include <linux/workqueue.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 17, 0)
#define WQ_PERCPU 0
#define system_dfl_wq system_unbound_wq
#endif

/* 6.4 dropped the owner argument of class_create(). */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 4, 0)
#define devns_class_create(name) class_create(THIS_MODULE, name)
#else
#define devns_class_create(name) class_create(name)
#endif

/*
 * Input handlers: 6.11 allows a handler only one of filter/event/events
 * (devns_input's handlers define one each on every kernel), made events()
 * return the number of events kept, and gave each handle handle_events(),
 * the one way to feed a handle whatever its handler defines.
 */
#include <linux/input.h>

/*
 * DEVNS_INPUT_EVENTS(name, fn): define @name, an events() callback calling
 * unsigned int fn(struct input_handle *, const struct input_value *,
 * unsigned int), which returns how many of the events it keeps (from the
 * start of the array; 6.11 and later act on that number, earlier kernels
 * keep every event).
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
#define DEVNS_INPUT_EVENTS(name, fn)					\
static unsigned int name(struct input_handle *handle,			\
			 struct input_value *vals, unsigned int count)	\
{									\
	return fn(handle, vals, count);					\
}
#else
#define DEVNS_INPUT_EVENTS(name, fn)					\
static void name(struct input_handle *handle,				\
		 const struct input_value *vals, unsigned int count)	\
{									\
	fn(handle, vals, count);					\
}
#endif

/*
 * DEVNS_INPUT_ID_ANY: an input handler's id table entry matching every
 * device.  Kernels after 6.12 (7.3 does) end the table at the first entry
 * without flags, where earlier ones also took an entry with only
 * driver_info set; every device has EV_SYN (evdev's table matches on it).
 */
#define DEVNS_INPUT_ID_ANY						\
	{ .flags = INPUT_DEVICE_ID_MATCH_EVBIT, .evbit = { BIT_MASK(EV_SYN) } }

static inline void devns_input_handle_pass(struct input_handle *handle,
					   struct input_value *vals,
					   unsigned int count)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
	handle->handle_events(handle, vals, count);
#else
	const struct input_handler *handler = handle->handler;
	unsigned int i;

	if (handler->events)
		handler->events(handle, vals, count);
	else if (handler->event)
		for (i = 0; i < count; i++)
			handler->event(handle, vals[i].type, vals[i].code,
				       vals[i].value);
#endif
}

/*
 * 6.4 dropped the class_interface argument of add_dev()/remove_dev():
 * declare them as  static int f(DEVNS_CLASS_INTF_DEV_ARGS)  using @dev.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 4, 0)
#define DEVNS_CLASS_INTF_DEV_ARGS struct device *dev, struct class_interface *intf
#else
#define DEVNS_CLASS_INTF_DEV_ARGS struct device *dev
#endif

/*
 * The mapping dirty helpers (clean_record_shared_mapping_range()) exist only
 * with CONFIG_MAPPING_DIRTY_HELPERS, which vmwgfx selects: distribution
 * kernels have them.  Without them devns_fb compares pages instead.
 */
#include <linux/mm.h>

#ifdef CONFIG_MAPPING_DIRTY_HELPERS
#define DEVNS_HAVE_DIRTY_PTES true
#else
#define DEVNS_HAVE_DIRTY_PTES false
static inline unsigned long
clean_record_shared_mapping_range(struct address_space *mapping,
				  pgoff_t first_index, pgoff_t nr,
				  pgoff_t bitmap_pgoff, unsigned long *bitmap,
				  pgoff_t *start, pgoff_t *end)
{
	return 0;
}
#endif

/*
 * devns_drm_fb_dirty(info, y1, y2): pushes rows [y1, y2) of @info's memory
 * to the display now, if @info is DRM's fbdev emulation; false if it is
 * not, and its drawing ops are to report the damage instead.
 *
 * DRM's emulation flushes damage from a worker, and on 7.3 that worker
 * returns at once while the fb_info is not running (drm/fb-helper's fix
 * for vblank timeouts in suspend, December 2025; 6.12.95 flushes still):
 * devns_fb keeps the physical framebuffer suspended for fbcon the whole
 * time a persona is shown, so nothing it copies would reach the display.
 * It calls the emulation's own flush, fb_dirty (6.2), itself: on every
 * kernel that has it, as the worker may skip on any stable series the fix
 * reaches.  6.1's worker (dirty_work, no fb_dirty) does not skip.  From
 * 6.2 on, devns_fb therefore needs drm_kms_helper loaded (modprobe does).
 */
#include <linux/fb.h>
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0) && \
	IS_ENABLED(CONFIG_DRM_FBDEV_EMULATION)
#include <drm/drm_fb_helper.h>

static inline bool devns_drm_fb_dirty(struct fb_info *info, u32 y1, u32 y2)
{
	struct drm_fb_helper *helper = info->par;
	struct drm_clip_rect clip = {
		.x1 = 0, .y1 = y1, .x2 = info->var.xres_virtual, .y2 = y2,
	};

	/* The emulation's deferred I/O is its own: that tells it apart. */
	if (!info->fbdefio ||
	    info->fbdefio->deferred_io != drm_fb_helper_deferred_io ||
	    !helper->funcs->fb_dirty)
		return false;
	helper->funcs->fb_dirty(helper, &clip);
	return true;
}
#else
static inline bool devns_drm_fb_dirty(struct fb_info *info, u32 y1, u32 y2)
{
	return false;
}
#endif

/*
 * The events group is heard only by listeners with CAP_SYS_ADMIN: the
 * genetlink flag came with 6.7 and was backported to the 6.1.y stable
 * series (Debian's 6.1 has it); every kernel devns supports has it.
 */
#include <net/genetlink.h>
#ifndef GENL_MCAST_CAP_SYS_ADMIN
#error "this kernel's generic netlink has no GENL_MCAST_CAP_SYS_ADMIN"
#endif

/*
 * devns_pidfd_pid(file): the struct pid a pidfd names (no reference of its
 * own: the file holds one), or NULL if @file is not a pidfd.  No kernel
 * exports pidfd_pid() or pidfd_get_pid(), so the file is recognized by its
 * file system, which only the pidfd code uses so:
 *  - before 6.9 (and on 32-bit 6.9), an anon inode file named "[pidfd]"
 *    (anon_inode_getfile() in pidfd_create()), its private_data the pid;
 *  - since 6.9, a file of pidfs (PID_FS_MAGIC), every one of which is a
 *    pidfd, its inode's i_private the pid.
 * Decided by the file, not by the version: a 6.9 kernel has either.
 */
#include <linux/file.h>
#include <linux/magic.h>
#include <linux/pid.h>
#ifndef PID_FS_MAGIC
#define PID_FS_MAGIC 0x50494446
#endif

static inline struct pid *devns_pidfd_pid(struct file *file)
{
	struct inode *inode = file_inode(file);

	switch (inode->i_sb->s_magic) {
	case PID_FS_MAGIC:
		return inode->i_private;
	case ANON_INODE_FS_MAGIC:
		if (!strcmp(file->f_path.dentry->d_name.name, "[pidfd]"))
			return file->private_data;
		break;
	}
	return NULL;
}

/*
 * DRM (devns_kms).  6.13 added hrtimer_setup() (7.3 has no hrtimer_init());
 * 6.14 dropped struct drm_driver's date; 6.2 renamed the fbdev helper's
 * fb_info from fbdev to info; the client buffer calls lost "framebuffer"
 * from their names after 6.12 (7.3: drm_client_buffer_create_dumb()).
 */
#include <linux/hrtimer.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 13, 0)
static inline void devns_hrtimer_setup(struct hrtimer *timer,
				       enum hrtimer_restart (*fn)(struct hrtimer *),
				       clockid_t clock, enum hrtimer_mode mode)
{
	hrtimer_init(timer, clock, mode);
	timer->function = fn;
}
#else
#define devns_hrtimer_setup hrtimer_setup
#endif

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 14, 0)
#define DEVNS_DRM_DRIVER_DATE .date = "20261206",
#else
#define DEVNS_DRM_DRIVER_DATE
#endif

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
#define devns_fb_helper_info(helper) ((helper)->fbdev)
#else
#define devns_fb_helper_info(helper) ((helper)->info)
#endif

/*
 * 7.3 calls an atomic update struct drm_atomic_commit, 6.12 struct
 * drm_atomic_state (the release that renamed it is not in the matrix; 7.0
 * is a guess).  devns_kms names it struct devns_drm_atomic.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(7, 0, 0)
#define devns_drm_atomic drm_atomic_state
#else
#define devns_drm_atomic drm_atomic_commit
#endif

/* 7.3's drm_fb_helper_restore_fbdev_mode_unlocked() takes a force flag. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(7, 0, 0)
#define devns_fb_helper_restore(helper) \
	drm_fb_helper_restore_fbdev_mode_unlocked(helper)
#else
#define devns_fb_helper_restore(helper) \
	drm_fb_helper_restore_fbdev_mode_unlocked(helper, false)
#endif

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 18, 0)
#define devns_drm_client_buffer_create drm_client_framebuffer_create
#define devns_drm_client_buffer_delete drm_client_framebuffer_delete
#define devns_drm_client_buffer_flush drm_client_framebuffer_flush
#else
#define devns_drm_client_buffer_create drm_client_buffer_create_dumb
#define devns_drm_client_buffer_delete drm_client_buffer_delete
#define devns_drm_client_buffer_flush drm_client_buffer_flush
#endif

#endif /* _DEVNS_COMPAT_H */
