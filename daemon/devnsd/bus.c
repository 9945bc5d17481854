// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The D-Bus face of devnsd: org.devns.Manager1 at /org/devns/Manager1, and
 * one org.devns.Persona1 object per persona under .../persona/NAME.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <signal.h>
#include <sys/pidfd.h>

#include "console.h"
#include "devnsd.h"
#include "log.h"

#define UNPRIV SD_BUS_VTABLE_UNPRIVILEGED

static int find(struct devnsd *d, const char *name, struct persona **out,
		sd_bus_error *error)
{
	*out = persona_find(d, name);
	if (!*out)
		return sd_bus_error_setf(error, DEVNSD_ERROR("NoSuchPersona"),
					 "no persona named '%s'", name);
	return 0;
}

static bool registered(const struct persona *p)
{
	return p->is_root || p->id != 0;
}

static int switch_to(struct persona *p, sd_bus_error *error)
{
	int ret;

	if (!registered(p))
		return not_running_error(error, p);
	ret = devns_nl_switch(p->d->nl, p->id);
	if (ret)
		return kernel_error(error, p->d, "switch", ret);
	/* the SWITCHED event follows; callers may look before it comes */
	persona_set_active(p->d, p->id);
	return 0;
}

static struct persona *active_persona(struct devnsd *d)
{
	for (struct persona *p = d->personas; p; p = p->next)
		if (p->active)
			return p;
	return d->personas;	/* root */
}

/* The next (dir 1) or previous (dir -1) registered persona, cyclically. */
static struct persona *neighbour(struct devnsd *d, int dir)
{
	struct persona *list[DEVNS_MAX_ID + 1], *cur = active_persona(d);
	int n = 0, at = 0;

	for (struct persona *p = d->personas; p && n <= DEVNS_MAX_ID; p = p->next) {
		if (!registered(p))
			continue;
		if (p == cur)
			at = n;
		list[n++] = p;
	}
	return list[(at + dir + n) % n];
}

/* ---- org.devns.Manager1 ---- */

static int method_list(sd_bus_message *m, void *data, sd_bus_error *error)
{
	struct devnsd *d = data;
	sd_bus_message *reply = NULL;
	int ret;

	(void)error;
	ret = sd_bus_message_new_method_return(m, &reply);
	if (ret >= 0)
		ret = sd_bus_message_open_container(reply, 'a', "(ssuusubo)");
	for (struct persona *p = d->personas; p && ret >= 0; p = p->next)
		ret = sd_bus_message_append(reply, "(ssuusubo)", p->name,
					    persona_state_name(p->state), p->id,
					    (uint32_t)p->pid, p->tag,
					    p->has_config ? p->cfg.hotkey_slot : 0,
					    p->active, p->path);
	if (ret >= 0)
		ret = sd_bus_message_close_container(reply);
	if (ret >= 0)
		ret = sd_bus_send(NULL, reply, NULL);
	sd_bus_message_unref(reply);
	return ret;
}

static int method_get(sd_bus_message *m, void *data, sd_bus_error *error)
{
	struct persona *p;
	const char *name;
	int ret;

	ret = sd_bus_message_read(m, "s", &name);
	if (ret >= 0)
		ret = find(data, name, &p, error);
	return ret < 0 ? ret : sd_bus_reply_method_return(m, "o", p->path);
}

/*
 * A manager method taking a persona name, for callers polkit's @action
 * allows: 0 and *p, 1 while polkit is asked, or an error.
 */
static int with_persona(sd_bus_message *m, struct devnsd *d,
			const char *action, struct persona **p,
			sd_bus_error *error)
{
	const char *name;
	int ret;

	ret = sd_bus_message_read(m, "s", &name);
	if (ret >= 0)
		ret = caller_authorize(m, d, action, error);
	if (ret == 0)
		ret = find(d, name, p, error);
	return ret;
}

static int method_start(sd_bus_message *m, void *data, sd_bus_error *error)
{
	struct persona *p;
	int ret = with_persona(m, data, POLKIT_MANAGE, &p, error);

	/* answered when the init runs */
	return ret ? ret : persona_start(p, m, error);
}

static int method_stop(sd_bus_message *m, void *data, sd_bus_error *error)
{
	struct persona *p;
	int ret = with_persona(m, data, POLKIT_MANAGE, &p, error);

	if (ret == 0)
		ret = persona_stop(p, error);
	return ret ? ret : sd_bus_reply_method_return(m, "");
}

