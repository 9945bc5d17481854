// SPDX-License-Identifier: GPL-2.0
/*
 * The secure switch key table.  devns_input matches physical key presses
 * against it under RCU and reports hits with devns_hotkey_pressed(), which
 * may run with IRQs off; the announcement goes out from a work item.
 */
#include <linux/input-event-codes.h>
#include <linux/slab.h>
#include "devns_core.h"

struct devns_hotkeys __rcu *devns_hotkey_table;
EXPORT_SYMBOL_GPL(devns_hotkey_table);
static unsigned long devns_hotkeys_pending;
static void devns_hotkey_work_fn(struct work_struct *work);
static DECLARE_WORK(devns_hotkey_work, devns_hotkey_work_fn);

const struct devns_hotkeys *devns_hotkeys_locked(void)
{
	return rcu_dereference_protected(devns_hotkey_table,
					 lockdep_is_held(&devns_mutex));
}

/* Under devns_mutex (or at init); takes ownership of @table. */
void devns_hotkeys_replace(struct devns_hotkeys *table)
{
	struct devns_hotkeys *old;
	unsigned int i;

	for (i = 0; table && i < table->count; i++) {
		const struct devns_hotkey *hk = &table->entry[i];

		if (hk->nkeys && hk->keys[hk->nkeys - 1] < KEY_CNT)
			__set_bit(hk->keys[hk->nkeys - 1], table->last_keys);
	}

	old = rcu_replace_pointer(devns_hotkey_table, table,
				  lockdep_is_held(&devns_mutex));
	if (old)
		kfree_rcu(old, rcu);
}

/* Left Meta + F1..F12 switch to slots 1..12, Left Meta + Esc to the root. */
int devns_hotkeys_reset(void)
{
	static const u16 fkeys[] = {
		KEY_F1, KEY_F2, KEY_F3, KEY_F4, KEY_F5, KEY_F6,
		KEY_F7, KEY_F8, KEY_F9, KEY_F10, KEY_F11, KEY_F12,
	};
	struct devns_hotkeys *table;
	unsigned int i;

	table = kzalloc(struct_size(table, entry, ARRAY_SIZE(fkeys) + 1),
			GFP_KERNEL);
	if (!table)
		return -ENOMEM;
	table->entry[0] = (struct devns_hotkey){
		.slot = DEVNS_HOTKEY_SLOT_ROOT,
		.nkeys = 2,
		.keys = { KEY_LEFTMETA, KEY_ESC },
	};
	for (i = 0; i < ARRAY_SIZE(fkeys); i++)
		table->entry[i + 1] = (struct devns_hotkey){
			.slot = i + 1,
			.nkeys = 2,
			.keys = { KEY_LEFTMETA, fkeys[i] },
		};
	table->count = ARRAY_SIZE(fkeys) + 1;
	devns_hotkeys_replace(table);
	return 0;
}

void devns_hotkey_pressed(u32 slot)
{
	if (WARN_ON_ONCE(slot > DEVNS_HOTKEY_SLOT_MAX))
		return;
	set_bit(slot, &devns_hotkeys_pending);
	queue_work(devns_wq, &devns_hotkey_work);
}
EXPORT_SYMBOL_GPL(devns_hotkey_pressed);

static void devns_hotkey_work_fn(struct work_struct *work)
{
	unsigned long pending = xchg(&devns_hotkeys_pending, 0);
	unsigned int slot;

	for_each_set_bit(slot, &pending, DEVNS_HOTKEY_SLOT_MAX + 1)
		devns_notify_hotkey(slot);
}

int devns_hotkeys_init(void)
{
	int err;

	mutex_lock(&devns_mutex);
	err = devns_hotkeys_reset();
	mutex_unlock(&devns_mutex);
	return err;
}

void devns_hotkeys_exit(void)
{
	mutex_lock(&devns_mutex);
	devns_hotkeys_replace(NULL);
	mutex_unlock(&devns_mutex);
}
