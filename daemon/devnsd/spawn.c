// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/sched.h>
#include <sys/mount.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

#include "spawn.h"

/* Capabilities a persona never gets: they reach devices that are not its own. */
static const int dropped_caps[] = {
	CAP_MKNOD, CAP_SYS_MODULE, CAP_SYS_RAWIO, CAP_SYS_TIME, CAP_SYS_BOOT,
};

static const struct dev_node std_nodes[] = {
	{ "null", S_IFCHR | 0666, 0 }, { "zero", S_IFCHR | 0666, 0 },
	{ "full", S_IFCHR | 0666, 0 }, { "random", S_IFCHR | 0666, 0 },
	{ "urandom", S_IFCHR | 0666, 0 }, { "tty", S_IFCHR | 0666, 0 },
	{ "ptmx", S_IFCHR | 0666, 0 },
};
static const unsigned int std_devs[][2] = {
	{ 1, 3 }, { 1, 5 }, { 1, 7 }, { 1, 8 }, { 1, 9 }, { 5, 0 }, { 5, 2 },
};

/* What the parent sends once the init is registered; n < 0: give up. */
struct spawn_msg {
	int n;
	struct dev_node nodes[DEV_NODES_MAX];
	char syspath[256];	/* its devns device */
};

/* In the child: report why it failed to the parent, and die. */
__attribute__((noreturn, format(printf, 2, 3)))
static void child_fail(int sock, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0 && send(sock, buf, strlen(buf), MSG_NOSIGNAL) < 0)
		_exit(126);
	_exit(127);
}

static void mkdirs(int sock, const char *dev, const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dev, name);
	for (char *s = path + strlen(dev) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			child_fail(sock, "mkdir %s: %s", path, strerror(errno));
		*s = '/';
	}
}

static void make_node(int sock, const char *dev, const struct dev_node *n)
{
	char path[256];

	mkdirs(sock, dev, n->name);
	snprintf(path, sizeof(path), "%s/%s", dev, n->name);
	if (mknod(path, n->mode, n->rdev) < 0)
		child_fail(sock, "mknod %s: %s", path, strerror(errno));
	/* mknod obeys the umask */
	if (chmod(path, n->mode & 07777) < 0)
		child_fail(sock, "chmod %s: %s", path, strerror(errno));
}

static void make_dev(int sock, const char *root, const struct spawn_msg *m)
{
	static const char *const links[][2] = {
		{ "fd", "/proc/self/fd" }, { "stdin", "/proc/self/fd/0" },
		{ "stdout", "/proc/self/fd/1" }, { "stderr", "/proc/self/fd/2" },
	};
	char dev[256], path[300];

	snprintf(dev, sizeof(dev), "%s/dev", root);
	if (mount("devns", dev, "tmpfs", MS_NOSUID | MS_NOEXEC,
		  "mode=0755,size=1m") < 0)
		child_fail(sock, "mount tmpfs on %s: %s", dev, strerror(errno));
	for (size_t i = 0; i < sizeof(std_nodes) / sizeof(std_nodes[0]); i++) {
		struct dev_node n = std_nodes[i];

		n.rdev = makedev(std_devs[i][0], std_devs[i][1]);
		make_node(sock, dev, &n);
	}
	for (int i = 0; i < m->n; i++)
		make_node(sock, dev, &m->nodes[i]);
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dev, links[i][0]);
		if (symlink(links[i][1], path) < 0)
			child_fail(sock, "symlink %s: %s", path, strerror(errno));
	}
	snprintf(path, sizeof(path), "%s/pts", dev);
	if (mkdir(path, 0755) < 0 ||
	    mount("devpts", path, "devpts", MS_NOSUID | MS_NOEXEC,
		  "newinstance,ptmxmode=0666,mode=0620") < 0)
		child_fail(sock, "mount devpts on %s: %s", path, strerror(errno));
	snprintf(path, sizeof(path), "%s/shm", dev);
	if (mkdir(path, 01777) < 0 ||
	    mount("shm", path, "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777") < 0)
		child_fail(sock, "mount tmpfs on %s: %s", path, strerror(errno));
}

