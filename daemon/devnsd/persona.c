// SPDX-License-Identifier: GPL-2.0-or-later
/* Persona records: start, stop, adopt, watch, restart. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/pidfd.h>
#include <sys/wait.h>

#include "alarm.h"
#include "binder.h"
#include "cgroup.h"
#include "console.h"
#include "devices.h"
#include "devnsd.h"
#include "fdstore.h"
#include "log.h"
#include "spawn.h"

const char *persona_state_name(enum persona_state s)
{
	switch (s) {
	case PERSONA_STOPPED:
		return "stopped";
	case PERSONA_STARTING:
		return "starting";
	case PERSONA_RUNNING:
		return "running";
	case PERSONA_STOPPING:
		return "stopping";
	case PERSONA_FAILED:
		return "failed";
	case PERSONA_INVALID:
		return "invalid";
	}
	return "?";
}

struct persona *persona_find(struct devnsd *d, const char *name)
{
	for (struct persona *p = d->personas; p; p = p->next)
		if (strcmp(p->name, name) == 0)
			return p;
	return NULL;
}

struct persona *persona_find_id(struct devnsd *d, uint32_t id)
{
	for (struct persona *p = d->personas; p; p = p->next)
		if (p->id == id && (id != 0 || p->is_root))
			return p;
	return NULL;
}

/* Root first, then by name. */
struct persona *persona_new(struct devnsd *d, const char *name)
{
	struct persona *p = calloc(1, sizeof(*p)), **pos;

	if (!p)
		return NULL;
	p->d = d;
	p->pidfd = -1;
	p->start_sock = -1;
	p->devfd = -1;
	p->hotplug_pidfd = -1;
	snprintf(p->name, sizeof(p->name), "%s", name);
	snprintf(p->tag, sizeof(p->tag), "%s", name);
	for (pos = &d->personas; *pos; pos = &(*pos)->next)
		if (!(*pos)->is_root && strcmp((*pos)->name, name) > 0)
			break;
	p->next = *pos;
	*pos = p;
	if (bus_add_persona(p) < 0)
		log_err("%s: cannot publish on the bus", name);
	return p;
}

static void end_start(struct persona *p)
{
	p->start_watch = sd_event_source_disable_unref(p->start_watch);
	if (p->start_sock >= 0)
		close(p->start_sock);
	p->start_sock = -1;
	p->timer = sd_event_source_disable_unref(p->timer);
}

static void unwatch(struct persona *p)
{
	end_start(p);
	p->exit_watch = sd_event_source_disable_unref(p->exit_watch);
	if (p->pidfd >= 0)
		close(p->pidfd);
	p->pidfd = -1;
	if (p->devfd >= 0)
		close(p->devfd);
	p->devfd = -1;
	hotplug_drop(p);
}

void persona_remove(struct persona *p)
{
	struct persona **pos;

	for (pos = &p->d->personas; *pos != p; pos = &(*pos)->next)
		;
	*pos = p->next;
	bus_remove_persona(p);
	unwatch(p);
	if (p->has_config)
		config_free(&p->cfg);
	free(p);
}

int kernel_error(sd_bus_error *error, struct devnsd *d, const char *what,
		 int err)
{
	const char *msg = devns_nl_errmsg(d->nl);

	return sd_bus_error_setf(error, DEVNSD_ERROR("Kernel"), "%s: %s%s%s",
				 what, strerror(-err), *msg ? ": " : "", msg);
}

int not_running_error(sd_bus_error *error, const struct persona *p)
{
	return sd_bus_error_setf(error, DEVNSD_ERROR("NotRunning"),
				 "persona '%s' is not running", p->name);
}

void persona_set_active(struct devnsd *d, uint32_t id)
{
	for (struct persona *p = d->personas; p; p = p->next) {
		bool active = (p->id != 0 || p->is_root) && p->id == id;

		if (active != p->active) {
			p->active = active;
			bus_persona_changed(p, "Active", NULL);
		}
	}
}

