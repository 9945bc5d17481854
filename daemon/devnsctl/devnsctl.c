// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * devnsctl: control devnsd (org.devns.Manager1) from the command line, in
 * the manner of loginctl.  Tables for people, --json for scripts.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/pidfd.h>
#include <systemd/sd-bus.h>

#include "agent.h"
#include "args.h"
#include "console.h"
#include "output.h"

#define BUS_NAME	"org.devns.Manager1"
#define MANAGER_PATH	"/org/devns/Manager1"
#define MANAGER_IFACE	"org.devns.Manager1"
#define PERSONA_PREFIX	"/org/devns/Manager1/persona"
#define PERSONA_IFACE	"org.devns.Persona1"
#define PROPS_IFACE	"org.freedesktop.DBus.Properties"

static sd_bus *bus;
static struct ctl_args args;

static void usage(FILE *f)
{
	fprintf(f,
"usage: devnsctl [--json] [--no-legend] COMMAND [ARGS]\n"
"       devnsctl --version\n"
"\n"
"Control the devns persona manager (devnsd).\n"
"\n"
"commands:\n"
"  list                        personas and their state (the default)\n"
"  status [NAME]               one persona in detail (default: the active one)\n"
"  switch NAME|next|prev|root  bring a persona (or the host) to the front\n"
"  start NAME...               start personas from their configuration\n"
"  stop NAME...                stop personas\n"
"  adopt NAME PID              manage a container started elsewhere, whose\n"
"                              init (or any process in it) is PID\n"
"  tag NAME TAG                set the kernel tag of a running persona\n"
"  monitor                     print switches and persona changes as they happen\n"
"  console NAME                attach to a persona's console (^] three times\n"
"                              within 1 s to leave)\n"
"  show [NAME] [-p PROP]... [--value]\n"
"                              properties as KEY=VALUE (default: the manager's)\n"
"  kill NAME [--signal SIG]    send a signal (default SIGTERM) to a persona's init\n"
"  reload                      read the persona files again\n"
"\n"
"options:\n"
"  --json        JSON output: one document (monitor: one object per line)\n"
"  --no-legend   no table header\n"
"\n"
"Exit status: 0 success, 1 the request failed, 2 bad usage.\n");
}

static int failed(const char *what, const sd_bus_error *e, int ret)
{
	if (sd_bus_error_has_names(e, SD_BUS_ERROR_SERVICE_UNKNOWN,
				   SD_BUS_ERROR_NAME_HAS_NO_OWNER))
		fprintf(stderr, "devnsctl: devnsd is not running (%s is not on the system bus)\n",
			BUS_NAME);
	else if (sd_bus_error_has_name(e, SD_BUS_ERROR_ACCESS_DENIED))
		fprintf(stderr, "devnsctl: access denied: %s\n", e->message);
	else if (sd_bus_error_has_name(e, SD_BUS_ERROR_INTERACTIVE_AUTHORIZATION_REQUIRED))
		fprintf(stderr, "devnsctl: %s%s\n", e->message,
			isatty(STDIN_FILENO) ? "" : " (run it on a terminal to be asked, or as root)");
	else if (sd_bus_error_is_set(e))
		fprintf(stderr, "devnsctl: %s\n", e->message ? e->message : e->name);
	else
		fprintf(stderr, "devnsctl: %s: %s\n", what, strerror(-ret));
	return 1;
}

static int call(const char *path, const char *iface, const char *method,
		sd_bus_message **reply, const char *sig, ...)
{
	sd_bus_error error = SD_BUS_ERROR_NULL;
	va_list ap;
	int ret;

	va_start(ap, sig);
	ret = sd_bus_call_methodv(bus, BUS_NAME, path, iface, method, &error,
				  reply, sig, ap);
	va_end(ap);
	if (ret < 0)
		failed(method, &error, ret);
	sd_bus_error_free(&error);
	return ret;
}

/* ---- list ---- */

struct row {
	const char *name, *state, *tag;
	uint32_t id, leader, slot;
	int active;
};

static void print_table(const struct row *rows, int n)
{
	int wn = 4, ws = 5, wt = 3;

	for (int i = 0; i < n; i++) {
		wn = (int)strlen(rows[i].name) > wn ? (int)strlen(rows[i].name) : wn;
		ws = (int)strlen(rows[i].state) > ws ? (int)strlen(rows[i].state) : ws;
		wt = (int)strlen(rows[i].tag) > wt ? (int)strlen(rows[i].tag) : wt;
	}
	if (args.legend)
		printf("%-*s %-*s %5s %7s %-*s %4s %s\n", wn, "NAME", ws, "STATE",
		       "ID", "LEADER", wt, "TAG", "SLOT", "ACTIVE");
	for (int i = 0; i < n; i++)
		printf("%-*s %-*s %5u %7u %-*s %4u %s\n", wn, rows[i].name, ws,
		       rows[i].state, rows[i].id, rows[i].leader, wt, rows[i].tag,
		       rows[i].slot, rows[i].active ? "yes" : "no");
	if (args.legend)
		printf("\n%d persona%s listed.\n", n, n == 1 ? "" : "s");
}

