// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/openat2.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>

#include "mounts.h"

#define STAGE "/tmp"		/* in the helper's own mount namespace */
#define TTY_GID 5

static const struct { const char *name; unsigned int major, minor; } std_nodes[] = {
	{ "null", 1, 3 }, { "zero", 1, 5 }, { "full", 1, 7 }, { "random", 1, 8 },
	{ "urandom", 1, 9 }, { "tty", 5, 0 }, { "ptmx", 5, 2 },
};

/* systemd-nspawn's masks (nspawn-mount.c) */
static const char *const proc_inaccessible[] = {
	"proc/kallsyms", "proc/kcore", "proc/keys", "proc/sysrq-trigger",
	"proc/timer_list",
};
static const char *const proc_read_only[] = {
	"proc/acpi", "proc/apm", "proc/asound", "proc/bus", "proc/fs",
	"proc/irq", "proc/scsi", "proc/sys",
};

#define ATTR_LOCKDOWN (MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC)

/* PATH inside ROOT, never leaving it, following no symlink: an O_PATH fd. */
static int in_root(int sock, int root, const char *path, bool may_miss)
{
	struct open_how how = {
		.flags = O_PATH | O_CLOEXEC,	/* a last symlink: ELOOP */
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS |
			   RESOLVE_NO_MAGICLINKS,
	};
	int fd = syscall(SYS_openat2, root, path, &how, sizeof(how));

	if (fd < 0 && !(may_miss && errno == ENOENT))
		child_fail(sock, "/%s in the persona's root: %s%s", path,
			   strerror(errno),
			   errno == ELOOP ? " (a symlink: not followed)" : "");
	return fd;
}

static void attach(int sock, int tree, int target, const char *what)
{
	if (move_mount(tree, "", target, "", MOVE_MOUNT_F_EMPTY_PATH |
		       MOVE_MOUNT_T_EMPTY_PATH) < 0)
		child_fail(sock, "mount %s: %s", what, strerror(errno));
	close(tree);
}

static void set_attr(int sock, int tree, unsigned int attrs, bool recursive,
		     const char *what)
{
	struct mount_attr attr = { .attr_set = attrs };

	if (mount_setattr(tree, "", AT_EMPTY_PATH |
			  (recursive ? AT_RECURSIVE : 0), &attr,
			  sizeof(attr)) < 0)
		child_fail(sock, "mount options of %s: %s", what, strerror(errno));
}

/* A copy of the tree at dirfd/path, detached, with attrs added. */
static int clone_tree(int sock, int dirfd, const char *path,
		      unsigned int attrs, bool recursive)
{
	int tree = open_tree(dirfd, path, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC |
			     (*path ? 0 : AT_EMPTY_PATH) |
			     (recursive ? AT_RECURSIVE : 0));

	if (tree < 0)
		child_fail(sock, "bind %s: %s", path, strerror(errno));
	if (attrs)
		set_attr(sock, tree, attrs, recursive, path);
	return tree;
}

