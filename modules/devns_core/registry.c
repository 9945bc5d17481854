// SPDX-License-Identifier: GPL-2.0
/*
 * The registry of device namespaces: one per registered pid namespace, plus
 * the root devns of the initial pid namespace.  A task belongs to the devns
 * of the nearest pid namespace, walking up from its own, that has one.
 */
#include <linux/capability.h>
#include <linux/ctype.h>
#include <linux/idr.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <devns_compat.h>
#include "devns_core.h"

DEFINE_MUTEX(devns_mutex);
LIST_HEAD(devns_list);
struct devns *devns_root_ns;

static DEFINE_IDA(devns_ida);
static bool devns_closing;	/* devns_core is being unloaded */
static DEFINE_SPINLOCK(devns_tag_lock);

static struct devns *devns_alloc(struct pid_namespace *pid_ns,
				 struct pid *init_pid)
{
	struct devns *ns = kzalloc(sizeof(*ns), GFP_KERNEL);

	if (!ns)
		return NULL;
	refcount_set(&ns->ref, 1);
	ns->pid_ns = get_pid_ns(pid_ns);
	ns->init_pid = get_pid(init_pid);
	INIT_LIST_HEAD(&ns->node);
	return ns;
}

struct devns *devns_get(struct devns *ns)
{
	refcount_inc(&ns->ref);
	return ns;
}
EXPORT_SYMBOL_GPL(devns_get);

void devns_put(struct devns *ns)
{
	if (!refcount_dec_and_test(&ns->ref))
		return;
	put_pid(ns->init_pid);
	put_pid_ns(ns->pid_ns);
	/* Readers may still hold the pointer under RCU. */
	kfree_rcu(ns, rcu);
}
EXPORT_SYMBOL_GPL(devns_put);

bool devns_is_root(const struct devns *ns)
{
	return ns->id == DEVNS_ROOT_ID;
}
EXPORT_SYMBOL_GPL(devns_is_root);

u32 devns_id(const struct devns *ns)
{
	return ns->id;
}
EXPORT_SYMBOL_GPL(devns_id);

void devns_tag(const struct devns *ns, char *buf)
{
	spin_lock(&devns_tag_lock);
	memcpy(buf, ns->tag, DEVNS_TAG_LEN);
	spin_unlock(&devns_tag_lock);
}
EXPORT_SYMBOL_GPL(devns_tag);

struct device *devns_device(struct devns *ns)
{
	return ns->dev;
}
EXPORT_SYMBOL_GPL(devns_device);

/* Under devns_mutex. */
struct devns *devns_find_id(u32 id)
{
	struct devns *ns;

	list_for_each_entry(ns, &devns_list, node)
		if (ns->id == id)
			return ns;
	return NULL;
}

static struct devns *devns_find_pid_ns(struct pid_namespace *pid_ns)
{
	struct devns *ns;

	list_for_each_entry_rcu(ns, &devns_list, node,
				lockdep_is_held(&devns_mutex))
		if (ns->pid_ns == pid_ns)
			return ns;
	return NULL;
}

/*
 * Under rcu_read_lock() or devns_mutex: the devns of the nearest registered
 * pid namespace at or above @pid_ns; never NULL.
 */
static struct devns *devns_of_pid_ns(struct pid_namespace *pid_ns)
{
	struct devns *ns;

	for (; pid_ns; pid_ns = pid_ns->parent) {
		ns = devns_find_pid_ns(pid_ns);
		if (ns)
			return ns;
	}
	return devns_root_ns;	/* an exiting task has no pid namespace */
}

/* Under rcu_read_lock() (or devns_mutex if @task is current); never NULL. */
struct devns *__devns_of_task(struct task_struct *task)
{
	return devns_of_pid_ns(task_active_pid_ns(task));
}

struct devns *devns_of_task(struct task_struct *task)
{
	struct devns *ns;

	rcu_read_lock();
	ns = __devns_of_task(task);
	if (!refcount_inc_not_zero(&ns->ref))
		ns = devns_get(devns_root_ns);
	rcu_read_unlock();
	return ns;
}
EXPORT_SYMBOL_GPL(devns_of_task);

/* Whether the calling task belongs to the root devns. */
bool devns_caller_in_root(void)
{
	bool in_root;

	rcu_read_lock();
	in_root = devns_is_root(__devns_of_task(current));
	rcu_read_unlock();
	return in_root;
}

/*
 * Under rcu_read_lock() or devns_mutex: whether the calling task may learn
 * about @ns.  The root devns sees every devns, a persona only itself.
 */
bool devns_caller_sees(const struct devns *ns)
{
	const struct devns *caller = __devns_of_task(current);

	return devns_is_root(caller) || caller == ns;
}

