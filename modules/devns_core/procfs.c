// SPDX-License-Identifier: GPL-2.0
/*
 * The original Cellrox API, /proc/dev_ns:
 *
 *   active_ns_pid  read: the pid (in the root pid namespace) of the init of
 *                  the active devns.  write: a pid; switch to the devns it
 *                  belongs to, registering its pid namespace if needed.
 *   ns_tag         read: "active: <pid> timestamp: <t> tag: <tag>" of the
 *                  active devns, <t> being CLOCK_BOOTTIME nanoseconds at
 *                  which it last became active (0: never).
 *                  write: "PID:TAG"; tag the devns of PID, registering its
 *                  pid namespace if needed.
 */
#include <linux/capability.h>
#include <linux/pid.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include "devns_core.h"

#define DEVNS_PROC_WRITE_MAX 64

static struct proc_dir_entry *devns_proc_dir;

/* Copies a user write into @buf as a string without its trailing newline. */
static int devns_proc_copy(char *buf, const char __user *ubuf, size_t count)
{
	if (count == 0 || count >= DEVNS_PROC_WRITE_MAX)
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	if (buf[count - 1] == '\n')
		buf[count - 1] = '\0';
	return 0;
}

static int active_ns_pid_show(struct seq_file *m, void *v)
{
	mutex_lock(&devns_mutex);
	seq_printf(m, "%d\n", pid_nr(devns_active()->init_pid));
	mutex_unlock(&devns_mutex);
	return 0;
}

static ssize_t active_ns_pid_write(struct file *file, const char __user *ubuf,
				   size_t count, loff_t *ppos)
{
	char buf[DEVNS_PROC_WRITE_MAX];
	struct devns *ns;
	int err, nr;

	err = devns_caller_may_change(capable(CAP_SYS_ADMIN), NULL);
	if (!err)
		err = devns_proc_copy(buf, ubuf, count);
	if (!err)
		err = kstrtoint(buf, 10, &nr);
	if (err)
		return err;

	mutex_lock(&devns_mutex);
	ns = devns_of_pid_registering(nr, NULL);
	if (!IS_ERR(ns))
		devns_switch(ns, DEVNS_REASON_REQUEST);
	mutex_unlock(&devns_mutex);
	return IS_ERR(ns) ? PTR_ERR(ns) : count;
}

static int ns_tag_show(struct seq_file *m, void *v)
{
	char tag[DEVNS_TAG_LEN];
	struct devns *ns;

	mutex_lock(&devns_mutex);
	ns = devns_active();
	devns_tag(ns, tag);
	seq_printf(m, "active: %d timestamp: %llu tag: %s\n",
		   pid_nr(ns->init_pid), ns->activated_ns, tag);
	mutex_unlock(&devns_mutex);
	return 0;
}

static ssize_t ns_tag_write(struct file *file, const char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	char buf[DEVNS_PROC_WRITE_MAX], *tag;
	struct devns *ns;
	int err, nr;

	err = devns_caller_may_change(capable(CAP_SYS_ADMIN), NULL);
	if (!err)
		err = devns_proc_copy(buf, ubuf, count);
	if (err)
		return err;
	tag = strchr(buf, ':');
	if (!tag)
		return -EINVAL;
	*tag++ = '\0';
	err = kstrtoint(buf, 10, &nr);
	if (err)
		return err;

	mutex_lock(&devns_mutex);
	ns = devns_of_pid_registering(nr, NULL);
	err = IS_ERR(ns) ? PTR_ERR(ns) : devns_set_tag(ns, tag, NULL);
	mutex_unlock(&devns_mutex);
	return err ? err : count;
}

static int active_ns_pid_open(struct inode *inode, struct file *file)
{
	return single_open(file, active_ns_pid_show, NULL);
}

static int ns_tag_open(struct inode *inode, struct file *file)
{
	return single_open(file, ns_tag_show, NULL);
}

static const struct proc_ops active_ns_pid_ops = {
	.proc_open	= active_ns_pid_open,
	.proc_read	= seq_read,
	.proc_write	= active_ns_pid_write,
	.proc_lseek	= seq_lseek,
	.proc_release	= single_release,
};

static const struct proc_ops ns_tag_ops = {
	.proc_open	= ns_tag_open,
	.proc_read	= seq_read,
	.proc_write	= ns_tag_write,
	.proc_lseek	= seq_lseek,
	.proc_release	= single_release,
};

int devns_procfs_init(void)
{
	devns_proc_dir = proc_mkdir("dev_ns", NULL);
	if (!devns_proc_dir ||
	    !proc_create("active_ns_pid", 0644, devns_proc_dir,
			 &active_ns_pid_ops) ||
	    !proc_create("ns_tag", 0644, devns_proc_dir, &ns_tag_ops)) {
		proc_remove(devns_proc_dir);
		return -ENOMEM;
	}
	return 0;
}

void devns_procfs_exit(void)
{
	proc_remove(devns_proc_dir);
}
