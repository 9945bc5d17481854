// SPDX-License-Identifier: GPL-2.0
/*
 * The original Cellrox API, /proc/dev_ns:
 *
 *   active_ns_pid  read: the pid of the init of the active devns.
 *                  write: a pid; switch to the devns it belongs to,
 *                  registering its pid namespace if needed.
 *   ns_tag         read: "active: <pid> timestamp: <t> tag: <tag>" of the
 *                  active devns, <t> being CLOCK_BOOTTIME nanoseconds at
 *                  which it last became active (0: never).
 *                  write: "PID:TAG"; tag the devns of PID, registering its
 *                  pid namespace if needed.
 *
 * Pids are the reader's or writer's own (its pid namespace's).  A persona
 * reads only about itself: while another devns is active it reads
 * "0" and "active: 0 timestamp: 0 tag: ".  Writing takes a file opened
 * with CAP_SYS_ADMIN in the initial user namespace (the opener's
 * credentials count, as for any file), written to from the root devns.
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

/* Under devns_mutex: the active devns if the reader may see it. */
static struct devns *devns_proc_active(void)
{
	struct devns *ns = devns_active();

	return devns_caller_sees(ns) ? ns : NULL;
}

static int active_ns_pid_show(struct seq_file *m, void *v)
{
	struct devns *ns;

	mutex_lock(&devns_mutex);
	ns = devns_proc_active();
	seq_printf(m, "%d\n", ns ? devns_caller_init_nr(ns) : 0);
	mutex_unlock(&devns_mutex);
	return 0;
}

/* Under devns_mutex: the devns of the process @nr names (the writer's pid). */
static struct devns *devns_proc_target(int nr)
{
	struct pid *pid = devns_pid_of_nr(nr, NULL);
	struct devns *ns;

	if (IS_ERR(pid))
		return ERR_CAST(pid);
	ns = devns_of_pid_registering(pid, NULL);
	put_pid(pid);
	return ns;
}

static int devns_proc_may_write(struct file *file)
{
	return devns_caller_may_change(file_ns_capable(file, &init_user_ns,
						       CAP_SYS_ADMIN), NULL);
}

static ssize_t active_ns_pid_write(struct file *file, const char __user *ubuf,
				   size_t count, loff_t *ppos)
{
	char buf[DEVNS_PROC_WRITE_MAX];
	struct devns *ns;
	int err, nr;

	err = devns_proc_may_write(file);
	if (!err)
		err = devns_proc_copy(buf, ubuf, count);
	if (!err)
		err = kstrtoint(buf, 10, &nr);
	if (err)
		return err;

	mutex_lock(&devns_mutex);
	ns = devns_proc_target(nr);
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
	ns = devns_proc_active();
	if (ns) {
		devns_tag(ns, tag);
		seq_printf(m, "active: %d timestamp: %llu tag: %s\n",
			   devns_caller_init_nr(ns), ns->activated_ns, tag);
	} else {
		seq_puts(m, "active: 0 timestamp: 0 tag: \n");
	}
	mutex_unlock(&devns_mutex);
	return 0;
}

static ssize_t ns_tag_write(struct file *file, const char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	char buf[DEVNS_PROC_WRITE_MAX], *tag;
	struct devns *ns;
	int err, nr;

	err = devns_proc_may_write(file);
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
	ns = devns_proc_target(nr);
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