/* SwitchTo, and ActivatePersona as login1 names it */
static int method_switch_to(sd_bus_message *m, void *data, sd_bus_error *error)
{
	struct persona *p;
	int ret = with_persona(m, data, POLKIT_SWITCH, &p, error);

	if (ret == 0)
		ret = switch_to(p, error);
	return ret ? ret : sd_bus_reply_method_return(m, "");
}

static int switch_step(sd_bus_message *m, struct devnsd *d, int dir,
		       sd_bus_error *error)
{
	int ret = caller_authorize(m, d, POLKIT_SWITCH, error);

	if (ret == 0)
		ret = switch_to(neighbour(d, dir), error);
	return ret ? ret : sd_bus_reply_method_return(m, "");
}

static int method_switch_next(sd_bus_message *m, void *data, sd_bus_error *error)
{
	return switch_step(m, data, 1, error);
}

static int method_switch_prev(sd_bus_message *m, void *data, sd_bus_error *error)
{
	return switch_step(m, data, -1, error);
}

static int adopt(sd_bus_message *m, struct devnsd *d, const char *name,
		 int pidfd, sd_bus_error *error)
{
	struct persona *p;
	int ret = persona_adopt(d, name, pidfd, &p, error);

	return ret < 0 ? ret : sd_bus_reply_method_return(m, "o", p->path);
}

static int method_adopt(sd_bus_message *m, void *data, sd_bus_error *error)
{
	const char *name;
	int pidfd, ret;

	ret = sd_bus_message_read(m, "sh", &name, &pidfd);
	if (ret >= 0)
		ret = caller_authorize(m, data, POLKIT_MANAGE, error);
	return ret ? ret : adopt(m, data, name, pidfd, error);
}

/* The pid variant: the pid names whichever process has it now. */
static int method_adopt_pid(sd_bus_message *m, void *data, sd_bus_error *error)
{
	const char *name;
	uint32_t pid;
	int pidfd, ret;

	ret = sd_bus_message_read(m, "su", &name, &pid);
	if (ret >= 0)
		ret = caller_authorize(m, data, POLKIT_MANAGE, error);
	if (ret)
		return ret;
	pidfd = pid > 1 ? pidfd_open(pid, 0) : -1;
	if (pidfd < 0)
		return sd_bus_error_setf(error, DEVNSD_ERROR("NoSuchProcess"),
					 "no process %u to adopt", pid);
	ret = adopt(m, data, name, pidfd, error);
	close(pidfd);
	return ret;
}

static int method_set_tag(sd_bus_message *m, void *data, sd_bus_error *error)
{
	struct devnsd *d = data;
	const char *name, *tag;
	struct persona *p;
	int ret;

	ret = sd_bus_message_read(m, "ss", &name, &tag);
	if (ret >= 0)
		ret = caller_authorize(m, d, POLKIT_MANAGE, error);
	if (ret == 0)
		ret = find(d, name, &p, error);
	if (ret)
		return ret;
	if (!registered(p))
		return not_running_error(error, p);
	ret = devns_nl_set_tag(d->nl, p->id, tag);
	if (ret)
		return kernel_error(error, d, "tag", ret);
	snprintf(p->tag, sizeof(p->tag), "%s", tag);
	bus_persona_changed(p, "Tag", NULL);
	state_save(d);
	return sd_bus_reply_method_return(m, "");
}

static int method_open_console(sd_bus_message *m, void *data,
			       sd_bus_error *error)
{
	struct devnsd *d = data;
	const char *name;
	struct persona *p;
	uint16_t rows, cols;
	int ret, fd;

	ret = sd_bus_message_read(m, "sqq", &name, &rows, &cols);
	if (ret >= 0)
		ret = caller_check_privileged(m, d, error);
	if (ret >= 0)
		ret = find(d, name, &p, error);
	if (ret < 0)
		return ret;
	fd = console_open(p, rows, cols);
	if (fd == -ENOTTY)
		return sd_bus_error_setf(error, DEVNSD_ERROR("NoConsole"),
					 "persona '%s' has no console (devnsd did not start it)",
					 p->name);
	if (fd < 0)
		return sd_bus_error_set_errnof(error, -fd, "console of %s: %m",
					       p->name);
	log_info("%s: console attached", p->name);
	ret = sd_bus_reply_method_return(m, "h", fd);
	close(fd);	/* the reply holds a copy */
	return ret;
}

