/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * devnsd: the persona manager.  One record per persona: those of the
 * configuration files, those adopted or found registered in the kernel,
 * and "root" (the host, devns 0), which is always there.
 */
#ifndef DEVNSD_H
#define DEVNSD_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

#include "config.h"
#include "libdevns.h"

#define DEVNSD_BUS_NAME		"org.devns.Manager1"
#define DEVNSD_MANAGER_PATH	"/org/devns/Manager1"
#define DEVNSD_MANAGER_IFACE	"org.devns.Manager1"
#define DEVNSD_PERSONA_PREFIX	"/org/devns/Manager1/persona"
#define DEVNSD_PERSONA_IFACE	"org.devns.Persona1"
#define DEVNSD_ERROR(e)		"org.devns.Manager1.Error." e
/* polkit actions (data/org.devns.policy) */
#define POLKIT_SWITCH		"org.devns.switch"
#define POLKIT_MANAGE		"org.devns.manage"

/* Restarts allowed within RESTART_WINDOW_USEC before a persona is failed. */
#define RESTART_BURST		5
#define RESTART_WINDOW_USEC	(30 * 1000000ULL)
#define RESTART_DELAY_USEC	(1000000ULL)
/* How long an init may take to exec(), and a hot-plug helper to finish. */
#define SPAWN_TIMEOUT_USEC	(10 * 1000000ULL)
#define HOTPLUG_TIMEOUT_USEC	(5 * 1000000ULL)

enum persona_state {
	PERSONA_STOPPED,	/* not running (never started, or exited cleanly) */
	PERSONA_STARTING,	/* spawned, its init not yet exec()ed */
	PERSONA_RUNNING,
	PERSONA_STOPPING,	/* asked to stop, init not dead yet */
	PERSONA_FAILED,		/* exited with an error, or failed to start */
	PERSONA_INVALID,	/* its configuration file is broken */
};

struct devnsd;
struct hotplug_op;
struct bus_peer;
struct polkit_query;

struct persona {
	struct devnsd *d;
	struct persona *next;
	char name[PERSONA_NAME_MAX + 1];
	bool is_root;
	bool has_config;
	struct persona_config cfg;	/* when has_config */
	char config_error[CONFIG_ERR_LEN];	/* PERSONA_INVALID: why */
	char last_error[CONFIG_ERR_LEN];	/* why it last failed */

	enum persona_state state;
	bool adopted;		/* started by someone else */
	uint32_t id;		/* kernel devns id; 0 = not registered */
	pid_t pid;		/* its init, in our pid namespace; 0 = none */
	int pidfd;		/* its init's, while watched; else -1 */
	uint64_t start_time;	/* its init's, in clock ticks since boot */
	bool own_child;		/* we can reap it */
	char tag[DEVNS_TAG_LEN];
	bool active;
	int exit_status;	/* of the last init: exit code, or 128 + signal */

	/* while starting: the spawn's socket, and the call to answer */
	int start_sock;
	sd_event_source *start_watch;
	sd_bus_message *start_call;

	/* its /dev (made by spawn), and hot-plug changes waiting for it */
	int devfd;
	struct hotplug_op *hotplug_queue;
	int hotplug_pidfd;	/* the helper at work on the first; else -1 */
	sd_event_source *hotplug_exit, *hotplug_timer;
	uid_t root_uid;		/* its root on the host (owns its /dev) */

	struct console *console;	/* of what we started (console.h) */

	unsigned int restarts;
	uint64_t restart_window_start;
	sd_event_source *exit_watch, *timer;

	char *path;		/* D-Bus object */
	sd_bus_slot *bus_slot;
};

struct devnsd {
	sd_event *event;
	sd_bus *bus;
	struct devns_nl *nl;
	struct devns_monitor *mon;
	struct udev *udev;
	struct persona *personas;	/* root first */
	const char *config_dir;
	const char *state_file;
	struct bus_peer *peers;	/* unique names seen connecting (caller.c) */
	uint64_t peers_since;	/* when we began to listen */
	struct polkit_query *polkit_queries;	/* calls waiting for polkit */
};