/*
 * sysfs shows every device, and LEDs are driven through it: leave the
 * persona only its own devns device (its LEDs, its mirrors) writable, if
 * it gets LEDs at all.  Only /sys itself turns read-only; mounts below it
 * (cgroups...) stay as they are.
 */
static void lock_sys(int sock, const char *root, const char *syspath,
		     bool leds)
{
	char sys[300], own[600];

	snprintf(sys, sizeof(sys), "%s/sys", root);
	snprintf(own, sizeof(own), "%s%s", root, syspath);
	if (leds && mount(own, own, NULL, MS_BIND, NULL) < 0)
		child_fail(sock, "bind %s: %s", own, strerror(errno));
	if (mount(NULL, sys, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY |
		  MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		child_fail(sock, "make %s read-only: %s", sys, strerror(errno));
}

static void make_mounts(int sock, const struct persona_config *cfg,
			const struct spawn_msg *m)
{
	bool own_root = strcmp(cfg->root, "/") != 0;
	const char *root = own_root ? cfg->root : "";
	char path[300];

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		child_fail(sock, "make mounts private: %s", strerror(errno));
	if (own_root && mount(cfg->root, cfg->root, NULL, MS_BIND | MS_REC,
			      NULL) < 0)
		child_fail(sock, "bind %s: %s", cfg->root, strerror(errno));
	make_dev(sock, root, m);
	snprintf(path, sizeof(path), "%s/proc", root);
	if (mount("proc", path, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  NULL) < 0)
		child_fail(sock, "mount proc on %s: %s", path, strerror(errno));
	snprintf(path, sizeof(path), "%s/sys", root);
	if (own_root && mount("/sys", path, NULL, MS_BIND | MS_REC, NULL) < 0)
		child_fail(sock, "bind /sys on %s: %s", path, strerror(errno));
	lock_sys(sock, root, m->syspath, cfg->devices & DEVICES_LED);
	if (!own_root)
		return;
	/* pivot_root(".", ".") stacks the old root under the new; drop it */
	if (chdir(cfg->root) < 0 || syscall(SYS_pivot_root, ".", ".") < 0 ||
	    umount2(".", MNT_DETACH) < 0 || chdir("/") < 0)
		child_fail(sock, "pivot_root to %s: %s", cfg->root,
			   strerror(errno));
}

static void drop_caps(int sock)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	for (size_t i = 0; i < sizeof(dropped_caps) / sizeof(dropped_caps[0]); i++)
		if (prctl(PR_CAPBSET_DROP, dropped_caps[i], 0, 0, 0) < 0)
			child_fail(sock, "drop capability %d: %s", dropped_caps[i],
				   strerror(errno));
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 ||
	    syscall(SYS_capget, &hdr, data) < 0)
		child_fail(sock, "capabilities: %s", strerror(errno));
	for (size_t i = 0; i < sizeof(dropped_caps) / sizeof(dropped_caps[0]); i++) {
		uint32_t bit = 1u << (dropped_caps[i] % 32);
		int w = dropped_caps[i] / 32;

		data[w].effective &= ~bit;
		data[w].permitted &= ~bit;
		data[w].inheritable &= ~bit;
	}
	if (syscall(SYS_capset, &hdr, data) < 0)
		child_fail(sock, "capset: %s", strerror(errno));
}

/* devnsd keeps the persona's /dev to make hot-plugged nodes in (mknodat). */
static void send_dev(int sock)
{
	char ctl[CMSG_SPACE(sizeof(int))] = { 0 }, tag = 'd';
	struct iovec iov = { &tag, 1 };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl, .msg_controllen = sizeof(ctl),
	};
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
	int fd = open("/dev", O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		child_fail(sock, "open /dev: %s", strerror(errno));
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	if (sendmsg(sock, &mh, MSG_NOSIGNAL) < 0)
		child_fail(sock, "send /dev: %s", strerror(errno));
	close(fd);
}