static void set_failed(struct persona *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void set_failed(struct persona *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->last_error, sizeof(p->last_error), fmt, ap);
	va_end(ap);
	p->state = PERSONA_FAILED;
	log_err("%s: %s", p->name, p->last_error);
	bus_persona_changed(p, "State", "LastError", NULL);
}

static int restart_due(sd_event_source *s, uint64_t usec, void *data)
{
	struct persona *p = data;
	sd_bus_error error = SD_BUS_ERROR_NULL;

	(void)usec;
	p->timer = sd_event_source_disable_unref(s);
	if (p->state == PERSONA_RUNNING || p->state == PERSONA_STOPPING)
		return 0;
	log_info("%s: restarting", p->name);
	persona_start(p, NULL, &error);
	sd_bus_error_free(&error);
	return 0;
}

/* After an exit: restart if its policy says so and it isn't looping. */
static void maybe_restart(struct persona *p, bool failed)
{
	uint64_t now;

	/* what someone else started is theirs to start again */
	if (!p->has_config || p->adopted || p->cfg.restart == RESTART_NO ||
	    (p->cfg.restart == RESTART_ON_FAILURE && !failed))
		return;
	sd_event_now(p->d->event, CLOCK_MONOTONIC, &now);
	if (now - p->restart_window_start > RESTART_WINDOW_USEC) {
		p->restart_window_start = now;
		p->restarts = 0;
	}
	if (++p->restarts > RESTART_BURST) {
		set_failed(p, "restarted %d times in %llu s, giving up",
			   RESTART_BURST,
			   (unsigned long long)(RESTART_WINDOW_USEC / 1000000));
		return;
	}
	sd_event_add_time_relative(p->d->event, &p->timer, CLOCK_MONOTONIC,
				   RESTART_DELAY_USEC, 0, restart_due, p);
}

/* Answers the StartPersona call waiting for this start, if any. */
static void answer_start(struct persona *p, const char *err)
{
	if (!p->start_call)
		return;
	if (err)
		sd_bus_reply_method_errorf(p->start_call, DEVNSD_ERROR("StartFailed"),
					   "persona '%s': %s", p->name, err);
	else
		sd_bus_reply_method_return(p->start_call, "");
	p->start_call = sd_bus_message_unref(p->start_call);
}

/* Kills an init that failed to start; on_init_exit() finishes the job. */
static void start_failed(struct persona *p, const char *err)
{
	snprintf(p->last_error, sizeof(p->last_error), "start failed: %s", err);
	end_start(p);
	pidfd_send_signal(p->pidfd, SIGKILL, NULL, 0);
}

static int on_init_exit(sd_event_source *s, int fd, uint32_t revents, void *data)
{
	struct persona *p = data;
	siginfo_t si = { 0 };
	bool stopping = p->state == PERSONA_STOPPING, failed;
	bool starting = p->state == PERSONA_STARTING;
	char err[CONFIG_ERR_LEN];
	struct spawn_fds fds = { -1, -1, -1 };

	(void)s;
	(void)revents;
	/* why it died before exec, if it had time to say */
	if (starting && p->start_sock >= 0 && !p->last_error[0] &&
	    spawn_finish(p->start_sock, &fds, err, sizeof(err)) == -EIO)
		start_failed(p, err);
	spawn_fds_close(&fds);
	p->exit_status = -1;	/* unknown: not our child */
	if (p->own_child && waitid(P_PIDFD, fd, &si, WEXITED | WNOHANG) == 0 &&
	    si.si_pid)
		p->exit_status = si.si_code == CLD_EXITED ? si.si_status
							  : 128 + si.si_status;
	unwatch(p);
	console_detach(p);
	fdstore_drop("dev", p->name);
	fdstore_drop("console", p->name);
	fdstore_drop("alarm", p->name);
	if (p->has_config && !p->adopted)
		cgroup_remove(p->name);
	log_info("%s: init %d exited (status %d)", p->name, p->pid,
		 p->exit_status);
	/* The kernel tears the devns down with its init, and switches to the root. */
	p->pid = 0;
	p->id = 0;
	p->active = false;
	failed = !stopping && p->exit_status != 0;

	if (!p->has_config) {
		struct devnsd *d = p->d;

		persona_remove(p);
		state_save(d);
		return 0;
	}
	p->state = PERSONA_STOPPED;
	bus_persona_changed(p, "State", "Id", "Leader", "Active", "ExitStatus",
			    NULL);
	if (starting) {
		if (!p->last_error[0])
			snprintf(p->last_error, sizeof(p->last_error),
				 "start failed: init died before it started");
		set_failed(p, "%s", p->last_error);
		answer_start(p, p->last_error + strlen("start failed: "));
	} else if (failed) {
		set_failed(p, "init exited with status %d", p->exit_status);
	}
	if (!stopping && !starting)
		maybe_restart(p, failed);
	state_save(p->d);
	return 0;
}