/* persona.c */
struct persona *persona_find(struct devnsd *d, const char *name);
struct persona *persona_find_id(struct devnsd *d, uint32_t id);
struct persona *persona_new(struct devnsd *d, const char *name);
void persona_remove(struct persona *p);
const char *persona_state_name(enum persona_state s);
/*
 * Starts it without waiting for its init: returns 1 when the start is under
 * way (call, if not NULL, is answered when the init runs or fails), or a
 * negative errno with error set.
 */
int persona_start(struct persona *p, sd_bus_message *call, sd_bus_error *error);
int persona_stop(struct persona *p, sd_bus_error *error);
/* Registers the process @pidfd names (the caller keeps the fd). */
int persona_adopt(struct devnsd *d, const char *name, int pidfd,
		  struct persona **out, sd_bus_error *error);
/* Starts watching init @pid through @pidfd, which it takes over. */
int persona_watch(struct persona *p, pid_t pid, bool own_child, int pidfd);
void persona_set_active(struct devnsd *d, uint32_t id);
int kernel_error(sd_bus_error *error, struct devnsd *d, const char *what,
		 int err);
int not_running_error(sd_bus_error *error, const struct persona *p);

/* personas.c */
/*
 * Reads the persona files (again); what it did to running personas, and
 * on a reload what changed, goes to the log and, when @notes is not NULL,
 * into *notes (free with notes_free()).  Returns the number of bad files.
 */
int personas_load(struct devnsd *d, char ***notes);
void notes_free(char **notes);

/* bus.c */
int bus_setup(struct devnsd *d);
int bus_add_persona(struct persona *p);
void bus_remove_persona(struct persona *p);
void bus_persona_changed(struct persona *p, ...);	/* property names, NULL */
void bus_emit_switched(struct devnsd *d, const struct devns_event *ev);

/* caller.c: who calls a privileged method */
int caller_setup(struct devnsd *d);
/* 0 if root outside any persona, told apart race-free; else error set. */
int caller_check_privileged(sd_bus_message *m, struct devnsd *d,
			    sd_bus_error *error);
/*
 * For a method polkit guards with @action: 0 if allowed (root, or polkit
 * said yes), 1 if polkit was asked (the method returns 1 and runs again
 * when it answers), or an error set.
 */
int caller_authorize(sd_bus_message *m, struct devnsd *d, const char *action,
		     sd_bus_error *error);

/* polkit.c */
int polkit_check(sd_bus_message *m, struct devnsd *d, const char *action,
		 sd_bus_error *error);
/* Answers the calls on @userdata (a persona going away) still waiting. */
void polkit_forget(struct devnsd *d, void *userdata);

/* pidfd.c */
/* The pid a pidfd names; -ESRCH once it exited, -EBADF if not a pidfd. */
int pidfd_pid(int pidfd);
bool pidfd_alive(int pidfd);
/* /proc/PID/stat's starttime; read it while a pidfd shows PID alive. */
int proc_start_time(pid_t pid, uint64_t *ticks);
/* By DEVNS_A_PIDFD, or on an older devns_core by pid, checked afterwards. */
int devns_of_pidfd(struct devnsd *d, int pidfd, struct devns_info *info);
int devns_register_pidfd(struct devnsd *d, int pidfd, const char *tag,
			 struct devns_info *info);
/* A pidfd for @info's init, checked to be it; or -errno. */
int devns_init_pidfd(struct devnsd *d, const struct devns_info *info);

/* hotplug.c: keep personas' /dev in step with their mirrors */
int hotplug_setup(struct devnsd *d);
/* Forgets its waiting changes (its init exited). */
void hotplug_drop(struct persona *p);

/* state.c */
void state_save(struct devnsd *d);
/* The name state_file gave to devns @id whose init is @pid, started at @start. */
bool state_lookup(const char *state_file, uint32_t id, pid_t pid,
		  uint64_t start, char *name, size_t size);

#endif
