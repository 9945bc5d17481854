// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * devnsd: the persona manager.  Loads the personas' configuration files,
 * rebuilds its view from the kernel (which keeps every devns across a
 * daemon restart), serves org.devns.Manager1 on the system bus and turns
 * the kernel's hotkey announcements into switches.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/signalfd.h>
#include <libudev.h>
#include <systemd/sd-daemon.h>

#include "alarm.h"
#include "console.h"
#include "devnsd.h"
#include "fdstore.h"
#include "log.h"

#define DEFAULT_CONFIG_DIR "/etc/devns/personas.d"
#define DEFAULT_STATE_FILE "/run/devns/state"

static void usage(FILE *f)
{
	fprintf(f,
"usage: devnsd [--config-dir DIR] [--state-file FILE] [--check-config]\n"
"\n"
"The devns persona manager (D-Bus service " DEVNSD_BUS_NAME ").\n"
"  --config-dir DIR    persona files NAME.conf (default " DEFAULT_CONFIG_DIR ")\n"
"  --state-file FILE   names of running personas (default " DEFAULT_STATE_FILE ")\n"
"  --check-config      check the persona files, print problems, exit\n"
"                      (status 1 if any file is bad)\n");
}

static bool registered(const struct persona *p)
{
	return p->is_root || p->id != 0;
}

/*
 * The record for a devns found in the kernel: the name the state file
 * gave it, else (at startup) the configuration carrying its tag, else its
 * tag, else "devns<id>".
 */
static struct persona *persona_for(struct devnsd *d,
				   const struct devns_info *info, uint64_t start,
				   bool by_tag)
{
	char name[PERSONA_NAME_MAX + 1];
	struct persona *p;

	if (state_lookup(d->state_file, info->id, info->pid, start, name,
			 sizeof(name))) {
		p = persona_find(d, name);
		if (!p)
			return persona_new(d, name);
		if (!registered(p) && p->state != PERSONA_INVALID)
			return p;
	}
	for (p = d->personas; by_tag && p; p = p->next)
		if (p->has_config && !registered(p) &&
		    p->state != PERSONA_INVALID && !strcmp(p->cfg.tag, info->tag))
			return p;
	if (persona_name_valid(info->tag) && !persona_find(d, info->tag))
		return persona_new(d, info->tag);
	snprintf(name, sizeof(name), "devns%u", info->id);
	p = persona_find(d, name);
	return p ? (registered(p) ? NULL : p) : persona_new(d, name);
}

/*
 * The device of the file system on PID's /dev (the last mount there), read
 * from its mountinfo: looking at the path could enter a FUSE mount.
 */
static dev_t dev_of_dev(pid_t pid)
{
	char path[64], line[1024];
	unsigned int major, minor;
	dev_t dev = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/mountinfo", pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		char point[16];

		if (sscanf(line, "%*u %*u %u:%u %*s %15s", &major, &minor,
			   point) == 3 && !strcmp(point, "/dev"))
			dev = makedev(major, minor);
	}
	fclose(f);
	return dev;
}

/*
 * What the service manager kept for a persona we started before a restart:
 * its /dev (if still the one its init sees), console and wake-alarm
 * listener (its calls wait for us meanwhile).
 */
static void take_stored(struct persona *p)
{
	int devfd = fdstore_take("dev", p->name);
	int console = fdstore_take("console", p->name);
	int alarm = fdstore_take("alarm", p->name);
	struct stat st;

	if (devfd >= 0 && (fstat(devfd, &st) < 0 ||
			   st.st_dev != dev_of_dev(p->pid) ||
			   !pidfd_alive(p->pidfd))) {
		close(devfd);
		devfd = -1;
	}
	if (devfd < 0) {
		if (console >= 0)
			close(console);
		if (alarm >= 0)
			close(alarm);
		return;
	}
	if (alarm >= 0)
		alarm_broker_start(p->name, alarm);
	p->devfd = devfd;
	p->root_uid = st.st_uid;	/* its /dev's owner */
	if (console >= 0 && console_attach(p, console, false) < 0)
		log_err("%s: its console is not logged", p->name);
}

