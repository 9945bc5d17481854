// SPDX-License-Identifier: GPL-2.0
/*
 * A persona lives as long as the init of its pid namespace.  Stock kernels
 * have no exit notifier for modules, but every struct pid has the wait queue
 * that pidfds poll: its waiters are woken when the process exits.  We hang a
 * wait entry there and tear the persona down from a work item.
 */
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include "devns_core.h"

static bool devns_init_exited(struct devns *ns)
{
	struct task_struct *task;
	bool exited;

	rcu_read_lock();
	task = pid_task(ns->init_pid, PIDTYPE_PID);
	exited = !task || task->exit_state || (task->flags & PF_EXITING);
	rcu_read_unlock();
	return exited;
}

static void devns_init_exit_work(struct work_struct *work)
{
	struct devns *ns = container_of(work, struct devns, exit_work);

	mutex_lock(&devns_mutex);
	if (!ns->dead && devns_init_exited(ns))
		devns_destroy(ns, DEVNS_REASON_INIT_EXITED);
	mutex_unlock(&devns_mutex);
	devns_put(ns);
}

/* Called with the wait queue's lock held: defer to process context. */
static int devns_init_exit_wake(struct wait_queue_entry *wait,
				unsigned int mode, int sync, void *key)
{
	struct devns *ns = container_of(wait, struct devns, exit_wait);

	/* The watch holds a reference, so this can't be the last one. */
	devns_get(ns);
	if (!queue_work(devns_wq, &ns->exit_work))
		refcount_dec(&ns->ref);
	return 0;
}

/* Under devns_mutex, for a new persona. */
void devns_watch_init(struct devns *ns)
{
	INIT_WORK(&ns->exit_work, devns_init_exit_work);
	init_waitqueue_func_entry(&ns->exit_wait, devns_init_exit_wake);
	devns_get(ns);
	add_wait_queue(&ns->init_pid->wait_pidfd, &ns->exit_wait);
	/* It may have exited before we started to listen. */
	if (devns_init_exited(ns))
		devns_init_exit_wake(&ns->exit_wait, 0, 0, NULL);
}

/* Under devns_mutex; a queued work item keeps its own reference. */
void devns_unwatch_init(struct devns *ns)
{
	remove_wait_queue(&ns->init_pid->wait_pidfd, &ns->exit_wait);
	devns_put(ns);
}