/* The pid of @ns's init in the caller's pid namespace; 0 if not in it. */
pid_t devns_caller_init_nr(const struct devns *ns)
{
	return pid_nr_ns(ns->init_pid, task_active_pid_ns(current));
}

/*
 * A process by its pid in the caller's pid namespace, with a reference.  A
 * pid outside that namespace is no different from one that does not exist.
 */
struct pid *devns_pid_of_nr(pid_t nr, struct netlink_ext_ack *extack)
{
	struct pid *pid;

	if (nr <= 0) {
		NL_SET_ERR_MSG(extack, "pid must be positive");
		return ERR_PTR(-EINVAL);
	}
	rcu_read_lock();
	pid = get_pid(find_vpid(nr));
	rcu_read_unlock();
	if (!pid || !pid_has_task(pid, PIDTYPE_PID)) {
		put_pid(pid);
		NL_SET_ERR_MSG(extack, "no such process");
		return ERR_PTR(-ESRCH);
	}
	return pid;
}

/*
 * The process a pidfd of the caller's names, with a reference.  A pidfd
 * names one process for good: once it has exited, it names none, whoever
 * has its pid number since.  One of a process outside the caller's pid
 * namespace is refused as a pid outside it is.
 */
struct pid *devns_pid_of_pidfd(unsigned int fd, struct netlink_ext_ack *extack)
{
	struct file *file = fget(fd);
	struct pid *pid;

	if (!file) {
		NL_SET_ERR_MSG(extack, "pidfd is not an open file descriptor");
		return ERR_PTR(-EBADF);
	}
	pid = get_pid(devns_pidfd_pid(file));
	fput(file);
	if (!pid) {
		NL_SET_ERR_MSG(extack, "file descriptor is not a pidfd");
		return ERR_PTR(-EBADF);
	}
	if (!pid_nr_ns(pid, task_active_pid_ns(current))) {
		put_pid(pid);
		NL_SET_ERR_MSG(extack, "no such process");
		return ERR_PTR(-ESRCH);
	}
	if (!pid_has_task(pid, PIDTYPE_PID)) {
		put_pid(pid);
		NL_SET_ERR_MSG(extack, "the process of that pidfd has exited");
		return ERR_PTR(-ESRCH);
	}
	return pid;
}

/*
 * Under devns_mutex: the devns the process @pid belongs to, without a
 * reference.  The pid holds its pid namespace: no task is looked at.
 */
struct devns *devns_of_pid(struct pid *pid)
{
	return devns_of_pid_ns(ns_of_pid(pid));
}

/*
 * Under devns_mutex: like devns_of_pid(), but the pid namespace of a process
 * that belongs to no persona yet (and is not the initial one) is registered
 * as a new persona, as the seed's /proc API does.
 */
struct devns *devns_of_pid_registering(struct pid *pid,
				       struct netlink_ext_ack *extack)
{
	struct devns *ns = devns_of_pid(pid);

	if (devns_is_root(ns) && ns_of_pid(pid) != &init_pid_ns)
		return devns_create(pid, NULL, extack);
	return ns;
}

static bool devns_tag_valid(const char *tag, struct netlink_ext_ack *extack)
{
	size_t len = strnlen(tag, DEVNS_TAG_LEN);
	size_t i;

	if (len == 0 || len >= DEVNS_TAG_LEN) {
		NL_SET_ERR_MSG(extack, "tag must be 1 to 15 characters");
		return false;
	}
	for (i = 0; i < len; i++) {
		if (!isalnum(tag[i]) && !strchr("-_.", tag[i])) {
			NL_SET_ERR_MSG(extack,
				       "tag may hold only letters, digits, '-', '_' and '.'");
			return false;
		}
	}
	return true;
}

/* Under devns_mutex. */
int devns_set_tag(struct devns *ns, const char *tag,
		  struct netlink_ext_ack *extack)
{
	if (!devns_tag_valid(tag, extack))
		return -EINVAL;
	spin_lock(&devns_tag_lock);
	strscpy(ns->tag, tag, DEVNS_TAG_LEN);
	spin_unlock(&devns_tag_lock);
	return 0;
}

/*
 * Under devns_mutex: register the pid namespace of the process @pid as a new
 * persona.  @tag may be NULL for the default "ns<id>".
 */
struct devns *devns_create(struct pid *pid, const char *tag,
			   struct netlink_ext_ack *extack)
{
	struct pid_namespace *pid_ns = ns_of_pid(pid);
	struct pid *init_pid;
	struct devns *ns;
	int id, err;