int persona_watch(struct persona *p, pid_t pid, bool own_child, int pidfd)
{
	uint64_t start = 0;
	int err;

	/* read while the pidfd shows the process alive: it was about it */
	err = proc_start_time(pid, &start);
	if (!err && !pidfd_alive(pidfd))
		err = -ESRCH;
	if (!err)
		err = sd_event_add_io(p->d->event, &p->exit_watch, pidfd,
				      EPOLLIN, on_init_exit, p);
	if (err < 0) {
		close(pidfd);
		return err;
	}
	p->pid = pid;
	p->pidfd = pidfd;
	p->start_time = start;
	p->own_child = own_child;
	return 0;
}

/* spawn_persona's callback: the init waits while we register it. */
static int register_init(pid_t pid, struct dev_node *nodes, size_t max,
			 char *syspath, size_t size, void *data, char *err,
			 size_t errlen)
{
	struct persona *p = data;
	struct devns_info info;
	const char *msg;
	int ret;

	ret = devns_nl_create(p->d->nl, pid, p->cfg.tag, &info);
	if (ret) {
		msg = devns_nl_errmsg(p->d->nl);
		snprintf(err, errlen, "registering with the kernel: %s%s%s",
			 strerror(-ret), *msg ? ": " : "", msg);
		return ret;
	}
	p->id = info.id;
	snprintf(p->tag, sizeof(p->tag), "%s", info.tag);
	ret = devices_of_devns(p->d->udev, info.id, p->cfg.devices, nodes, max,
			       syspath, size);
	if (ret < 0) {
		snprintf(err, errlen, "listing the devices of devns%u: %s",
			 info.id, strerror(-ret));
		return ret;
	}
	if (p->cfg.binder) {
		char bindings[4096];

		snprintf(bindings, sizeof(bindings), "%s.binder", p->d->state_file);
		ret = binder_claim(bindings, p->name, nodes, ret, max, err, errlen);
	}
	return ret;
}

/* News from the spawn: its /dev, an error, or the init's exec(). */
static int on_spawn_news(sd_event_source *s, int fd, uint32_t revents,
			 void *data)
{
	struct persona *p = data;
	char err[CONFIG_ERR_LEN];
	struct spawn_fds fds;
	int ret;

	(void)s, (void)revents;
	ret = spawn_finish(fd, &fds, err, sizeof(err));
	if (fds.dev >= 0) {
		if (p->devfd >= 0)
			close(p->devfd);
		p->devfd = fds.dev;
		fdstore_put("dev", p->name, fds.dev);
		if (console_attach(p, fds.console, true) < 0)
			log_err("%s: its console is not logged", p->name);
		else
			fdstore_put("console", p->name, fds.console);
	}
	if (fds.alarm >= 0) {
		fdstore_put("alarm", p->name, fds.alarm);
		alarm_broker_start(p->name, fds.alarm);
	}
	if (ret == -EAGAIN)
		return 0;
	if (ret < 0) {
		start_failed(p, err);
		return 0;
	}
	end_start(p);
	p->state = PERSONA_RUNNING;
	log_info("%s: started, init %d, devns%u, root uid %u", p->name, p->pid,
		 p->id, (unsigned int)p->root_uid);
	bus_persona_changed(p, "State", NULL);
	answer_start(p, NULL);
	return 0;
}

