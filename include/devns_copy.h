/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Screen copies between buffers in system memory (devns_fb, devns_kms).
 * They move 64-bit words with "rep movsq": memcpy() is "rep movsb" on CPUs
 * with ERMS or FSRM, which QEMU's TCG runs a byte at a time, ten times
 * slower, and a loop of 64-bit loads and stores is half as fast again under
 * TCG; on hardware all three are limited by memory.
 */
#ifndef _DEVNS_COPY_H
#define _DEVNS_COPY_H

#include <linux/string.h>

static inline void devns_copy(void *dst, const void *src, size_t n)
{
#ifdef CONFIG_X86_64
	size_t words = n / 8;

	asm volatile("rep movsq"
		     : "+D" (dst), "+S" (src), "+c" (words) : : "memory");
	n %= 8;
#endif
	memcpy(dst, src, n);
}

#endif /* _DEVNS_COPY_H */
