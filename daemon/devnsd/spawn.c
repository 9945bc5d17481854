// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <net/if.h>
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
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "binder.h"
#include "cgroup.h"
#include "mounts.h"
#include "seccomp.h"
#include "spawn.h"
#include "userns.h"

/*
 * Capabilities a persona never gets.  Under a user namespace they would
 * only reach its own namespaces, and the kernel refuses devices, modules,
 * raw I/O and the clock to it anyway; without one they reach the host.
 */
static const int dropped_caps[] = {
	CAP_MKNOD, CAP_SYS_MODULE, CAP_SYS_RAWIO, CAP_SYS_TIME, CAP_SYS_BOOT,
};

static const char *const init_env[] = {
	"container=devns",
	"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
	"TERM=vt220",
	"HOME=/",
	NULL,
};

void child_fail(int sock, const char *fmt, ...)
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

/* A message of len bytes with up to two fds. */
static int send_fds(int sock, const void *buf, size_t len, const int *fds,
		    int nfds)
{
	union {
		char buf[CMSG_SPACE(2 * sizeof(int))];
		struct cmsghdr align;
	} u = { 0 };
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *c;

	if (nfds) {
		msg.msg_control = u.buf;
		msg.msg_controllen = CMSG_SPACE(nfds * sizeof(int));
		c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(nfds * sizeof(int));
		memcpy(CMSG_DATA(c), fds, nfds * sizeof(int));
	}
	return sendmsg(sock, &msg, MSG_NOSIGNAL) == (ssize_t)len ? 0 : -1;
}

/* Receives what send_fds sent: the length, fds[] filled (-1 if absent). */
static ssize_t recv_fds(int sock, void *buf, size_t len, int *fds, int nfds,
			int flags)
{
	union {
		char buf[CMSG_SPACE(2 * sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = u.buf, .msg_controllen = sizeof(u.buf),
	};
	struct cmsghdr *c;
	ssize_t n;

	for (int i = 0; i < nfds; i++)
		fds[i] = -1;
	n = recvmsg(sock, &msg, flags | MSG_CMSG_CLOEXEC);
	for (c = CMSG_FIRSTHDR(&msg); n >= 0 && c; c = CMSG_NXTHDR(&msg, c)) {
		int got = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);

		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		for (int i = 0; i < got; i++) {
			int fd;

			memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
			if (i < nfds)
				fds[i] = fd;
			else
				close(fd);
		}
	}
	return n;
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

static void loopback_up(int sock)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		child_fail(sock, "lo: %s", strerror(errno));
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		child_fail(sock, "lo up: %s", strerror(errno));
	close(fd);
}

/*
 * TimeNamespace=yes: a time namespace with the offsets of cfg, which we
 * enter ourselves (the offsets freeze then).  Needs CAP_SYS_TIME in our
 * user namespace.
 */
static void enter_time_ns(const struct persona_config *cfg, int sock)
{
	char offsets[96];
	int fd, len;

	len = snprintf(offsets, sizeof(offsets), "monotonic %lld 0\nboottime %lld 0\n",
		       cfg->offset_monotonic, cfg->offset_boottime);
	if (unshare(CLONE_NEWTIME) < 0)
		child_fail(sock, "time namespace: %s", strerror(errno));
	fd = open("/proc/self/timens_offsets", O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, offsets, len) != len)
		child_fail(sock, "time namespace offsets: %s", strerror(errno));
	close(fd);
	fd = open("/proc/self/ns/time_for_children", O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWTIME) < 0)
		child_fail(sock, "enter its time namespace: %s", strerror(errno));
	close(fd);
}

/*
 * The init, pid 1 of its namespaces: waits for its tree (on tree), then
 * execs; sock tells devnsd why not.
 */