__attribute__((noreturn))
static void child(const struct persona_config *cfg, int sock)
{
	struct spawn_msg m;
	sigset_t none;
	int fd;

	/* devnsd blocks the signals sd-event handles: give init a clean slate */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (int sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);

	if (recv(sock, &m, sizeof(m), 0) != sizeof(m) || m.n < 0 ||
	    m.n > DEV_NODES_MAX || m.syspath[0] != '/')
		_exit(125);	/* the parent gave up */
	make_mounts(sock, cfg, &m);
	send_dev(sock);
	if (sethostname(cfg->hostname, strlen(cfg->hostname)) < 0)
		child_fail(sock, "sethostname: %s", strerror(errno));
	drop_caps(sock);
	if (setsid() < 0)
		child_fail(sock, "setsid: %s", strerror(errno));
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (fd < 0 || dup2(fd, STDIN_FILENO) < 0)
		child_fail(sock, "open /dev/null: %s", strerror(errno));
	/* everything but stdio and sock, which closes itself on exec */
	for (int i = 3; i < 1024; i++)
		if (i != sock)
			close(i);
	execv(cfg->init[0], cfg->init);
	child_fail(sock, "exec %s: %s", cfg->init[0], strerror(errno));
}

int spawn_finish(int sock, int *devfd, char *err, size_t errlen)
{
	char buf[256], ctl[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { buf, sizeof(buf) - 1 };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl, .msg_controllen = sizeof(ctl),
	};
	struct cmsghdr *c;
	ssize_t n = recvmsg(sock, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);

	if (n < 0)
		return errno == EAGAIN ? -EAGAIN : 0;
	c = CMSG_FIRSTHDR(&mh);
	if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
		memcpy(devfd, CMSG_DATA(c), sizeof(int));
		return -EAGAIN;
	}
	if (n == 0)
		return 0;
	buf[n] = '\0';
	snprintf(err, errlen, "%s", buf);
	return -EIO;
}

int spawn_persona(const struct persona_config *cfg, spawn_register_fn reg,
		  void *data, pid_t *pid_out, int *pidfd_out, int *sock_out,
		  char *err, size_t errlen)
{
	struct spawn_msg m = { 0 };
	int pidfd = -1, sv[2], ret;
	struct clone_args args = {
		.flags = CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWUTS |
			 CLONE_NEWIPC | CLONE_PIDFD,
		.pidfd = (uintptr_t)&pidfd,
		.exit_signal = SIGCHLD,
	};
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		ret = -errno;
		snprintf(err, errlen, "socketpair: %s", strerror(errno));
		return ret;
	}
	pid = syscall(SYS_clone3, &args, sizeof(args));
	if (pid < 0) {
		ret = -errno;
		snprintf(err, errlen, "clone3: %s", strerror(errno));
		close(sv[0]);
		close(sv[1]);
		return ret;
	}
	if (pid == 0) {
		close(sv[0]);
		child(cfg, sv[1]);
	}
	close(sv[1]);

	ret = reg(pid, m.nodes, DEV_NODES_MAX, m.syspath, sizeof(m.syspath),
		  data, err, errlen);
	m.n = ret < 0 ? -1 : ret;
	if (send(sv[0], &m, sizeof(m), MSG_NOSIGNAL) != sizeof(m) && ret >= 0) {
		ret = -errno;
		snprintf(err, errlen, "init died before it started");
	}
	if (ret < 0) {
		close(sv[0]);
		pidfd_send_signal(pidfd, SIGKILL, NULL, 0);
		waitid(P_PIDFD, pidfd, NULL, WEXITED);
		close(pidfd);
		return ret;
	}
	*pid_out = pid;
	*pidfd_out = pidfd;
	*sock_out = sv[0];
	return 0;
}
