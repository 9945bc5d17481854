// SPDX-License-Identifier: GPL-2.0
/*
 * The active devns and the switch protocol: every subsystem saves the
 * outgoing devns's hardware state (switch_out), the new active devns is
 * published, then every subsystem restores the incoming one's (switch_in).
 */
#include <linux/ktime.h>
#include <linux/rcupdate.h>
#include <linux/timekeeping.h>
#include "devns_core.h"

struct devns __rcu *devns_active_ptr;
struct devns_stats devns_stats;

struct devns *devns_active(void)
{
	return rcu_dereference_check(devns_active_ptr,
				     lockdep_is_held(&devns_mutex));
}
EXPORT_SYMBOL_GPL(devns_active);

bool devns_is_active(const struct devns *ns)
{
	return rcu_access_pointer(devns_active_ptr) == ns;
}
EXPORT_SYMBOL_GPL(devns_is_active);

void devns_switch_init(struct devns *root)
{
	rcu_assign_pointer(devns_active_ptr, root);
}

/* Under devns_mutex. */
void devns_switch(struct devns *to, enum devns_reason reason)
{
	struct devns *from = rcu_dereference_protected(devns_active_ptr,
					lockdep_is_held(&devns_mutex));
	struct devns_subsys *ss;
	u64 start, t, latency;

	if (to == from)
		return;

	start = ktime_get_ns();
	list_for_each_entry(ss, &devns_subsys_list, node) {
		t = ktime_get_ns();
		if (ss->switch_out)
			ss->switch_out(from, to);
		ss->last_out_ns = ktime_get_ns() - t;
	}

	rcu_assign_pointer(devns_active_ptr, to);
	to->activated_ns = ktime_get_boottime_ns();

	list_for_each_entry(ss, &devns_subsys_list, node) {
		t = ktime_get_ns();
		if (ss->switch_in)
			ss->switch_in(to, from);
		ss->last_in_ns = ktime_get_ns() - t;
		ss->worst_ns = max(ss->worst_ns,
				   ss->last_out_ns + ss->last_in_ns);
	}
	latency = ktime_get_ns() - start;

	devns_stats.switches++;
	devns_stats.last_ns = latency;
	devns_stats.worst_ns = max(devns_stats.worst_ns, latency);
	devns_notify_switch(to, from, latency, reason);
}