	if (devns_closing) {
		NL_SET_ERR_MSG(extack, "devns_core is being unloaded");
		return ERR_PTR(-ESHUTDOWN);
	}
	if (tag && !devns_tag_valid(tag, extack))
		return ERR_PTR(-EINVAL);
	if (pid_ns == &init_pid_ns) {
		NL_SET_ERR_MSG(extack,
			       "process is in the initial pid namespace: it belongs to the root devns");
		return ERR_PTR(-EINVAL);
	}
	if (!devns_is_root(devns_of_pid_ns(pid_ns))) {
		NL_SET_ERR_MSG(extack,
			       "process already belongs to a device namespace");
		return ERR_PTR(-EEXIST);
	}
	/* A reference to its init's pid keeps pid_ns for us. */
	rcu_read_lock();
	init_pid = get_pid(find_pid_ns(1, pid_ns));
	rcu_read_unlock();
	if (!init_pid || !pid_has_task(init_pid, PIDTYPE_PID)) {
		put_pid(init_pid);
		NL_SET_ERR_MSG(extack, "the init of that pid namespace has exited");
		return ERR_PTR(-ESRCH);
	}
	ns = devns_alloc(pid_ns, init_pid);
	put_pid(init_pid);
	if (!ns)
		return ERR_PTR(-ENOMEM);

	id = ida_alloc_range(&devns_ida, 1, DEVNS_MAX_ID, GFP_KERNEL);
	if (id < 0) {
		NL_SET_ERR_MSG(extack, "too many device namespaces");
		err = id;
		goto err_put;
	}
	ns->id = id;
	if (tag)
		strscpy(ns->tag, tag, DEVNS_TAG_LEN);
	else
		snprintf(ns->tag, DEVNS_TAG_LEN, "ns%u", ns->id);

	err = devns_sysfs_add(ns);
	if (err)
		goto err_ida;
	err = devns_subsys_attach_all(ns);
	if (err) {
		NL_SET_ERR_MSG(extack,
			       "a device subsystem could not attach (see the kernel log)");
		goto err_sysfs;
	}
	list_add_tail_rcu(&ns->node, &devns_list);
	devns_watch_init(ns);
	devns_notify_new(ns);
	return ns;

err_sysfs:
	devns_sysfs_del(ns);
err_ida:
	ida_free(&devns_ida, ns->id);
err_put:
	devns_put(ns);
	return ERR_PTR(err);
}

/* Under devns_mutex: tear a persona down, leaving the root active if it was. */
void devns_destroy(struct devns *ns, enum devns_reason reason)
{
	if (rcu_access_pointer(devns_active_ptr) == ns)
		devns_switch(devns_root_ns, reason);
	ns->dead = true;
	list_del_rcu(&ns->node);
	devns_unwatch_init(ns);
	devns_subsys_detach_all(ns);
	devns_sysfs_del(ns);
	devns_notify_del(ns, reason);
	ida_free(&devns_ida, ns->id);
	devns_put(ns);
}

/* Only privileged processes of the root devns may change anything. */
int devns_caller_may_change(bool privileged, struct netlink_ext_ack *extack)
{
	if (!privileged) {
		NL_SET_ERR_MSG(extack, "CAP_SYS_ADMIN is required");
		return -EPERM;
	}
	if (!devns_caller_in_root()) {
		NL_SET_ERR_MSG(extack, "not allowed from inside a device namespace");
		return -EPERM;
	}
	return 0;
}

int devns_registry_init(void)
{
	struct devns *root;
	struct pid *init_pid;

	/* The allocation may sleep: not under rcu_read_lock(). */
	rcu_read_lock();
	init_pid = get_pid(find_pid_ns(1, &init_pid_ns));
	rcu_read_unlock();
	root = devns_alloc(&init_pid_ns, init_pid);
	put_pid(init_pid);
	if (!root)
		return -ENOMEM;
	root->id = DEVNS_ROOT_ID;
	strscpy(root->tag, "root", DEVNS_TAG_LEN);
	if (devns_sysfs_add(root)) {
		devns_put(root);
		return -ENOMEM;
	}
	devns_root_ns = root;
	list_add_rcu(&root->node, &devns_list);
	devns_switch_init(root);
	return 0;
}

/* Module unload, first step: every persona goes and no new one may come. */
void devns_registry_exit(void)
{
	struct devns *ns, *tmp;

	mutex_lock(&devns_mutex);
	devns_closing = true;
	list_for_each_entry_safe_reverse(ns, tmp, &devns_list, node)
		if (!devns_is_root(ns))
			devns_destroy(ns, DEVNS_REASON_UNLOAD);
	mutex_unlock(&devns_mutex);
}

/* Module unload, last step, once nothing can look the root up any more. */
void devns_registry_free(void)
{
	list_del_rcu(&devns_root_ns->node);
	devns_sysfs_del(devns_root_ns);
	devns_put(devns_root_ns);
}
