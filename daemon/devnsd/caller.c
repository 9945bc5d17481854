// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Who is calling: privileged D-Bus methods are for callers outside any
 * persona, root or whom polkit allows (polkit.c), and a caller that cannot
 * be told apart is refused.
 *
 * dbus-daemon 1.14 names a connection's process by the pid and uid it had
 * when it connected (SO_PEERCRED); sd-bus 252 has no pidfd for it.  That
 * process may have exited since (a child holds the connection on) and its
 * pid been reused.  So: a pidfd for the pid (none: refused), a process
 * start time no later than when the connection appeared on the bus (as
 * NameOwnerChanged told us, or when we started listening), read while the
 * pidfd shows the process alive; then its pid namespace and devns.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/pidfd.h>
#include <sys/stat.h>

#include "devnsd.h"
#include "log.h"

struct bus_peer {
	struct bus_peer *next;
	uint64_t since;		/* clock ticks since boot, as /proc's starttime */
	char name[];		/* unique name */
};

static uint64_t now_ticks(void)
{
	struct timespec ts;
	uint64_t hz = sysconf(_SC_CLK_TCK);

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return ts.tv_sec * hz + ts.tv_nsec / (1000000000 / hz);
}

static void forget(struct devnsd *d, const char *name)
{
	for (struct bus_peer **pos = &d->peers; *pos; pos = &(*pos)->next)
		if (!strcmp((*pos)->name, name)) {
			struct bus_peer *gone = *pos;

			*pos = gone->next;
			free(gone);
			return;
		}
}

static int on_name_owner(sd_bus_message *m, void *data, sd_bus_error *error)
{
	struct devnsd *d = data;
	const char *name, *old, *new;
	struct bus_peer *peer;

	(void)error;
	if (sd_bus_message_read(m, "sss", &name, &old, &new) < 0 ||
	    name[0] != ':')
		return 0;
	forget(d, name);
	if (!*new)
		return 0;
	peer = malloc(sizeof(*peer) + strlen(name) + 1);
	if (!peer)
		return 0;	/* unknown names get the oldest bound: refused */
	peer->since = now_ticks();
	strcpy(peer->name, name);
	peer->next = d->peers;
	d->peers = peer;
	return 0;
}

int caller_setup(struct devnsd *d)
{
	int ret = sd_bus_match_signal(d->bus, NULL, "org.freedesktop.DBus",
				      "/org/freedesktop/DBus",
				      "org.freedesktop.DBus",
				      "NameOwnerChanged", on_name_owner, d);

	/* every connection made from now on is announced before it calls */
	d->peers_since = now_ticks();
	return ret;
}

/* When @name was last seen appearing: its connection existed then. */
static uint64_t connected_by(struct devnsd *d, const char *name)
{
	for (struct bus_peer *p = d->peers; p; p = p->next)
		if (!strcmp(p->name, name))
			return p->since;
	return d->peers_since;
}

static bool same_pid_ns(pid_t pid)
{
	char path[64];
	struct stat mine, its;

	snprintf(path, sizeof(path), "/proc/%d/ns/pid", pid);
	return stat("/proc/self/ns/pid", &mine) == 0 && stat(path, &its) == 0 &&
	       mine.st_dev == its.st_dev && mine.st_ino == its.st_ino;
}

static int denied(sd_bus_error *error, const char *why, pid_t pid)
{
	log_info("refused a call from pid %d: %s", pid, why);
	return sd_bus_error_setf(error, SD_BUS_ERROR_ACCESS_DENIED, "%s", why);
}

/* The checks on the process @pidfd names, @pid in our pid namespace. */
static int check_process(sd_bus_message *m, struct devnsd *d, pid_t pid,
			 int pidfd, sd_bus_error *error)
{
	struct devns_info info;
	uint64_t start;
	char why[128];
	bool same_ns;
	int ret;

	ret = proc_start_time(pid, &start);
	same_ns = same_pid_ns(pid);
	/* what /proc said was about the pidfd's process if it still lives */
	if (ret < 0 || !pidfd_alive(pidfd))
		return denied(error, "the calling process is gone; cannot tell who is calling", pid);
	if (start > connected_by(d, sd_bus_message_get_sender(m)))
		return denied(error, "the calling process is not the one that connected; cannot tell who is calling", pid);
	if (!same_ns)
		return denied(error, "callers inside a persona (another pid namespace) may not change anything", pid);
	ret = devns_of_pidfd(d, pidfd, &info);
	if (ret < 0) {
		snprintf(why, sizeof(why), "cannot tell the caller's device namespace: %s",
			 strerror(-ret));
		return denied(error, why, pid);
	}
	if (info.id != DEVNS_ROOT_ID) {
		snprintf(why, sizeof(why), "callers inside a persona (devns%u) may not change anything",
			 info.id);
		return denied(error, why, pid);
	}
	return 0;
}

/*
 * Who calls, told apart race-free, outside any persona: 0 and *uid, or
 * an error set.
 */
static int identify(sd_bus_message *m, struct devnsd *d, uid_t *uid,
		    sd_bus_error *error)
{
	sd_bus_creds *creds = NULL;
	pid_t pid = 0;
	int pidfd, ret;

	/*
	 * The bus's own record, SO_PEERCRED's (sd-bus files its uid as the
	 * EUID); no AUGMENT: /proc may be another process's by now.
	 */
	ret = sd_bus_query_sender_creds(m, SD_BUS_CREDS_PID | SD_BUS_CREDS_EUID,
					&creds);
	if (ret < 0)
		return denied(error, "cannot tell who is calling", 0);
	if (sd_bus_creds_get_euid(creds, uid) < 0 ||
	    sd_bus_creds_get_pid(creds, &pid) < 0 || pid <= 0)
		ret = denied(error, "cannot tell who is calling", 0);
	sd_bus_creds_unref(creds);
	if (ret < 0)
		return ret;

	pidfd = pidfd_open(pid, 0);
	if (pidfd < 0)
		return denied(error, "the calling process is gone; cannot tell who is calling", pid);
	ret = check_process(m, d, pid, pidfd, error);
	close(pidfd);
	return ret;
}

int caller_check_privileged(sd_bus_message *m, struct devnsd *d,
			    sd_bus_error *error)
{
	uid_t uid;
	int ret = identify(m, d, &uid, error);

	if (ret >= 0 && uid != 0)
		ret = sd_bus_error_set(error, SD_BUS_ERROR_ACCESS_DENIED,
				       "only root may do this");
	return ret;
}

int caller_authorize(sd_bus_message *m, struct devnsd *d, const char *action,
		     sd_bus_error *error)
{
	uid_t uid;
	int ret = identify(m, d, &uid, error);

	if (ret < 0 || uid == 0)
		return ret;
	return polkit_check(m, d, action, error);
}