static void attach_devns(struct devnsd *d, const struct devns_info *info,
			 bool startup)
{
	int pidfd = devns_init_pidfd(d, info);
	uint64_t start;
	struct persona *p;

	/* gone already (its DEL follows), or its pid another's by now */
	if (pidfd < 0) {
		log_err("devns%u: cannot watch init %u: %s", info->id, info->pid,
			strerror(-pidfd));
		return;
	}
	if (proc_start_time(info->pid, &start) < 0 || !pidfd_alive(pidfd))
		start = 0;
	p = persona_for(d, info, start, startup);
	if (!p) {
		log_err("devns%u: no name left for it", info->id);
		close(pidfd);
		return;
	}
	if (persona_watch(p, info->pid, false, pidfd) < 0) {
		log_err("%s: cannot watch init %u", p->name, info->pid);
		return;
	}
	p->id = info->id;
	snprintf(p->tag, sizeof(p->tag), "%s", info->tag);
	p->state = PERSONA_RUNNING;
	p->adopted = !p->has_config;
	if (!p->adopted)
		take_stored(p);
	log_info("%s: found devns%u, init %u", p->name, p->id, info->pid);
	bus_persona_changed(p, "State", "Id", "Leader", "Tag", "Adopted", NULL);
}

/* Brings our records in line with the kernel's list. */
static int sync_from_kernel(struct devnsd *d, bool startup)
{
	struct devns_info *v;
	int n = devns_nl_list(d->nl, &v);

	if (n < 0) {
		log_err("cannot list the device namespaces: %s", strerror(-n));
		return n;
	}
	for (struct persona *p = d->personas; p; p = p->next) {
		bool found = p->is_root;

		for (int i = 0; i < n && !found; i++)
			found = v[i].id == p->id;
		if (!found && p->id) {
			p->id = 0;
			bus_persona_changed(p, "Id", NULL);
		}
	}
	for (int i = 0; i < n; i++) {
		if (v[i].id == DEVNS_ROOT_ID) {
			d->personas->pid = v[i].pid;
			snprintf(d->personas->tag, sizeof(d->personas->tag), "%s",
				 v[i].tag);
		} else if (!persona_find_id(d, v[i].id)) {
			attach_devns(d, &v[i], startup);
		}
		if (v[i].active)
			persona_set_active(d, v[i].id);
	}
	free(v);
	state_save(d);
	return 0;
}

static void switch_to_slot(struct devnsd *d, uint32_t slot)
{
	struct persona *target = NULL;
	int ret;

	if (slot == DEVNS_HOTKEY_SLOT_ROOT)
		target = d->personas;
	for (struct persona *p = d->personas; !target && p; p = p->next)
		if (p->has_config && p->cfg.hotkey_slot == slot)
			target = p;
	if (!target) {
		log_info("hotkey slot %u: no persona has it", slot);
		return;
	}
	if (!registered(target)) {
		log_info("hotkey slot %u: %s is not running", slot, target->name);
		return;
	}
	ret = devns_nl_switch(d->nl, target->id);
	if (ret)
		log_err("hotkey slot %u: switch to %s: %s", slot, target->name,
			strerror(-ret));
}

static void on_kernel_event(const struct devns_event *ev, void *data)
{
	struct devnsd *d = data;
	struct persona *p;

	switch (ev->cmd) {
	case DEVNS_CMD_NEW:
		if (!persona_find_id(d, ev->ns.id)) {
			attach_devns(d, &ev->ns, false);
			state_save(d);
		}
		break;
	case DEVNS_CMD_DEL:
		p = persona_find_id(d, ev->ns.id);
		if (!p)
			break;
		log_info("%s: devns%u went away (%s)", p->name, ev->ns.id,
			 devns_reason_name(ev->reason));
		p->id = 0;
		if (p->active) {
			p->active = false;
			bus_persona_changed(p, "Active", NULL);
		}
		bus_persona_changed(p, "Id", NULL);
		state_save(d);
		break;
	case DEVNS_CMD_SWITCHED:
		persona_set_active(d, ev->ns.id);
		bus_emit_switched(d, ev);
		break;
	case DEVNS_CMD_HOTKEY:
		switch_to_slot(d, ev->slot);
		break;
	}
}