static void print_json_rows(const struct row *rows, int n)
{
	printf("[");
	for (int i = 0; i < n; i++) {
		printf("%s{\"name\":", i ? "," : "");
		json_string(stdout, rows[i].name);
		printf(",\"state\":");
		json_string(stdout, rows[i].state);
		printf(",\"id\":%u,\"leader\":%u,\"tag\":", rows[i].id,
		       rows[i].leader);
		json_string(stdout, rows[i].tag);
		printf(",\"hotkey_slot\":%u,\"active\":%s}", rows[i].slot,
		       rows[i].active ? "true" : "false");
	}
	printf("]\n");
}

static int cmd_list(void)
{
	sd_bus_message *reply = NULL;
	struct row rows[512];
	const char *path;
	int n = 0, ret;

	if (call(MANAGER_PATH, MANAGER_IFACE, "ListPersonas", &reply, "") < 0)
		return 1;
	ret = sd_bus_message_enter_container(reply, 'a', "(ssuusubo)");
	while (ret >= 0 && n < 512 &&
	       (ret = sd_bus_message_read(reply, "(ssuusubo)", &rows[n].name,
					  &rows[n].state, &rows[n].id,
					  &rows[n].leader, &rows[n].tag,
					  &rows[n].slot, &rows[n].active,
					  &path)) > 0)
		n++;
	if (ret < 0) {
		fprintf(stderr, "devnsctl: bad reply from devnsd: %s\n",
			strerror(-ret));
		sd_bus_message_unref(reply);
		return 1;
	}
	if (args.json)
		print_json_rows(rows, n);
	else
		print_table(rows, n);
	sd_bus_message_unref(reply);
	return 0;
}

/* ---- properties (status, monitor) ---- */

/* Prints one a{sv} entry's value; returns 0 if the type was skipped. */
static int print_value(sd_bus_message *m, const char *contents, bool json)
{
	const char *s;
	uint32_t u;
	int32_t i;
	int b, ret = 1;
	char **strv = NULL;

	switch (contents[0]) {
	case 's':
		sd_bus_message_read(m, "s", &s);
		json ? json_string(stdout, s) : (void)fputs(s, stdout);
		break;
	case 'u':
		sd_bus_message_read(m, "u", &u);
		printf("%u", u);
		break;
	case 'i':
		sd_bus_message_read(m, "i", &i);
		printf("%d", i);
		break;
	case 'b':
		sd_bus_message_read(m, "b", &b);
		fputs(json ? (b ? "true" : "false") : (b ? "yes" : "no"), stdout);
		break;
	case 'a':
		sd_bus_message_read_strv(m, &strv);
		printf(json ? "[" : "");
		for (char **v = strv; v && *v; v++) {
			if (v != strv)
				printf(json ? "," : " ");
			json ? json_string(stdout, *v) : (void)fputs(*v, stdout);
		}
		printf(json ? "]" : "");
		for (char **v = strv; v && *v; v++)
			free(*v);
		free(strv);
		break;
	case '(':
		if (!strcmp(contents, "(so)") &&
		    sd_bus_message_read(m, "(so)", &s, NULL) >= 0) {
			json ? json_string(stdout, s) : (void)fputs(s, stdout);
			break;
		}
		/* fall through */
	default:
		sd_bus_message_skip(m, contents);
		ret = 0;
	}
	return ret;
}

/*
 * Prints an a{sv} of properties: "    Key: value" lines, or JSON members
 * (after a first member already printed when json_more).  Skips Name, and
 * in tables empty strings.
 */
