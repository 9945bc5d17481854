// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <systemd/sd-daemon.h>

#include "cgroup.h"
#include "config.h"
#include "scope.h"

#define CGROUP_ROOT "/sys/fs/cgroup"

/* What systemd hands over with Delegate=yes (besides the directory). */
static const char *const delegated[] = {
	"cgroup.procs", "cgroup.threads", "cgroup.subtree_control",
};

/* systemd is the host's init: scopes, not cgroups of our own. */
static bool under_systemd(void)
{
	static int booted = -1;

	if (booted < 0)
		booted = sd_booted() > 0;
	return booted;
}

/* Its directory below /sys/fs/cgroup into path; 0 or -errno. */
static int cgroup_path(const char *name, char *path, size_t size)
{
	char line[512], *nl;
	struct statfs fs;
	FILE *f;
	int err = -ENOENT;

	if (statfs(CGROUP_ROOT, &fs) < 0 || fs.f_type != CGROUP2_SUPER_MAGIC)
		return -ENOENT;
	if (under_systemd()) {
		snprintf(path, size, CGROUP_ROOT "/machine.slice/devns-%s.scope",
			 name);
		return 0;
	}
	f = fopen("/proc/self/cgroup", "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "0::/", 4) != 0)
			continue;
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		/* "/" alone: devnsd in the root cgroup */
		snprintf(path, size, CGROUP_ROOT "%s%spersona-%s", line + 3,
			 line[4] ? "/" : "", name);
		err = 0;
	}
	fclose(f);
	return err;
}

static int write_file(const char *dir, const char *file, const char *text)
{
	char path[700];
	int fd, ret = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, text, strlen(text)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

/* Processes in it or below ("populated 1" in cgroup.events)? */
static bool is_populated(const char *dir)
{
	char path[700], line[64];
	bool populated = false;
	FILE *f;

	snprintf(path, sizeof(path), "%s/cgroup.events", dir);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (strcmp(line, "populated 1\n") == 0)
			populated = true;
	fclose(f);
	return populated;
}

/* Without systemd: persona-NAME below devnsd's own cgroup, pid moved in. */
static int own_cgroup(const char *dir, pid_t pid, char *err, size_t errlen)
{
	char text[32];
	int ret;

	if (mkdir(dir, 0755) < 0) {
		ret = -errno;
		/* a leftover of an earlier run; not one in use */
		if (errno != EEXIST || is_populated(dir)) {
			snprintf(err, errlen, "cgroup %s: %s", dir,
				 errno == EEXIST ? "in use" : strerror(errno));
			return errno == EEXIST ? -EBUSY : ret;
		}
	}
	snprintf(text, sizeof(text), "%d", pid);
	ret = write_file(dir, "cgroup.procs", text);
	if (ret < 0) {
		snprintf(err, errlen, "cgroup %s: %s", dir, strerror(-ret));
		rmdir(dir);
	}
	return ret;
}

int cgroup_enter(const struct persona_config *cfg, pid_t pid, uid_t uid,
		 char *err, size_t errlen)
{
	char dir[600], path[700];
	int ret = cgroup_path(cfg->name, dir, sizeof(dir));

	if (ret < 0) {
		snprintf(err, errlen, "no cgroup v2 hierarchy on " CGROUP_ROOT);
		return ret;
	}
	if (under_systemd()) {
		/* a leftover of an earlier run; not one in use */
		if (is_populated(dir)) {
			snprintf(err, errlen, "cgroup %s: in use", dir);
			return -EBUSY;
		}
		ret = scope_start(cfg, pid, err, errlen);
	} else {
		ret = own_cgroup(dir, pid, err, errlen);
	}
	if (ret < 0)
		return ret;
	/* the delegation: what systemd hands to a unit's User= */
	if (chown(dir, uid, uid) < 0)
		goto fail;
	for (size_t i = 0; i < sizeof(delegated) / sizeof(delegated[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, delegated[i]);
		if (chown(path, uid, uid) < 0)
			goto fail;
	}
	return 0;
fail:
	ret = -errno;
	snprintf(err, errlen, "cgroup %s: %s", dir, strerror(errno));
	cgroup_remove(cfg->name);
	return ret;
}

static int rmdir_one(const char *path, const struct stat *st, int type,
		     struct FTW *ftw)
{
	(void)st, (void)ftw;
	if (type == FTW_DP)
		rmdir(path);
	return 0;
}

void cgroup_remove(const char *name)
{
	char dir[600];

	if (cgroup_path(name, dir, sizeof(dir)) < 0)
		return;
	/* what a persona's init left in cgroups below its own */
	write_file(dir, "cgroup.kill", "1");
	/* systemd removes an empty scope's tree itself */
	if (!under_systemd())
		nftw(dir, rmdir_one, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}
