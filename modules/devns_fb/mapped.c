// SPDX-License-Identifier: GPL-2.0
/*
 * The mappings of a virtual framebuffer's memory, and the pages that stores
 * through them dirtied.
 *
 * The scanout (virt.c) asks, every DFB_REFRESH while the screen is shown
 * and mapped, which pages the persona stored into since it last asked.  The
 * page tables know: the CPU sets a PTE's dirty bit on the first store to
 * its page.  Every VMA of the memory is reached through its file's
 * address_space, and clean_record_shared_mapping_range() (the mapping dirty
 * helpers, as vmwgfx uses them) records and clears those bits and flushes
 * the TLB, so that the next store sets the bit again.  No fault is taken,
 * and a screen left alone costs a walk of its page tables, not a comparison
 * of its pages with the hardware's.
 *
 * That answer needs the helpers in the kernel (CONFIG_MAPPING_DIRTY_HELPERS)
 * and only mappings the helpers can walk: their walk of an address_space
 * stops at the first private or read-only mapping.  Without either, the
 * scanout compares the pages with the hardware's instead (screen.c).
 */
#include <linux/bitmap.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <devns_compat.h>
#include "devns_fb.h"

/* An address_space through which the memory is mapped. */
struct dfb_map {
	struct list_head node;		/* dfb_virt.maps */
	struct address_space *mapping;	/* lives while its VMAs do */
	unsigned int vmas;
};

/* As the helpers' own test: shared, possibly writable, not hugetlb. */
static bool dfb_vma_walkable(const struct vm_area_struct *vma)
{
	return DEVNS_HAVE_DIRTY_PTES &&
	       (vma->vm_flags & (VM_SHARED | VM_MAYWRITE | VM_HUGETLB)) ==
	       (VM_SHARED | VM_MAYWRITE);
}

static struct dfb_map *dfb_map_of(struct dfb_virt *virt,
				  const struct address_space *mapping)
{
	struct dfb_map *map;

	list_for_each_entry(map, &virt->maps, node)
		if (map->mapping == mapping)
			return map;
	return NULL;
}

static void dfb_vm_open(struct vm_area_struct *vma)
{
	struct dfb_virt *virt = vma->vm_private_data;
	struct address_space *mapping = vma->vm_file->f_mapping;
	struct dfb_map *map;

	mutex_lock(&virt->maps_lock);
	if (!dfb_vma_walkable(vma)) {
		virt->unwalkable++;
	} else if ((map = dfb_map_of(virt, mapping))) {
		map->vmas++;
	} else {
		/* open() cannot fail; this is too small to. */
		map = kmalloc(sizeof(*map), GFP_KERNEL | __GFP_NOFAIL);
		map->mapping = mapping;
		map->vmas = 1;
		list_add(&map->node, &virt->maps);
	}
	mutex_unlock(&virt->maps_lock);

	atomic_inc(&virt->mapped);
	dfb_virt_kick(virt);
}

/* The last stores through it are shown by one more (full) flush. */
static void dfb_vm_close(struct vm_area_struct *vma)
{
	struct dfb_virt *virt = vma->vm_private_data;
	struct dfb_map *map;

	mutex_lock(&virt->maps_lock);
	if (!dfb_vma_walkable(vma)) {
		virt->unwalkable--;
	} else {
		map = dfb_map_of(virt, vma->vm_file->f_mapping);
		if (!WARN_ON(!map) && !--map->vmas) {
			list_del(&map->node);
			kfree(map);
		}
	}
	mutex_unlock(&virt->maps_lock);

	atomic_dec(&virt->mapped);
	dfb_damage(virt->info, 0, virt->info->fix.smem_len);
}

static const struct vm_operations_struct dfb_vm_ops = {
	.open	= dfb_vm_open,
	.close	= dfb_vm_close,
};

int dfb_mmap(struct fb_info *info, struct vm_area_struct *vma)
{
	struct dfb_virt *virt = info->par;
	int err = remap_vmalloc_range(vma, virt->screen, vma->vm_pgoff);

	if (err)
		return err;
	vma->vm_private_data = virt;
	vma->vm_ops = &dfb_vm_ops;
	dfb_vm_open(vma);
	return 0;
}

/*
 * Bytes [@lo, @hi) hold every page stored into through a mapping since the
 * last call (@lo >= @hi: none).  False if the page tables cannot tell.
 */
bool dfb_mapped_dirty(struct dfb_virt *virt, unsigned long *lo,
		      unsigned long *hi)
{
	pgoff_t first = 0, end = 0;
	struct dfb_map *map;
	bool known;

	mutex_lock(&virt->maps_lock);
	known = !virt->unwalkable;	/* every VMA, without the helpers */
	if (known) {
		list_for_each_entry(map, &virt->maps, node)
			clean_record_shared_mapping_range(map->mapping, 0,
							  virt->pages, 0,
							  virt->dirty,
							  &first, &end);
		if (first < end)
			bitmap_clear(virt->dirty, first, end - first);
	}
	mutex_unlock(&virt->maps_lock);

	*lo = (unsigned long)first << PAGE_SHIFT;
	*hi = (unsigned long)end << PAGE_SHIFT;
	return known;
}