/* KillPersona: a signal to its init, as machinectl kill --kill-whom=leader. */
static int method_kill(sd_bus_message *m, void *data, sd_bus_error *error)
{
	struct devnsd *d = data;
	const char *name;
	struct persona *p;
	int32_t sig;
	int ret;

	ret = sd_bus_message_read(m, "si", &name, &sig);
	if (ret >= 0)
		ret = caller_authorize(m, d, POLKIT_MANAGE, error);
	if (ret == 0)
		ret = find(d, name, &p, error);
	if (ret)
		return ret;
	if (p->is_root || p->pidfd < 0)
		return not_running_error(error, p);
	if (sig <= 0 || sig >= _NSIG)
		return sd_bus_error_setf(error, SD_BUS_ERROR_INVALID_ARGS,
					 "no signal %d", sig);
	if (pidfd_send_signal(p->pidfd, sig, NULL, 0) < 0)
		return sd_bus_error_set_errnof(error, errno, "kill %s: %m", p->name);
	log_info("%s: sent signal %d to its init", p->name, sig);
	return sd_bus_reply_method_return(m, "");
}

static int method_reload(sd_bus_message *m, void *data, sd_bus_error *error)
{
	struct devnsd *d = data;
	sd_bus_message *reply = NULL;
	char **notes = NULL;
	int ret = caller_authorize(m, d, POLKIT_MANAGE, error);

	if (ret)
		return ret;
	personas_load(d, &notes);
	ret = sd_bus_message_new_method_return(m, &reply);
	if (ret >= 0)
		ret = sd_bus_message_append_strv(reply, notes);
	if (ret >= 0)
		ret = sd_bus_send(NULL, reply, NULL);
	sd_bus_message_unref(reply);
	notes_free(notes);
	return ret;
}

/* (so), as login1's ActiveSession */
static int get_active(sd_bus *bus, const char *path, const char *iface,
		      const char *prop, sd_bus_message *reply, void *data,
		      sd_bus_error *error)
{
	struct persona *p = active_persona(data);

	(void)bus, (void)path, (void)iface, (void)prop, (void)error;
	return sd_bus_message_append(reply, "(so)", p->name, p->path);
}