static int on_kernel_readable(sd_event_source *s, int fd, uint32_t revents,
			      void *data)
{
	struct devnsd *d = data;
	int ret;

	(void)s, (void)fd, (void)revents;
	ret = devns_monitor_dispatch(d->mon, on_kernel_event, d);
	if (ret == -ENOBUFS) {
		log_err("kernel events were lost; re-reading the state");
		sync_from_kernel(d, false);
	} else if (ret < 0) {
		log_err("kernel events: %s", strerror(-ret));
	}
	return 0;
}

static int on_sighup(sd_event_source *s, const struct signalfd_siginfo *si,
		     void *data)
{
	char **notes = NULL;

	(void)s, (void)si;
	log_info("SIGHUP: reloading %s", ((struct devnsd *)data)->config_dir);
	personas_load(data, &notes);
	notes_free(notes);
	return 0;
}

static int check_config(struct devnsd *d)
{
	int bad = personas_load(d, NULL), good = 0;

	for (struct persona *p = d->personas; p; p = p->next)
		good += p->has_config && p->state != PERSONA_INVALID;
	printf("%d persona%s ok, %d bad file%s\n", good, good == 1 ? "" : "s",
	       bad, bad == 1 ? "" : "s");
	return bad ? 1 : 0;
}

static int run(struct devnsd *d)
{
	struct persona *root;
	sigset_t mask;
	int ret;

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	if (sd_event_default(&d->event) < 0 ||
	    sd_event_add_signal(d->event, NULL, SIGTERM, NULL, NULL) < 0 ||
	    sd_event_add_signal(d->event, NULL, SIGINT, NULL, NULL) < 0 ||
	    sd_event_add_signal(d->event, NULL, SIGHUP, on_sighup, d) < 0)
		return 1;

	ret = devns_nl_open(&d->nl);
	if (!ret)
		ret = devns_monitor_open(&d->mon);
	if (ret) {
		log_err("cannot reach the devns kernel family: %s%s", strerror(-ret),
			ret == -ENOENT ? " (is devns_core loaded?)" : "");
		return 1;
	}
	d->udev = udev_new();
	if (!d->udev || sd_event_add_io(d->event, NULL, devns_monitor_fd(d->mon),
					EPOLLIN, on_kernel_readable, d) < 0)
		return 1;
	if (hotplug_setup(d) < 0)
		log_err("cannot watch devices: personas miss hot-plugged ones");
	if (bus_setup(d) < 0)
		return 1;

	root = persona_new(d, "root");
	if (!root)
		return 1;
	root->is_root = true;
	root->state = PERSONA_RUNNING;
	personas_load(d, NULL);
	fdstore_load();
	/* subscribed first, so nothing falls between the list and the events */
	if (sync_from_kernel(d, true) < 0)
		return 1;
	fdstore_release_rest();

	ret = sd_bus_request_name(d->bus, DEVNSD_BUS_NAME, 0);
	if (ret < 0) {
		log_err("cannot own %s: %s", DEVNSD_BUS_NAME, strerror(-ret));
		return 1;
	}
	for (struct persona *p = d->personas; p; p = p->next) {
		sd_bus_error error = SD_BUS_ERROR_NULL;

		if (p->has_config && p->cfg.autostart && !registered(p) &&
		    p->state != PERSONA_INVALID)
			persona_start(p, NULL, &error);
		sd_bus_error_free(&error);
	}
	sd_notify(0, "READY=1");
	log_info("ready");
	ret = sd_event_loop(d->event);
	log_info("exiting; personas keep running");
	return ret < 0 ? 1 : 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config-dir", required_argument, NULL, 'c' },
		{ "state-file", required_argument, NULL, 's' },
		{ "check-config", no_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct devnsd d = {
		.config_dir = DEFAULT_CONFIG_DIR,
		.state_file = DEFAULT_STATE_FILE,
	};
	bool check = false;
	int opt;

	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			d.config_dir = optarg;
			break;
		case 's':
			d.state_file = optarg;
			break;
		case 'C':
			check = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "devnsd: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	return check ? check_config(&d) : run(&d);
}