/* A new TYPE file system with OPTS ("a=b,c"), detached. */
static int new_fs(int sock, const char *type, const char *opts,
		  unsigned int attrs)
{
	char buf[256], *save, *opt;
	int fs = fsopen(type, FSOPEN_CLOEXEC), tree;

	if (fs < 0)
		child_fail(sock, "%s: %s", type, strerror(errno));
	snprintf(buf, sizeof(buf), "%s", opts);
	for (opt = strtok_r(buf, ",", &save); opt; opt = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(opt, '=');
		int ret;

		if (eq) {
			*eq = '\0';
			ret = fsconfig(fs, FSCONFIG_SET_STRING, opt, eq + 1, 0);
		} else {
			ret = fsconfig(fs, FSCONFIG_SET_FLAG, opt, NULL, 0);
		}
		if (ret < 0)
			child_fail(sock, "%s option %s: %s", type, opt,
				   strerror(errno));
	}
	if (fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		child_fail(sock, "%s: %s", type, strerror(errno));
	tree = fsmount(fs, FSMOUNT_CLOEXEC, attrs);
	if (tree < 0)
		child_fail(sock, "%s: %s", type, strerror(errno));
	close(fs);
	return tree;
}

static void mount_new(int sock, int root, const char *path, const char *type,
		      const char *opts, unsigned int attrs)
{
	attach(sock, new_fs(sock, type, opts, attrs), in_root(sock, root, path, false),
	       path);
}

static void mkdirs(int sock, int dev, const char *name, uid_t uid)
{
	char path[64];

	snprintf(path, sizeof(path), "%s", name);
	for (char *s = path; (s = strchr(s, '/')); s++) {
		*s = '\0';
		if (mkdirat(dev, path, 0755) == 0)
			fchownat(dev, path, uid, uid, AT_SYMLINK_NOFOLLOW);
		else if (errno != EEXIST)
			child_fail(sock, "mkdir /dev/%s: %s", path, strerror(errno));
		*s = '/';
	}
}

static void make_node(int sock, int dev, const char *name, mode_t mode,
		      dev_t rdev, uid_t uid)
{
	mkdirs(sock, dev, name, uid);
	if (mknodat(dev, name, mode, rdev) < 0 ||
	    fchownat(dev, name, uid, uid, AT_SYMLINK_NOFOLLOW) < 0 ||
	    fchmodat(dev, name, mode & 07777, 0) < 0)	/* mknod obeys the umask */
		child_fail(sock, "mknod /dev/%s: %s", name, strerror(errno));
}

/* /dev/console: a pty of the persona's devpts; returns its master. */
static int make_console(int sock, int root, int dev, uid_t uid)
{
	int master, slave, fd, unlock = 0, n;
	char pts[32];

	master = openat(dev, "pts/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0 || ioctl(master, TIOCSPTLCK, &unlock) < 0 ||
	    ioctl(master, TIOCGPTN, &n) < 0)
		child_fail(sock, "console pty: %s", strerror(errno));
	slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (slave < 0 || fchown(slave, uid, uid + TTY_GID) < 0 ||
	    fchmod(slave, 0620) < 0)
		child_fail(sock, "console pty: %s", strerror(errno));
	close(slave);
	fd = openat(dev, "console", O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
	if (fd < 0)
		child_fail(sock, "/dev/console: %s", strerror(errno));
	close(fd);
	snprintf(pts, sizeof(pts), "pts/%d", n);
	attach(sock, clone_tree(sock, dev, pts, 0, false),
	       in_root(sock, root, "dev/console", false), "/dev/console");
	return master;
}

static int make_dev(int sock, int root, const struct mount_plan *plan)
{
	static const char *const links[][2] = {
		{ "fd", "/proc/self/fd" }, { "stdin", "/proc/self/fd/0" },
		{ "stdout", "/proc/self/fd/1" }, { "stderr", "/proc/self/fd/2" },
	};
	uid_t uid = plan->uid;
	char opts[96];
	int dev, fd;

	snprintf(opts, sizeof(opts), "mode=0755,size=4m,uid=%u,gid=%u", uid, uid);
	mount_new(sock, root, "dev", "tmpfs", opts,
		  MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC);
	fd = in_root(sock, root, "dev", false);
	/* an O_PATH fd will not do for *at() calls that create */
	dev = openat(fd, ".", O_DIRECTORY | O_CLOEXEC);
	if (dev < 0)
		child_fail(sock, "/dev: %s", strerror(errno));
	close(fd);
	for (size_t i = 0; i < sizeof(std_nodes) / sizeof(std_nodes[0]); i++)
		make_node(sock, dev, std_nodes[i].name, S_IFCHR | 0666,
			  makedev(std_nodes[i].major, std_nodes[i].minor), uid);
	for (int i = 0; i < plan->n; i++)
		make_node(sock, dev, plan->nodes[i].name, plan->nodes[i].mode,
			  plan->nodes[i].rdev, uid);
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++)
		if (symlinkat(links[i][1], dev, links[i][0]) < 0)
			child_fail(sock, "symlink /dev/%s: %s", links[i][0],
				   strerror(errno));
	if (mkdirat(dev, "pts", 0755) < 0 || mkdirat(dev, "shm", 01777) < 0 ||
	    fchownat(dev, "shm", uid, uid, 0) < 0)
		child_fail(sock, "mkdir in /dev: %s", strerror(errno));
	/* gid= is read in our user namespace: the persona's tty group */
	snprintf(opts, sizeof(opts), "ptmxmode=0666,mode=0620,gid=%u", uid + TTY_GID);
	mount_new(sock, root, "dev/pts", "devpts", opts,
		  MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC);
	snprintf(opts, sizeof(opts), "mode=1777,uid=%u,gid=%u", uid, uid);
	mount_new(sock, root, "dev/shm", "tmpfs", opts,
		  MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);
	return dev;
}

static void make_proc(int sock, int root)
{
	int stage, fd;

	/* new_fs in our pid namespace: the persona's */
	mount_new(sock, root, "proc", "proc", "", ATTR_LOCKDOWN);
	stage = open(STAGE, O_PATH | O_DIRECTORY | O_CLOEXEC);
	fd = openat(stage, "inaccessible", O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0);
	if (stage < 0 || fd < 0)
		child_fail(sock, "staging: %s", strerror(errno));
	close(fd);
	for (size_t i = 0; i < sizeof(proc_inaccessible) / sizeof(proc_inaccessible[0]); i++) {
		fd = in_root(sock, root, proc_inaccessible[i], true);
		if (fd >= 0)
			attach(sock, clone_tree(sock, stage, "inaccessible",
						ATTR_LOCKDOWN | MOUNT_ATTR_RDONLY, false),
			       fd, proc_inaccessible[i]);
	}
	for (size_t i = 0; i < sizeof(proc_read_only) / sizeof(proc_read_only[0]); i++) {
		fd = in_root(sock, root, proc_read_only[i], true);
		if (fd >= 0)
			attach(sock, clone_tree(sock, fd, "", ATTR_LOCKDOWN |
						MOUNT_ATTR_RDONLY, true),
			       fd, proc_read_only[i]);
	}
	close(stage);
}

static uid_t led_owner;

static int chown_led(const char *path, const struct stat *st, int type,
		     struct FTW *ftw)
{
	(void)st;
	if (type == FTW_F && strcmp(path + ftw->base, "brightness") == 0)
		return chown(path, led_owner, led_owner);
	return 0;
}

static void make_sys(int sock, int root, const struct mount_plan *plan,
		     bool own_root)
{
	char opts[64];

	if (own_root)
		attach(sock, clone_tree(sock, AT_FDCWD, "/sys", ATTR_LOCKDOWN |
					MOUNT_ATTR_RDONLY, true),
		       in_root(sock, root, "sys", false), "/sys");
	/*
	 * The host's cgroups hidden under an empty directory, where the init
	 * mounts its own (the same cgroup2 cannot go on its own root).
	 */
	snprintf(opts, sizeof(opts), "mode=0755,size=4k,uid=%u,gid=%u",
		 plan->uid, plan->uid);
	mount_new(sock, root, "sys/fs/cgroup", "tmpfs", opts,
		  ATTR_LOCKDOWN | MOUNT_ATTR_RDONLY);
	if (!(plan->cfg->devices & DEVICES_LED))
		return;
	/* its own LEDs: writable, by its root */
	attach(sock, clone_tree(sock, AT_FDCWD, plan->syspath, ATTR_LOCKDOWN,
				false),
	       in_root(sock, root, plan->syspath + 1, false), plan->syspath);
	led_owner = plan->uid;
	if (nftw(plan->syspath, chown_led, 16, FTW_PHYS) != 0)
		child_fail(sock, "chown the LEDs of %s: %s", plan->syspath,
			   strerror(errno));
}

int mounts_build(int sock, const struct mount_plan *plan, int *devfd)
{
	bool own_root = strcmp(plan->cfg->root, "/") != 0;
	unsigned int uid = plan->uid;
	int tree, root, dev, console;
	char opts[64];

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		child_fail(sock, "make mounts private: %s", strerror(errno));
	tree = clone_tree(sock, AT_FDCWD, plan->cfg->root, MOUNT_ATTR_NODEV |
			  (own_root ? 0 : MOUNT_ATTR_RDONLY), true);
	/* a staging tmpfs, left behind with the old root */
	if (mount("devns-stage", STAGE, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0700") < 0 ||
	    mkdir(STAGE "/root", 0755) < 0)
		child_fail(sock, "staging tmpfs: %s", strerror(errno));
	root = open(STAGE "/root", O_PATH | O_DIRECTORY | O_CLOEXEC);
	attach(sock, tree, root, plan->cfg->root);
	close(root);
	root = open(STAGE "/root", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root < 0)
		child_fail(sock, "root: %s", strerror(errno));

	if (!own_root) {
		static const char *const private_dirs[][2] = {
			{ "tmp", "1777" }, { "run", "0755" }, { "var", "0755" },
		};

		for (size_t i = 0; i < 3; i++) {
			snprintf(opts, sizeof(opts), "mode=%s,uid=%u,gid=%u",
				 private_dirs[i][1], uid, uid);
			mount_new(sock, root, private_dirs[i][0], "tmpfs", opts,
				  MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);
		}
	}
	dev = make_dev(sock, root, plan);
	console = make_console(sock, root, dev, uid);
	make_proc(sock, root);
	make_sys(sock, root, plan, own_root);

	/* pivot_root(".", ".") stacks the old root under the new; drop it */
	if (fchdir(root) < 0 || syscall(SYS_pivot_root, ".", ".") < 0 ||
	    umount2(".", MNT_DETACH) < 0 || chdir("/") < 0)
		child_fail(sock, "pivot_root: %s", strerror(errno));
	close(root);
	*devfd = dev;
	return console;
}
