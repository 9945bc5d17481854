// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <systemd/sd-bus.h>

#include "config.h"
#include "log.h"
#include "scope.h"

#define SD_DEST "org.freedesktop.systemd1"
#define SD_PATH "/org/freedesktop/systemd1"
#define SD_MANAGER SD_DEST ".Manager"
/* systemd answers in milliseconds; a wedged PID 1 must not wedge us too */
#define JOB_TIMEOUT_USEC (10 * 1000000ULL)
/* how often to look again for what systemd or machined collect */
#define POLL_USEC 20000

struct job_wait {
	const char *path;	/* the job to wait for, once StartTransientUnit says */
	char result[32];	/* its JobRemoved result: "done", "failed"... */
};

static int on_job_removed(sd_bus_message *m, void *data, sd_bus_error *e)
{
	struct job_wait *w = data;
	const char *path, *result;
	uint32_t id;

	(void)e;
	if (sd_bus_message_read(m, "uoss", &id, &path, NULL, &result) < 0)
		return 0;
	if (w->path && strcmp(path, w->path) == 0)
		snprintf(w->result, sizeof(w->result), "%s", result);
	return 0;
}

static uint64_t now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000ULL + ts.tv_nsec / 1000;
}

static int start_unit(sd_bus *bus, const char *unit,
		      const struct persona_config *cfg, pid_t pid,
		      struct job_wait *w, sd_bus_message **reply, sd_bus_error *e)
{
	char desc[128];
	sd_bus_message *m = NULL;
	int r;

	snprintf(desc, sizeof(desc), "devns persona %s", cfg->name);
	r = sd_bus_message_new_method_call(bus, &m, SD_DEST, SD_PATH, SD_MANAGER,
					   "StartTransientUnit");
	if (r >= 0)
		r = sd_bus_message_append(m, "ss", unit, "fail");
	if (r >= 0)
		r = sd_bus_message_append(m, "a(sv)", 7,
					  "Description", "s", desc,
					  "Slice", "s", "machine.slice",
					  /* its init builds its own tree */
					  "Delegate", "b", 1,
					  "PIDs", "au", 1, (uint32_t)pid,
					  /* gone when over, so the name starts again */
					  "CollectMode", "s", "inactive-or-failed",
					  /* systemctl stop, machinectl terminate, shutdown */
					  "KillSignal", "i", cfg->kill_signal,
					  "TimeoutStopUSec", "t",
					  (uint64_t)cfg->stop_timeout_sec * 1000000);
	if (r >= 0)
		r = sd_bus_message_append(m, "a(sa(sv))", 0);
	if (r >= 0)
		r = sd_bus_call(bus, m, JOB_TIMEOUT_USEC, e, reply);
	sd_bus_message_unref(m);
	if (r >= 0)
		r = sd_bus_message_read(*reply, "o", &w->path);
	return r;
}

/* Until the job is gone: the scope holds pid once it says "done". */
static int wait_job(sd_bus *bus, struct job_wait *w)
{
	uint64_t end = now_usec() + JOB_TIMEOUT_USEC, now;
	int r;

	while (!w->result[0]) {
		r = sd_bus_process(bus, NULL);
		if (r < 0)
			return r;
		if (r > 0)
			continue;
		now = now_usec();
		if (now >= end)
			return -ETIMEDOUT;
		r = sd_bus_wait(bus, end - now);
		if (r < 0)
			return r;
	}
	return strcmp(w->result, "done") == 0 ? 0 : -EIO;
}

/*
 * The scope of the persona's last run, empty (cgroup_enter checked) but not
 * collected yet: gone within moments.  0 once it is, else -errno.
 */
static int wait_unit_gone(sd_bus *bus, const char *unit)
{
	uint64_t end = now_usec() + JOB_TIMEOUT_USEC;
	sd_bus_error e = SD_BUS_ERROR_NULL;
	int r;

	for (;;) {
		r = sd_bus_call_method(bus, SD_DEST, SD_PATH, SD_MANAGER,
				       "GetUnit", &e, NULL, "s", unit);
		if (r < 0 && sd_bus_error_has_name(&e, SD_DEST ".NoSuchUnit"))
			r = 1;
		sd_bus_error_free(&e);
		if (r)
			return r < 0 ? r : 0;
		if (now_usec() >= end)
			return -EBUSY;
		usleep(POLL_USEC);
	}
}

/*
 * machined lists it (machinectl list, status, poweroff, terminate) and finds
 * its scope from its leader; the machine of its last run goes with that
 * run's scope, moments later.  Where systemd-container is not installed, or
 * machined refuses the name (it takes hostnames: no "_"), the scope alone
 * serves.
 */
static void register_machine(sd_bus *bus, const char *name, pid_t pid,
			     const char *root)
{
	uint64_t end = now_usec() + JOB_TIMEOUT_USEC;
	sd_bus_error e = SD_BUS_ERROR_NULL;
	int r;

	for (;;) {
		r = sd_bus_call_method(bus, "org.freedesktop.machine1",
				       "/org/freedesktop/machine1",
				       "org.freedesktop.machine1.Manager",
				       "RegisterMachine", &e, NULL, "sayssus",
				       name, 0, "devns", "container",
				       (uint32_t)pid, root);
		if (r >= 0 || now_usec() >= end ||
		    !sd_bus_error_has_name(&e, "org.freedesktop.machine1.MachineExists"))
			break;
		sd_bus_error_free(&e);
		usleep(POLL_USEC);
	}
	if (r < 0)
		log_err("%s: not registered with systemd-machined: %s", name,
			e.message ? e.message : strerror(-r));
	sd_bus_error_free(&e);
}

int scope_start(const struct persona_config *cfg, pid_t pid, char *err,
		size_t errlen)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	struct job_wait w = { 0 };
	sd_bus *bus = NULL;
	char unit[128];
	int r;

	snprintf(unit, sizeof(unit), "devns-%s.scope", cfg->name);
	/* a connection of its own: waiting here dispatches none of our calls */
	r = sd_bus_open_system(&bus);
	if (r >= 0)
		r = sd_bus_set_method_call_timeout(bus, JOB_TIMEOUT_USEC);
	if (r >= 0)
		r = sd_bus_match_signal(bus, NULL, SD_DEST, SD_PATH, SD_MANAGER,
					"JobRemoved", on_job_removed, &w);
	if (r >= 0)
		r = sd_bus_call_method(bus, SD_DEST, SD_PATH, SD_MANAGER,
				       "Subscribe", &e, NULL, NULL);
	if (r >= 0) {
		r = start_unit(bus, unit, cfg, pid, &w, &reply, &e);
		if (r < 0 && sd_bus_error_has_name(&e, SD_DEST ".UnitExists")) {
			sd_bus_error_free(&e);
			r = wait_unit_gone(bus, unit);
			if (r >= 0)
				r = start_unit(bus, unit, cfg, pid, &w, &reply,
					       &e);
		}
	}
	if (r >= 0)
		r = wait_job(bus, &w);
	if (r >= 0)
		register_machine(bus, cfg->name, pid, cfg->root);
	else
		snprintf(err, errlen, "scope %s: %s", unit,
			 e.message ? e.message :
			 r == -EIO ? w.result :
			 r == -EBUSY ? "its last run's is still there" :
			 strerror(-r));
	sd_bus_error_free(&e);
	sd_bus_message_unref(reply);
	sd_bus_flush_close_unref(bus);
	return r;
}
