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

/* Restarts allowed within RESTART_WINDOW_USEC before a persona is failed. */
#define RESTART_BURST		5
#define RESTART_WINDOW_USEC	(30 * 1000000ULL)
#define RESTART_DELAY_USEC	(1000000ULL)

enum persona_state {
	PERSONA_STOPPED,	/* not running (never started, or exited cleanly) */
	PERSONA_RUNNING,
	PERSONA_STOPPING,	/* asked to stop, init not dead yet */
	PERSONA_FAILED,		/* exited with an error, or failed to start */
	PERSONA_INVALID,	/* its configuration file is broken */
};

struct devnsd;

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
	int pidfd;
	bool own_child;		/* we can reap it */
	char tag[DEVNS_TAG_LEN];
	bool active;
	int exit_status;	/* of the last init: exit code, or 128 + signal */

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
};

/* persona.c */
struct persona *persona_find(struct devnsd *d, const char *name);
struct persona *persona_find_id(struct devnsd *d, uint32_t id);
struct persona *persona_new(struct devnsd *d, const char *name);
void persona_remove(struct persona *p);
const char *persona_state_name(enum persona_state s);
int persona_start(struct persona *p, sd_bus_error *error);
int persona_stop(struct persona *p, sd_bus_error *error);
int persona_adopt(struct devnsd *d, const char *name, pid_t pid,
		  struct persona **out, sd_bus_error *error);
/* Starts watching an init that is not our child (adopted, or recovered). */
int persona_watch(struct persona *p, pid_t pid, bool own_child, int pidfd);
void persona_set_active(struct devnsd *d, uint32_t id);
int kernel_error(sd_bus_error *error, struct devnsd *d, const char *what,
		 int err);

/* bus.c */
int bus_setup(struct devnsd *d);
int bus_add_persona(struct persona *p);
void bus_remove_persona(struct persona *p);
void bus_persona_changed(struct persona *p, ...);	/* property names, NULL */
void bus_emit_switched(struct devnsd *d, const struct devns_event *ev);

/* hotplug.c: keep personas' /dev in step with their mirrors */
int hotplug_setup(struct devnsd *d);

/* state.c */
void state_save(struct devnsd *d);
/* The name state_file gave to devns @id whose init is @pid, if any. */
bool state_lookup(const char *state_file, uint32_t id, pid_t pid, char *name,
		  size_t size);

#endif