static int start_timeout(sd_event_source *s, uint64_t usec, void *data)
{
	struct persona *p = data;

	(void)s, (void)usec;
	start_failed(p, "init did not start within 10 s");
	return 0;
}

/* Why a spawn whose init is gone already failed, if it said (into err). */
static void spawn_reason(int sock, char *err, size_t errlen)
{
	struct spawn_fds fds;
	bool more;
	int ret;

	do {
		ret = spawn_finish(sock, &fds, err, errlen);
		more = fds.dev >= 0 || fds.alarm >= 0;
		spawn_fds_close(&fds);
	} while (ret == -EAGAIN && more);
}

int persona_start(struct persona *p, sd_bus_message *call, sd_bus_error *error)
{
	char err[CONFIG_ERR_LEN];
	struct spawned s;
	int ret;

	if (p->is_root)
		return sd_bus_error_set(error, DEVNSD_ERROR("NotSupported"),
					"the root cannot be started or stopped");
	if (p->state == PERSONA_INVALID)
		return sd_bus_error_setf(error, DEVNSD_ERROR("InvalidConfig"),
					 "%s", p->config_error);
	if (p->state == PERSONA_RUNNING || p->state == PERSONA_STOPPING ||
	    p->state == PERSONA_STARTING)
		return sd_bus_error_setf(error, DEVNSD_ERROR("AlreadyRunning"),
					 "persona '%s' is already running",
					 p->name);
	if (!p->has_config)
		return sd_bus_error_setf(error, DEVNSD_ERROR("NoConfig"),
					 "persona '%s' has no configuration file",
					 p->name);

	p->timer = sd_event_source_disable_unref(p->timer);
	ret = spawn_persona(&p->cfg, register_init, p, &s, err, sizeof(err));
	if (ret == 0) {
		ret = persona_watch(p, s.pid, true, s.pidfd);
		if (ret < 0) {
			/* our unreaped child: its pid is still its own */
			kill(s.pid, SIGKILL);
			waitpid(s.pid, NULL, 0);
			snprintf(err, sizeof(err), "watching init %d: %s", s.pid,
				 strerror(-ret));
			/* it may have died already, saying why */
			spawn_reason(s.sock, err, sizeof(err));
			close(s.sock);
		}
	}
	if (ret == 0) {
		p->start_sock = s.sock;
		p->root_uid = s.uid;
		ret = sd_event_add_io(p->d->event, &p->start_watch, s.sock,
				      EPOLLIN, on_spawn_news, p);
		/* its exec() is news before its exit */
		if (ret >= 0)
			ret = sd_event_source_set_priority(p->start_watch,
							   SD_EVENT_PRIORITY_IMPORTANT);
		if (ret >= 0)
			ret = sd_event_add_time_relative(p->d->event, &p->timer,
							 CLOCK_MONOTONIC,
							 SPAWN_TIMEOUT_USEC, 0,
							 start_timeout, p);
		if (ret < 0) {
			/* on_init_exit() reaps it and says why */
			start_failed(p, "cannot watch its start");
			ret = 0;
		}
	}
	if (ret < 0) {
		p->id = 0;
		set_failed(p, "start failed: %s", err);
		return sd_bus_error_setf(error, DEVNSD_ERROR("StartFailed"),
					 "persona '%s': %s", p->name, err);
	}
	p->state = PERSONA_STARTING;
	p->adopted = false;
	p->last_error[0] = '\0';
	p->start_call = sd_bus_message_ref(call);
	bus_persona_changed(p, "State", "Id", "Leader", "Tag", "Adopted",
			    "LastError", NULL);
	state_save(p->d);
	return 1;
}

static int stop_timeout(sd_event_source *s, uint64_t usec, void *data)
{
	struct persona *p = data;

	(void)usec;
	p->timer = sd_event_source_disable_unref(s);
	if (p->pidfd >= 0) {
		log_info("%s: init did not stop in time, killing it", p->name);
		pidfd_send_signal(p->pidfd, SIGKILL, NULL, 0);
	}
	return 0;
}

