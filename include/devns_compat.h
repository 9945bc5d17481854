/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels devns supports (6.1 .. 6.12), in one place.
 * Everything else in the modules is written against the newest API.
 */
#ifndef _DEVNS_COMPAT_H
#define _DEVNS_COMPAT_H

#include <linux/version.h>
#include <linux/device.h>

/* 6.4 dropped the owner argument of class_create(). */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 4, 0)
#define devns_class_create(name) class_create(THIS_MODULE, name)
#else
#define devns_class_create(name) class_create(name)
#endif

#endif /* _DEVNS_COMPAT_H */