static int print_props(sd_bus_message *m, bool json, bool json_more,
		       const char *sep)
{
	int ret = sd_bus_message_enter_container(m, 'a', "{sv}");

	while (ret >= 0 &&
	       (ret = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
		const char *key, *contents;
		char snake[64];

		ret = sd_bus_message_read(m, "s", &key);
		if (ret >= 0)
			ret = sd_bus_message_peek_type(m, NULL, &contents);
		if (ret < 0)
			break;
		sd_bus_message_enter_container(m, 'v', contents);
		if (!strcmp(key, "Name")) {
			sd_bus_message_skip(m, contents);
		} else if (json) {
			snake_case(key, snake, sizeof(snake));
			printf("%s\"%s\":", json_more ? "," : "", snake);
			json_more = true;
			if (!print_value(m, contents, true))
				printf("null");
		} else {
			const char *s;

			if (!strcmp(contents, "s") &&
			    sd_bus_message_read(m, "s", &s) > 0) {
				if (*s)
					printf("%s%s: %s", sep, key, s);
			} else {
				printf("%s%s: ", sep, key);
				print_value(m, contents, false);
			}
		}
		sd_bus_message_exit_container(m);
		ret = sd_bus_message_exit_container(m);
	}
	if (ret >= 0)
		ret = sd_bus_message_exit_container(m);
	return ret;
}

static int persona_path(const char *name, char **path)
{
	sd_bus_message *reply = NULL;
	const char *p;
	int ret;

	ret = call(MANAGER_PATH, MANAGER_IFACE, "GetPersona", &reply, "s", name);
	if (ret < 0)
		return ret;
	ret = sd_bus_message_read(reply, "o", &p);
	if (ret >= 0)
		*path = strdup(p);
	sd_bus_message_unref(reply);
	return ret < 0 ? ret : *path ? 0 : -ENOMEM;
}

/* The active persona's name (ActivePersona is (so), as login1's ActiveSession). */
static int active_name(char **name)
{
	sd_bus_error error = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	const char *s;
	int ret;

	ret = sd_bus_get_property(bus, BUS_NAME, MANAGER_PATH, MANAGER_IFACE,
				  "ActivePersona", &error, &reply, "(so)");
	if (ret < 0) {
		failed("ActivePersona", &error, ret);
		sd_bus_error_free(&error);
		return ret;
	}
	ret = sd_bus_message_read(reply, "(so)", &s, NULL);
	if (ret >= 0)
		*name = strdup(s);
	sd_bus_message_unref(reply);
	return ret < 0 ? ret : *name ? 0 : -ENOMEM;
}

static int cmd_status(void)
{
	sd_bus_message *reply = NULL;
	char *name = NULL, *path = NULL;
	int ret;

	if (args.n_names)
		name = strdup(args.names[0]);
	else if (active_name(&name) < 0)
		return 1;
	if (!name || persona_path(name, &path) < 0 ||
	    call(path, PROPS_IFACE, "GetAll", &reply, "s", PERSONA_IFACE) < 0) {
		free(name);
		free(path);
		return 1;
	}
	if (args.json) {
		printf("{\"name\":");
		json_string(stdout, name);
		ret = print_props(reply, true, true, "");
		printf("}\n");
	} else {
		printf("%s", name);
		ret = print_props(reply, false, false, "\n    ");
		printf("\n");
	}
	sd_bus_message_unref(reply);
	free(name);
	free(path);
	return ret < 0 ? 1 : 0;
}

/* ---- show: KEY=VALUE lines, as loginctl show-session ---- */

static bool wanted(const char *key)
{
	if (!args.props[0])
		return true;
	for (int i = 0; args.props[i]; i++)
		if (!strcmp(args.props[i], key))
			return true;
	return false;
}

static int cmd_show(void)
{
	sd_bus_message *reply = NULL;
	char *path = NULL;
	int ret;

	if (args.n_names && persona_path(args.names[0], &path) < 0)
		return 1;
	if (call(path ? path : MANAGER_PATH, PROPS_IFACE, "GetAll", &reply, "s",
		 path ? PERSONA_IFACE : MANAGER_IFACE) < 0) {
		free(path);
		return 1;
	}
	ret = sd_bus_message_enter_container(reply, 'a', "{sv}");
	while (ret >= 0 &&
	       (ret = sd_bus_message_enter_container(reply, 'e', "sv")) > 0) {
		const char *key, *contents;

		ret = sd_bus_message_read(reply, "s", &key);
		if (ret >= 0)
			ret = sd_bus_message_peek_type(reply, NULL, &contents);
		if (ret < 0)
			break;
		sd_bus_message_enter_container(reply, 'v', contents);
		if (wanted(key)) {
			if (!args.value)
				printf("%s=", key);
			if (!print_value(reply, contents, false))
				printf("[unprintable]");
			printf("\n");
		} else {
			sd_bus_message_skip(reply, contents);
		}
		sd_bus_message_exit_container(reply);
		ret = sd_bus_message_exit_container(reply);
	}
	if (ret < 0)
		fprintf(stderr, "devnsctl: bad reply from devnsd: %s\n",
			strerror(-ret));
	sd_bus_message_unref(reply);
	free(path);
	return ret < 0;
}

/* ---- actions ---- */

static int cmd_simple(const char *method)
{
	int bad = 0;

	for (int i = 0; i < args.n_names; i++)
		bad |= call(MANAGER_PATH, MANAGER_IFACE, method, NULL, "s",
			    args.names[i]) < 0;
	return bad;
}

static int cmd_switch(void)
{
	const char *to = args.names[0];

	if (!strcmp(to, "next"))
		return call(MANAGER_PATH, MANAGER_IFACE, "SwitchNext", NULL, "") < 0;
	if (!strcmp(to, "prev"))
		return call(MANAGER_PATH, MANAGER_IFACE, "SwitchPrevious", NULL, "") < 0;
	return cmd_simple("SwitchTo");
}

/* A pidfd, not the pid: devnsd gets the process we name, even if it dies. */
static int cmd_adopt(void)
{
	int pidfd = pidfd_open(args.pid, 0), ret;

	if (pidfd < 0) {
		fprintf(stderr, "devnsctl: no process %d to adopt: %s\n",
			(int)args.pid, strerror(errno));
		return 1;
	}
	ret = call(MANAGER_PATH, MANAGER_IFACE, "AdoptPersona", NULL, "sh",
		   args.names[0], pidfd);
	close(pidfd);
	return ret < 0;
}

static int cmd_kill(void)
{
	return call(MANAGER_PATH, MANAGER_IFACE, "KillPersona", NULL, "si",
		    args.names[0], args.signal) < 0;
}

/* What devnsd did about running personas is worth reading: print it. */
static int cmd_reload(void)
{
	sd_bus_message *reply = NULL;
	char **notes = NULL;
	int ret;

	if (call(MANAGER_PATH, MANAGER_IFACE, "Reload", &reply, "") < 0)
		return 1;
	ret = sd_bus_message_read_strv(reply, &notes);
	for (char **n = notes; n && *n; n++) {
		puts(*n);
		free(*n);
	}
	free(notes);
	sd_bus_message_unref(reply);
	return ret < 0;
}

static int cmd_tag(void)
{
	return call(MANAGER_PATH, MANAGER_IFACE, "SetTag", NULL, "ss",
		    args.names[0], args.tag) < 0;
}

/* The console's socket from devnsd; the terminal's size goes with the call. */
static int cmd_console(void)
{
	struct winsize ws = { 0 };
	sd_bus_message *reply = NULL;
	int fd, ret;

	ioctl(STDIN_FILENO, TIOCGWINSZ, &ws);
	if (call(MANAGER_PATH, MANAGER_IFACE, "OpenConsole", &reply, "sqq",
		 args.names[0], ws.ws_row, ws.ws_col) < 0)
		return 1;
	ret = sd_bus_message_read(reply, "h", &fd);
	if (ret >= 0)
		fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	sd_bus_message_unref(reply);
	if (ret < 0 || fd < 0) {
		fprintf(stderr, "devnsctl: console: %s\n",
			strerror(ret < 0 ? -ret : errno));
		return 1;
	}
	fprintf(stderr, "Connected to the console of %s. Press ^] three times "
		"within 1s to leave.\r\n", args.names[0]);
	ret = console_relay(fd);
	close(fd);
	fprintf(stderr, "\r\nLeft the console of %s.\n", args.names[0]);
	if (ret < 0)
		fprintf(stderr, "devnsctl: console: %s\n", strerror(-ret));
	return ret < 0;
}

/* ---- monitor ---- */

static int on_manager_signal(sd_bus_message *m, void *data, sd_bus_error *e)
{
	const char *member = sd_bus_message_get_member(m), *name, *path;
	const char *prev, *reason;
	uint32_t id, prev_id;
	uint64_t latency;

	(void)data, (void)e;
	if (!strcmp(member, "Switched") &&
	    sd_bus_message_read(m, "ssuuts", &name, &prev, &id, &prev_id,
				&latency, &reason) >= 0) {
		if (args.json) {
			printf("{\"event\":\"switched\",\"to\":");
			json_string(stdout, name);
			printf(",\"from\":");
			json_string(stdout, prev);
			printf(",\"id\":%u,\"previous_id\":%u,\"latency_ns\":%llu,\"reason\":",
			       id, prev_id, (unsigned long long)latency);
			json_string(stdout, reason);
			printf("}\n");
		} else {
			printf("switched to=%s from=%s id=%u previous_id=%u latency_ns=%llu reason=%s\n",
			       name, prev, id, prev_id,
			       (unsigned long long)latency, reason);
		}
	} else if ((!strcmp(member, "PersonaNew") ||
		    !strcmp(member, "PersonaRemoved")) &&
		   sd_bus_message_read(m, "so", &name, &path) >= 0) {
		const char *what = member[7] == 'N' ? "new" : "removed";

		if (args.json) {
			printf("{\"event\":\"%s\",\"name\":", what);
			json_string(stdout, name);
			printf("}\n");
		} else {
			printf("%s name=%s\n", what, name);
		}
	}
	fflush(stdout);
	return 0;
}

static int on_props_changed(sd_bus_message *m, void *data, sd_bus_error *e)
{
	const char *iface;
	char *name = NULL;

	(void)data, (void)e;
	if (sd_bus_message_read(m, "s", &iface) < 0 ||
	    strcmp(iface, PERSONA_IFACE) != 0 ||
	    sd_bus_path_decode(sd_bus_message_get_path(m), PERSONA_PREFIX,
			       &name) <= 0)
		return 0;
	if (args.json) {
		printf("{\"event\":\"changed\",\"name\":");
		json_string(stdout, name);
		print_props(m, true, true, "");
		printf("}\n");
	} else {
		printf("changed name=%s", name);
		print_props(m, false, false, " ");
		printf("\n");
	}
	fflush(stdout);
	free(name);
	return 0;
}

static int cmd_monitor(void)
{
	int ret;

	ret = sd_bus_match_signal(bus, NULL, BUS_NAME, MANAGER_PATH,
				  MANAGER_IFACE, NULL, on_manager_signal, NULL);
	if (ret >= 0)
		ret = sd_bus_match_signal(bus, NULL, BUS_NAME, NULL, PROPS_IFACE,
					  "PropertiesChanged", on_props_changed,
					  NULL);
	if (ret < 0) {
		fprintf(stderr, "devnsctl: cannot subscribe: %s\n", strerror(-ret));
		return 1;
	}
	for (;;) {
		ret = sd_bus_process(bus, NULL);
		if (ret > 0)
			continue;
		if (ret >= 0)
			ret = sd_bus_wait(bus, UINT64_MAX);
		if (ret < 0) {
			fprintf(stderr, "devnsctl: monitor: %s\n", strerror(-ret));
			return 1;
		}
	}
}

int main(int argc, char **argv)
{
	char err[256];
	pid_t agent = 0;
	int ret;

	if (ctl_parse_args(argc, argv, &args, err, sizeof(err)) < 0) {
		fprintf(stderr, "devnsctl: %s (see devnsctl --help)\n", err);
		return 2;
	}
	if (args.verb == VERB_HELP || args.verb == VERB_VERSION) {
		if (args.verb == VERB_HELP)
			usage(stdout);
		else
			printf("devnsctl " DEVNS_VERSION "\n");
		ctl_args_free(&args);
		return 0;
	}
	ret = sd_bus_open_system(&bus);
	if (ret < 0) {
		fprintf(stderr, "devnsctl: cannot reach the system bus: %s\n",
			strerror(-ret));
		return 1;
	}
	/* requests polkit may want a password for (a console is root's) */
	if (args.verb != VERB_LIST && args.verb != VERB_STATUS &&
	    args.verb != VERB_SHOW && args.verb != VERB_MONITOR &&
	    args.verb != VERB_CONSOLE) {
		agent = agent_open();
		sd_bus_set_allow_interactive_authorization(bus, true);
	}
	switch (args.verb) {
	case VERB_LIST:
		ret = cmd_list();
		break;
	case VERB_STATUS:
		ret = cmd_status();
		break;
	case VERB_SWITCH:
		ret = cmd_switch();
		break;
	case VERB_START:
		ret = cmd_simple("StartPersona");
		break;
	case VERB_STOP:
		ret = cmd_simple("StopPersona");
		break;
	case VERB_ADOPT:
		ret = cmd_adopt();
		break;
	case VERB_TAG:
		ret = cmd_tag();
		break;
	case VERB_MONITOR:
		ret = cmd_monitor();
		break;
	case VERB_CONSOLE:
		ret = cmd_console();
		break;
	case VERB_SHOW:
		ret = cmd_show();
		break;
	case VERB_KILL:
		ret = cmd_kill();
		break;
	case VERB_RELOAD:
		ret = cmd_reload();
		break;
	case VERB_HELP:
	case VERB_VERSION:
		break;
	}
	agent_close(agent);
	sd_bus_flush_close_unref(bus);
	ctl_args_free(&args);
	return ret;
}