__attribute__((noreturn))
static void init_main(const struct persona_config *cfg, int sock, int tree)
{
	sigset_t none;
	int mntns, fd, go, err;

	/* devnsd blocks the signals sd-event handles: give init a clean slate */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (int sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);

	if (recv_fds(tree, &go, sizeof(go), &mntns, 1, 0) != sizeof(go) ||
	    !go || mntns < 0)
		_exit(125);	/* the tree builder died: devnsd knows why */
	close(tree);
	/* the builder, orphaned to us by now (its parent exits at once) */
	waitpid(-1, NULL, 0);
	/* still the host's root to /proc/self (soon undumpable as another) */
	if (cfg->time_ns)
		enter_time_ns(cfg, sock);
	/* devnsd wrote our maps: become the namespace's root (else kuid 0) */
	if (cfg->private_users &&
	    (setgroups(0, NULL) < 0 || setresgid(0, 0, 0) < 0 ||
	     setresuid(0, 0, 0) < 0))
		child_fail(sock, "become root of its user namespace: %s",
			   strerror(errno));
	if (setns(mntns, CLONE_NEWNS) < 0 || chdir("/") < 0)
		child_fail(sock, "join its mount namespace: %s", strerror(errno));
	close(mntns);
	/* devnsd put us in our cgroup: make it our cgroup root */
	if (unshare(CLONE_NEWCGROUP) < 0 ||
	    mount("cgroup2", "/sys/fs/cgroup", "cgroup2",
		  MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		child_fail(sock, "cgroup namespace: %s", strerror(errno));
	if (cfg->private_network)
		loopback_up(sock);
	/* devnsd loaded binder_linux: the same answer as its own */
	if (cfg->binder && binder_have_binderfs() && (err = binderfs_mount()) < 0)
		child_fail(sock, "binderfs on /dev/binderfs: %s", strerror(-err));
	if (sethostname(cfg->hostname, strlen(cfg->hostname)) < 0)
		child_fail(sock, "sethostname: %s", strerror(errno));
	drop_caps(sock);
	if (setsid() < 0)
		child_fail(sock, "setsid: %s", strerror(errno));
	/*
	 * Not its controlling terminal: the master's end closing with devnsd
	 * would hang up init's process group.  An init that wants it (systemd)
	 * takes it.
	 */
	fd = open("/dev/console", O_RDWR | O_NOCTTY);
	if (fd < 0 || dup2(fd, 0) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
		child_fail(sock, "/dev/console: %s", strerror(errno));
	/* everything but stdio and sock, which closes itself on exec */
	if (sock > 3)
		close_range(3, sock - 1, 0);
	close_range(sock + 1, ~0u, 0);
	if (cfg->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		child_fail(sock, "no_new_privs: %s", strerror(errno));
	fd = seccomp_install(cfg->private_users && cfg->wake_alarm);
	if (fd < -1)
		child_fail(sock, "seccomp: %s", strerror(-fd));
	if (fd >= 0) {
		char tag = 'a';

		if (send_fds(sock, &tag, 1, &fd, 1) < 0)
			_exit(126);
		/* devnsd's alone: the persona never answers its own calls */
		close(fd);
	}
	execve(cfg->init[0], cfg->init, (char **)init_env);
	child_fail(sock, "exec %s: %s", cfg->init[0], strerror(errno));
}

/* The tree builder (see spawn.h), already in the persona's pid namespace. */
__attribute__((noreturn))
static void builder_main(int sock, int tree, int pidfd,
			 const struct mount_plan *plan)
{
	int fds[2], mntns, ok = 1;
	char tag = 'd';

	if (unshare(CLONE_NEWNS) < 0)
		child_fail(sock, "mount namespace: %s", strerror(errno));
	fds[1] = mounts_build(sock, plan, &fds[0]);
	if (send_fds(sock, &tag, 1, fds, 2) < 0)
		_exit(126);
	if (plan->cfg->private_users &&
	    (setns(pidfd, CLONE_NEWUSER) < 0 || unshare(CLONE_NEWNS) < 0))
		child_fail(sock, "lock the mounts: %s", strerror(errno));
	mntns = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
	if (mntns < 0)
		child_fail(sock, "its mount namespace: %s", strerror(errno));
	if (send_fds(tree, &ok, sizeof(ok), &mntns, 1) < 0)
		_exit(126);
	_exit(0);
}

/*
 * Forks the tree builder into the persona's pid namespace, through a
 * helper that exits at once: we wait for nothing the persona controls.
 */
static int start_builder(int sock, int tree, int pidfd,
			 const struct mount_plan *plan, char *err, size_t errlen)
{
	int status;
	pid_t helper = fork();

	if (helper == 0) {
		pid_t builder;

		/* it holds our fds until it is done: no ptrace from inside */
		prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
		/* our children are born in the persona's pid namespace */
		if (setns(pidfd, CLONE_NEWPID) < 0)
			_exit(1);
		builder = fork();
		if (builder == 0)
			builder_main(sock, tree, pidfd, plan);
		_exit(builder < 0);
	}
	if (helper < 0 || waitpid(helper, &status, 0) < 0 ||
	    !WIFEXITED(status) || WEXITSTATUS(status)) {
		snprintf(err, errlen, "cannot fork into its pid namespace");
		return -EIO;
	}
	return 0;
}

static int write_map(pid_t pid, const char *file, unsigned int base,
		     unsigned int count)
{
	char path[64], map[64];
	int fd, ret = 0;

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, file);
	snprintf(map, sizeof(map), "0 %u %u\n", base, count);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, map, strlen(map)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

int spawn_finish(int sock, struct spawn_fds *out, char *err, size_t errlen)
{
	char buf[256];
	int fds[2];
	ssize_t n = recv_fds(sock, buf, sizeof(buf) - 1, fds, 2, MSG_DONTWAIT);

	*out = (struct spawn_fds){ -1, -1, -1 };
	if (n < 0)
		return errno == EAGAIN ? -EAGAIN : 0;
	if (fds[0] >= 0) {
		if (buf[0] == 'a') {
			out->alarm = fds[0];
		} else {
			out->dev = fds[0];
			out->console = fds[1];
		}
		return -EAGAIN;
	}
	if (n == 0)
		return 0;
	buf[n] = '\0';
	snprintf(err, errlen, "%s", buf);
	return -EIO;
}

void spawn_fds_close(struct spawn_fds *fds)
{
	int *all[] = { &fds->dev, &fds->console, &fds->alarm };

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		if (*all[i] >= 0)
			close(*all[i]);
		*all[i] = -1;
	}
}

int spawn_persona(const struct persona_config *cfg, spawn_register_fn reg,
		  void *data, struct spawned *out, char *err, size_t errlen)
{
	struct dev_node nodes[DEV_NODES_MAX];
	char syspath[256];
	struct mount_plan plan = { .cfg = cfg, .nodes = nodes, .syspath = syspath };
	unsigned int base = cfg->uid_base;
	int pidfd = -1, sv[2], tv[2], ret;
	bool in_cgroup = false;
	struct clone_args args = {
		.flags = CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_PIDFD |
			 (cfg->private_users ? CLONE_NEWUSER : 0) |
			 (cfg->private_network ? CLONE_NEWNET : 0),
		.pidfd = (uintptr_t)&pidfd,
		.exit_signal = SIGCHLD,
	};
	pid_t pid;

	if (cfg->private_users && !base &&
	    (ret = userns_pick(cfg->name, &base, err, errlen)) < 0)
		return ret;
	plan.uid = cfg->private_users ? base : 0;
	/* sv: news for us (the builder's and the init's); tv: the tree for the init */
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		ret = -errno;
		snprintf(err, errlen, "socketpair: %s", strerror(errno));
		return ret;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, tv) < 0) {
		ret = -errno;
		snprintf(err, errlen, "socketpair: %s", strerror(errno));
		close(sv[0]);
		close(sv[1]);
		return ret;
	}
	pid = syscall(SYS_clone3, &args, sizeof(args));
	if (pid == 0) {
		close(sv[0]);
		close(tv[0]);
		init_main(cfg, sv[1], tv[1]);
	}
	ret = pid < 0 ? -errno : 0;
	close(tv[1]);
	if (ret < 0) {
		snprintf(err, errlen, "clone3: %s", strerror(-ret));
		close(tv[0]);
		close(sv[0]);
		close(sv[1]);
		return ret;
	}

	if (cfg->private_users &&
	    ((ret = write_map(pid, "uid_map", base, cfg->uid_count)) < 0 ||
	     (ret = write_map(pid, "gid_map", base, cfg->uid_count)) < 0))
		snprintf(err, errlen, "user namespace map: %s", strerror(-ret));
	if (ret >= 0)
		ret = cgroup_enter(cfg, pid, plan.uid, err, errlen);
	in_cgroup = ret >= 0;
	if (ret >= 0)
		ret = plan.n = reg(pid, nodes, DEV_NODES_MAX, syspath,
				   sizeof(syspath), data, err, errlen);
	if (ret >= 0)
		ret = start_builder(sv[1], tv[0], pidfd, &plan, err, errlen);
	close(tv[0]);
	close(sv[1]);
	if (ret < 0) {
		close(sv[0]);
		pidfd_send_signal(pidfd, SIGKILL, NULL, 0);
		waitid(P_PIDFD, pidfd, NULL, WEXITED);
		close(pidfd);
		if (in_cgroup)
			cgroup_remove(cfg->name);
		return ret;
	}
	out->pid = pid;
	out->pidfd = pidfd;
	out->sock = sv[0];
	out->uid = plan.uid;
	return 0;
}