static const sd_bus_vtable manager_vtable[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_PROPERTY("ActivePersona", "(so)", get_active, 0,
			SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_METHOD_WITH_ARGS("ListPersonas", SD_BUS_NO_ARGS,
		SD_BUS_RESULT("a(ssuusubo)", personas), method_list,
		SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_ARGS("GetPersona", SD_BUS_ARGS("s", name),
		SD_BUS_RESULT("o", path), method_get,
		SD_BUS_VTABLE_UNPRIVILEGED),
	/* polkit guards the rest (caller.c): open to everyone here */
	SD_BUS_METHOD_WITH_ARGS("StartPersona", SD_BUS_ARGS("s", name),
		SD_BUS_NO_RESULT, method_start, UNPRIV),
	SD_BUS_METHOD_WITH_ARGS("StopPersona", SD_BUS_ARGS("s", name),
		SD_BUS_NO_RESULT, method_stop, UNPRIV),
	SD_BUS_METHOD_WITH_ARGS("ActivatePersona", SD_BUS_ARGS("s", name),
		SD_BUS_NO_RESULT, method_switch_to, UNPRIV),
	SD_BUS_METHOD_WITH_ARGS("SwitchTo", SD_BUS_ARGS("s", name),
		SD_BUS_NO_RESULT, method_switch_to, UNPRIV),
	SD_BUS_METHOD_WITH_ARGS("SwitchNext", SD_BUS_NO_ARGS, SD_BUS_NO_RESULT,
		method_switch_next, UNPRIV),
	SD_BUS_METHOD_WITH_ARGS("SwitchPrevious", SD_BUS_NO_ARGS,
		SD_BUS_NO_RESULT, method_switch_prev, UNPRIV),
	SD_BUS_METHOD_WITH_ARGS("AdoptPersona", SD_BUS_ARGS("s", name, "h", pidfd),
		SD_BUS_RESULT("o", path), method_adopt, UNPRIV),
	SD_BUS_METHOD_WITH_ARGS("AdoptPersonaByPid", SD_BUS_ARGS("s", name, "u", pid),
		SD_BUS_RESULT("o", path), method_adopt_pid, UNPRIV),
	SD_BUS_METHOD_WITH_ARGS("SetTag", SD_BUS_ARGS("s", name, "s", tag),
		SD_BUS_NO_RESULT, method_set_tag, UNPRIV),
	SD_BUS_METHOD_WITH_ARGS("KillPersona", SD_BUS_ARGS("s", name, "i", signal),
		SD_BUS_NO_RESULT, method_kill, UNPRIV),
	SD_BUS_METHOD_WITH_ARGS("Reload", SD_BUS_NO_ARGS, SD_BUS_RESULT("as", notes),
		method_reload, UNPRIV),
	SD_BUS_METHOD_WITH_ARGS("OpenConsole",
		SD_BUS_ARGS("s", name, "q", rows, "q", cols),
		SD_BUS_RESULT("h", console), method_open_console, 0),
	SD_BUS_SIGNAL_WITH_ARGS("Switched",
		SD_BUS_ARGS("s", name, "s", previous, "u", id, "u", previous_id,
			    "t", latency_ns, "s", reason), 0),
	SD_BUS_SIGNAL_WITH_ARGS("PersonaNew", SD_BUS_ARGS("s", name, "o", path), 0),
	SD_BUS_SIGNAL_WITH_ARGS("PersonaRemoved",
		SD_BUS_ARGS("s", name, "o", path), 0),
	SD_BUS_VTABLE_END,
};

/* ---- org.devns.Persona1 ---- */

static int persona_method_start(sd_bus_message *m, void *data,
				sd_bus_error *error)
{
	struct persona *p = data;
	int ret = caller_authorize(m, p->d, POLKIT_MANAGE, error);

	return ret ? ret : persona_start(p, m, error);
}

static int persona_method_stop(sd_bus_message *m, void *data,
			       sd_bus_error *error)
{
	struct persona *p = data;
	int ret = caller_authorize(m, p->d, POLKIT_MANAGE, error);

	if (ret == 0)
		ret = persona_stop(p, error);
	return ret ? ret : sd_bus_reply_method_return(m, "");
}

static int persona_method_switch(sd_bus_message *m, void *data,
				 sd_bus_error *error)
{
	struct persona *p = data;
	int ret = caller_authorize(m, p->d, POLKIT_SWITCH, error);

	if (ret == 0)
		ret = switch_to(p, error);
	return ret ? ret : sd_bus_reply_method_return(m, "");
}

static int persona_get(sd_bus *bus, const char *path, const char *iface,
		       const char *prop, sd_bus_message *reply, void *data,
		       sd_bus_error *error)
{
	struct persona *p = data;
	bool cfg = p->has_config;

	(void)bus, (void)path, (void)iface, (void)error;
	if (!strcmp(prop, "Name"))
		return sd_bus_message_append(reply, "s", p->name);
	if (!strcmp(prop, "State"))
		return sd_bus_message_append(reply, "s", persona_state_name(p->state));
	if (!strcmp(prop, "Id"))
		return sd_bus_message_append(reply, "u", p->id);
	if (!strcmp(prop, "Leader"))
		return sd_bus_message_append(reply, "u", (uint32_t)p->pid);
	if (!strcmp(prop, "Tag"))
		return sd_bus_message_append(reply, "s", p->tag);
	if (!strcmp(prop, "Active"))
		return sd_bus_message_append(reply, "b", p->active);
	if (!strcmp(prop, "Adopted"))
		return sd_bus_message_append(reply, "b", p->adopted);
	if (!strcmp(prop, "HotkeySlot"))
		return sd_bus_message_append(reply, "u", cfg ? p->cfg.hotkey_slot : 0);
	if (!strcmp(prop, "Root"))
		return sd_bus_message_append(reply, "s", cfg ? p->cfg.root : "");
	if (!strcmp(prop, "Init"))
		return sd_bus_message_append_strv(reply, cfg ? p->cfg.init : NULL);
	if (!strcmp(prop, "Restart"))
		return sd_bus_message_append(reply, "s",
					     cfg ? restart_policy_name(p->cfg.restart) : "no");
	if (!strcmp(prop, "ExitStatus"))
		return sd_bus_message_append(reply, "i", p->exit_status);
	if (!strcmp(prop, "ConfigError"))
		return sd_bus_message_append(reply, "s", p->config_error);
	if (!strcmp(prop, "LastError"))
		return sd_bus_message_append(reply, "s", p->last_error);
	return -ENOENT;
}

#define PERSONA_PROP(name, sig) \
	SD_BUS_PROPERTY(name, sig, persona_get, 0, \
			SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE)

static const sd_bus_vtable persona_vtable[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_PROPERTY("Name", "s", persona_get, 0, SD_BUS_VTABLE_PROPERTY_CONST),
	PERSONA_PROP("State", "s"),
	PERSONA_PROP("Id", "u"),
	PERSONA_PROP("Leader", "u"),
	PERSONA_PROP("Tag", "s"),
	PERSONA_PROP("Active", "b"),
	PERSONA_PROP("Adopted", "b"),
	PERSONA_PROP("HotkeySlot", "u"),
	PERSONA_PROP("Root", "s"),
	PERSONA_PROP("Init", "as"),
	PERSONA_PROP("Restart", "s"),
	PERSONA_PROP("ExitStatus", "i"),
	PERSONA_PROP("ConfigError", "s"),
	PERSONA_PROP("LastError", "s"),
	SD_BUS_METHOD("Start", "", "", persona_method_start, UNPRIV),
	SD_BUS_METHOD("Stop", "", "", persona_method_stop, UNPRIV),
	SD_BUS_METHOD("Switch", "", "", persona_method_switch, UNPRIV),
	SD_BUS_METHOD("Activate", "", "", persona_method_switch, UNPRIV),
	SD_BUS_VTABLE_END,
};

int bus_add_persona(struct persona *p)
{
	struct devnsd *d = p->d;
	int ret;

	if (!d->bus)
		return 0;	/* --check-config */
	ret = sd_bus_path_encode(DEVNSD_PERSONA_PREFIX, p->name, &p->path);
	if (ret < 0)
		return ret;
	ret = sd_bus_add_object_vtable(d->bus, &p->bus_slot, p->path,
				       DEVNSD_PERSONA_IFACE, persona_vtable, p);
	if (ret < 0)
		return ret;
	return sd_bus_emit_signal(d->bus, DEVNSD_MANAGER_PATH,
				  DEVNSD_MANAGER_IFACE, "PersonaNew", "so",
				  p->name, p->path);
}

void bus_remove_persona(struct persona *p)
{
	if (!p->path)
		return;
	polkit_forget(p->d, p);
	sd_bus_emit_signal(p->d->bus, DEVNSD_MANAGER_PATH, DEVNSD_MANAGER_IFACE,
			   "PersonaRemoved", "so", p->name, p->path);
	p->bus_slot = sd_bus_slot_unref(p->bus_slot);
	free(p->path);
	p->path = NULL;
}

void bus_persona_changed(struct persona *p, ...)
{
	char *names[16];
	int n = 0;
	va_list ap;

	if (!p->path)
		return;
	va_start(ap, p);
	while (n < 15 && (names[n] = va_arg(ap, char *)))
		n++;
	va_end(ap);
	names[n] = NULL;
	sd_bus_emit_properties_changed_strv(p->d->bus, p->path,
					    DEVNSD_PERSONA_IFACE, names);
}

void bus_emit_switched(struct devnsd *d, const struct devns_event *ev)
{
	struct persona *to = persona_find_id(d, ev->ns.id);
	struct persona *from = persona_find_id(d, ev->prev_id);

	sd_bus_emit_signal(d->bus, DEVNSD_MANAGER_PATH, DEVNSD_MANAGER_IFACE,
			   "Switched", "ssuuts", to ? to->name : "",
			   from ? from->name : "", ev->ns.id, ev->prev_id,
			   (uint64_t)ev->latency_ns,
			   devns_reason_name(ev->reason));
	sd_bus_emit_properties_changed(d->bus, DEVNSD_MANAGER_PATH,
				       DEVNSD_MANAGER_IFACE, "ActivePersona",
				       NULL);
}

int bus_setup(struct devnsd *d)
{
	int ret = sd_bus_open_system(&d->bus);

	if (ret < 0) {
		log_err("cannot connect to the system bus: %s", strerror(-ret));
		return ret;
	}
	ret = caller_setup(d);
	if (ret >= 0)
		ret = sd_bus_add_object_vtable(d->bus, NULL, DEVNSD_MANAGER_PATH,
					       DEVNSD_MANAGER_IFACE,
					       manager_vtable, d);
	if (ret >= 0)
		ret = sd_bus_attach_event(d->bus, d->event, 0);
	if (ret < 0)
		log_err("cannot set up the bus: %s", strerror(-ret));
	return ret;
}
