// SPDX-License-Identifier: GPL-2.0-or-later
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/android/binderfs.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

#include "binder.h"
#include "config.h"

#define PREFIX "binder-devns"
#define DEVS_MAX 256

extern char **environ;

static const char *const node_names[] = { "binder", "hwbinder", "vndbinder" };
#define N_NODES (sizeof(node_names) / sizeof(node_names[0]))

struct bdev {
	unsigned int num;
	dev_t rdev;
	char owner[PERSONA_NAME_MAX + 1];	/* "": free */
};

bool binder_have_binderfs(void)
{
	char line[64];
	bool found = false;
	FILE *f = fopen("/proc/filesystems", "re");

	while (f && !found && fgets(line, sizeof(line), f))
		found = strcmp(line, "nodev\tbinder\n") == 0;
	if (f)
		fclose(f);
	return found;
}

static int by_num(const void *a, const void *b)
{
	const struct bdev *x = a, *y = b;

	return (x->num > y->num) - (x->num < y->num);
}

/* binder_linux's devices for personas, by number. */
static int scan(struct bdev *devs)
{
	DIR *dir = opendir("/sys/class/misc");
	struct dirent *e;
	int n = 0;

	if (!dir)
		return -errno;
	while ((e = readdir(dir)) && n < DEVS_MAX) {
		const char *num = e->d_name + strlen(PREFIX);
		unsigned int maj, min;
		char path[300];
		FILE *f;

		if (strncmp(e->d_name, PREFIX, strlen(PREFIX)) != 0 || !*num ||
		    strspn(num, "0123456789") != strlen(num))
			continue;
		snprintf(path, sizeof(path), "/sys/class/misc/%s/dev", e->d_name);
		f = fopen(path, "re");
		if (!f)
			continue;
		if (fscanf(f, "%u:%u", &maj, &min) == 2) {
			devs[n] = (struct bdev){ .num = strtoul(num, NULL, 10),
						 .rdev = makedev(maj, min) };
			n++;
		}
		fclose(f);
	}
	closedir(dir);
	qsort(devs, n, sizeof(devs[0]), by_num);
	return n;
}

static int modprobe(char *err, size_t errlen)
{
	char *argv[] = { "modprobe", "-q", "binder_linux", NULL };
	int status;
	pid_t pid;

	errno = posix_spawnp(&pid, "modprobe", NULL, NULL, argv, environ);
	if (errno || waitpid(pid, &status, 0) < 0) {
		snprintf(err, errlen, "Binder=yes: cannot run modprobe: %s",
			 strerror(errno));
		return -errno;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		snprintf(err, errlen, "Binder=yes: modprobe binder_linux failed "
			 "(a kernel without CONFIG_ANDROID_BINDER_IPC?)");
		return -ENOENT;
	}
	return 0;
}

/* Who each device belongs to. */
static void read_bindings(const char *file, struct bdev *devs, int n)
{
	char owner[PERSONA_NAME_MAX + 1];
	unsigned int num;
	FILE *f = fopen(file, "re");

	if (!f)
		return;
	while (fscanf(f, PREFIX "%u %15s\n", &num, owner) == 2)
		for (int i = 0; i < n; i++)
			if (devs[i].num == num)
				snprintf(devs[i].owner, sizeof(devs[i].owner),
					 "%s", owner);
	fclose(f);
}

static int write_bindings(const char *file, const struct bdev *devs, int n)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", file);
	f = fopen(tmp, "we");
	if (!f)
		return -errno;
	for (int i = 0; i < n; i++)
		if (devs[i].owner[0])
			fprintf(f, PREFIX "%u %s\n", devs[i].num, devs[i].owner);
	if (fclose(f) != 0 || rename(tmp, file) < 0)
		return -errno;
	return 0;
}

int binder_claim(const char *bindings, const char *persona,
		 struct dev_node *nodes, int n, size_t max, char *err,
		 size_t errlen)
{
	struct bdev devs[DEVS_MAX];
	int count, picked[N_NODES], got = 0, ret;

	count = scan(devs);
	if (count == 0 && !binder_have_binderfs()) {
		ret = modprobe(err, errlen);
		if (ret < 0)
			return ret;
		count = scan(devs);
	}
	if (count < 0) {
		snprintf(err, errlen, "Binder=yes: /sys/class/misc: %s",
			 strerror(-count));
		return count;
	}
	if (binder_have_binderfs())
		return n;	/* the init mounts its own */
	if (count == 0) {
		snprintf(err, errlen, "Binder=yes: binder_linux has no " PREFIX
			 "* devices (loaded before " BINDER_MODPROBE_CONF
			 " was there? it stays loaded until reboot)");
		return -ENODEV;
	}
	if ((size_t)n + N_NODES > max) {
		snprintf(err, errlen, "Binder=yes: too many device nodes");
		return -E2BIG;
	}
	read_bindings(bindings, devs, count);
	/* its own first (restarted, it is their contexts' manager), then free */
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < count && got < (int)N_NODES; i++)
			if (strcmp(devs[i].owner, pass ? "" : persona) == 0)
				picked[got++] = i;
	if (got < (int)N_NODES) {
		snprintf(err, errlen, "Binder=yes: %d of binder_linux's %d "
			 PREFIX "* devices are free, %zu needed (each stays the "
			 "first persona's until reboot; more: devices= in "
			 BINDER_MODPROBE_CONF ")", got, count, N_NODES);
		return -EBUSY;
	}
	for (int i = 0; i < got; i++)
		snprintf(devs[picked[i]].owner, sizeof(devs[0].owner), "%s",
			 persona);
	ret = write_bindings(bindings, devs, count);
	if (ret < 0) {
		snprintf(err, errlen, "Binder=yes: cannot write %s: %s",
			 bindings, strerror(-ret));
		return ret;
	}
	/* its own come back in the same order: the same names at every start */
	for (size_t i = 0; i < N_NODES; i++, n++) {
		snprintf(nodes[n].name, sizeof(nodes[n].name), "%s", node_names[i]);
		nodes[n].mode = S_IFCHR | 0666;	/* as Android's ueventd makes them */
		nodes[n].rdev = devs[picked[i]].rdev;
	}
	return n;
}

int binderfs_mount(void)
{
	char target[64], link[64];
	int ctl, ret = 0;

	if (mkdir("/dev/binderfs", 0755) < 0 ||
	    mount("binder", "/dev/binderfs", "binder", MS_NOSUID | MS_NOEXEC,
		  NULL) < 0)
		return -errno;
	ctl = open("/dev/binderfs/binder-control", O_RDWR | O_CLOEXEC);
	if (ctl < 0)
		return -errno;
	for (size_t i = 0; i < N_NODES && !ret; i++) {
		struct binderfs_device dev = { 0 };

		snprintf(dev.name, sizeof(dev.name), "%s", node_names[i]);
		snprintf(target, sizeof(target), "binderfs/%s", node_names[i]);
		snprintf(link, sizeof(link), "/dev/%s", node_names[i]);
		/* binder_linux's devices= may have made it in every instance */
		if ((ioctl(ctl, BINDER_CTL_ADD, &dev) < 0 && errno != EEXIST) ||
		    symlink(target, link) < 0)
			ret = -errno;
	}
	close(ctl);
	return ret;
}