int persona_stop(struct persona *p, sd_bus_error *error)
{
	unsigned int timeout = p->has_config ? p->cfg.stop_timeout_sec : 5;
	int sig = p->has_config ? p->cfg.kill_signal : SIGTERM;

	if (p->is_root)
		return sd_bus_error_set(error, DEVNSD_ERROR("NotSupported"),
					"the root cannot be started or stopped");
	if (p->state == PERSONA_STARTING) {
		start_failed(p, "stopped before it started");
		return 0;
	}
	if (p->state != PERSONA_RUNNING || p->pidfd < 0) {
		if (p->state == PERSONA_STOPPING)
			return 0;
		p->timer = sd_event_source_disable_unref(p->timer); /* no restart */
		return not_running_error(error, p);
	}
	/* An init only gets the signal from us if it handles it; hence the timer. */
	if (pidfd_send_signal(p->pidfd, sig, NULL, 0) < 0)
		return sd_bus_error_set_errnof(error, errno, "signal %s: %m",
					       p->name);
	p->state = PERSONA_STOPPING;
	p->timer = sd_event_source_disable_unref(p->timer);
	sd_event_add_time_relative(p->d->event, &p->timer, CLOCK_MONOTONIC,
				   timeout * 1000000ULL, 0, stop_timeout, p);
	bus_persona_changed(p, "State", NULL);
	return 0;
}

int persona_adopt(struct devnsd *d, const char *name, int pidfd,
		  struct persona **out, sd_bus_error *error)
{
	struct persona *p = persona_find(d, name);
	struct devns_info info;
	bool fresh = !p;
	int pid, init, ret;

	if (!persona_name_valid(name))
		return sd_bus_error_setf(error, SD_BUS_ERROR_INVALID_ARGS,
					 "'%s' is not a valid persona name", name);
	if (p && (p->state == PERSONA_RUNNING || p->state == PERSONA_STOPPING ||
		  p->state == PERSONA_STARTING || p->id))
		return sd_bus_error_setf(error, DEVNSD_ERROR("AlreadyRunning"),
					 "persona '%s' is already running", name);
	pid = pidfd_pid(pidfd);
	if (pid == -EBADF)
		return sd_bus_error_set(error, SD_BUS_ERROR_INVALID_ARGS,
					"the file descriptor is not a pidfd");
	if (pid <= 1)
		return sd_bus_error_set(error, DEVNSD_ERROR("NoSuchProcess"),
					pid == 1 ? "pid 1 cannot be adopted"
						 : "the process to adopt has exited");
	ret = devns_register_pidfd(d, pidfd, name, &info);
	if (ret)
		return kernel_error(error, d, "registering with the kernel", ret);
	/* Watch the init of its pid namespace, which may not be @pid. */
	init = (pid_t)info.pid == pid ? fcntl(pidfd, F_DUPFD_CLOEXEC, 3)
				      : devns_init_pidfd(d, &info);
	if (init < 0) {
		ret = init == -1 ? -errno : init;
		devns_nl_destroy(d->nl, info.id);
		return sd_bus_error_set_errnof(error, -ret, "watch %u: %m",
					       info.pid);
	}
	if (fresh) {
		p = persona_new(d, name);
		if (!p) {
			close(init);
			devns_nl_destroy(d->nl, info.id);
			return -ENOMEM;
		}
	}
	ret = persona_watch(p, info.pid, false, init);
	if (ret < 0) {
		devns_nl_destroy(d->nl, info.id);
		if (fresh)
			persona_remove(p);
		return sd_bus_error_set_errnof(error, -ret, "watch %u: %m",
					       info.pid);
	}
	p->id = info.id;
	snprintf(p->tag, sizeof(p->tag), "%s", info.tag);
	p->adopted = true;
	p->state = PERSONA_RUNNING;
	p->active = info.active;
	log_info("%s: adopted init %d as devns%u", name, p->pid, p->id);
	bus_persona_changed(p, "State", "Id", "Leader", "Tag", "Adopted", NULL);
	state_save(d);
	*out = p;
	return 0;
}
