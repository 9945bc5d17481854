// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The persona files, read at startup and again on Reload() or SIGHUP: new
 * files make personas, a stopped persona takes its file's new settings, one
 * whose file is gone goes.  A running persona keeps the settings it started
 * with (and one whose file is gone stays), with a note saying so and which
 * keys its file changed.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devnsd.h"
#include "log.h"

static void note(char ***notes, const char *fmt, ...)
{
	char *s, **more;
	size_t n = 0;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	if (!s)
		return;
	log_info("%s", s);
	if (!notes) {
		free(s);
		return;
	}
	while (*notes && (*notes)[n])
		n++;
	more = realloc(*notes, (n + 2) * sizeof(*more));
	if (!more) {
		free(s);
		return;
	}
	more[n] = s;
	more[n + 1] = NULL;
	*notes = more;
}

void notes_free(char **notes)
{
	for (size_t i = 0; notes && notes[i]; i++)
		free(notes[i]);
	free(notes);
}

static int conf_file(const struct dirent *e)
{
	size_t len = strlen(e->d_name);

	return len > 5 && strcmp(e->d_name + len - 5, ".conf") == 0;
}

/* Its settings are in use: a file may not change them now. */
static bool busy(const struct persona *p)
{
	return p->is_root || p->id != 0 || p->state == PERSONA_STARTING ||
	       p->state == PERSONA_STOPPING;
}

static bool from_file(const struct persona *p)
{
	return p->has_config || p->state == PERSONA_INVALID;
}

static void set_invalid(struct persona *p, const char *why)
{
	p->state = PERSONA_INVALID;
	snprintf(p->config_error, sizeof(p->config_error), "%s", why);
}

/* Gives @p (not busy) the settings of its file, or its error. */
static void apply(struct persona *p, struct persona_config *cfg,
		  const char *err)
{
	if (p->has_config)
		config_free(&p->cfg);
	p->has_config = cfg != NULL;
	p->config_error[0] = '\0';
	if (cfg) {
		p->cfg = *cfg;
		snprintf(p->tag, sizeof(p->tag), "%s", cfg->tag);
		if (p->state == PERSONA_INVALID)
			p->state = PERSONA_STOPPED;
	} else {
		set_invalid(p, err);
	}
	bus_persona_changed(p, "State", "Tag", "HotkeySlot", "Root", "Init",
			    "Restart", "ConfigError", NULL);
}

/* Another persona's file claims @slot. */
static struct persona *slot_owner(struct devnsd *d, struct persona *self,
				  unsigned int slot)
{
	for (struct persona *p = d->personas; slot && p; p = p->next)
		if (p != self && p->has_config && p->state != PERSONA_INVALID &&
		    p->cfg.hotkey_slot == slot)
			return p;
	return NULL;
}

static void load_one(struct devnsd *d, const char *file, int *bad,
		     char ***notes)
{
	struct persona_config cfg;
	char path[PATH_MAX], err[CONFIG_ERR_LEN], name[NAME_MAX + 1];
	struct persona *p, *other;
	bool ok;

	snprintf(path, sizeof(path), "%s/%s", d->config_dir, file);
	snprintf(name, sizeof(name), "%.*s", (int)(strlen(file) - 5), file);
	ok = config_load(path, &cfg, err, sizeof(err)) == 0;
	if (!ok) {
		(*bad)++;
		log_err("%s", err);
		if (!persona_name_valid(name))
			return;
	}
	p = persona_find(d, name);
	if (p && busy(p)) {
		char keys[CONFIG_ERR_LEN];

		if (p->is_root)
			return;
		if (!ok || !p->has_config)
			note(notes, "%s: running, keeps the settings it started with; "
			     "its file applies after it stops and devnsd reloads", name);
		else if (config_diff(&p->cfg, &cfg, keys, sizeof(keys)))
			note(notes, "%s: running, keeps the settings it started with; "
			     "its file's new %s apply after it stops and devnsd reloads",
			     name, keys);
		if (ok)
			config_free(&cfg);
		return;
	}
	if (!p) {
		p = persona_new(d, name);
		if (!p) {
			if (ok)
				config_free(&cfg);
			return;
		}
		if (notes)
			note(notes, "%s: new persona", name);
	}
	other = ok ? slot_owner(d, p, cfg.hotkey_slot) : NULL;
	apply(p, ok ? &cfg : NULL, err);
	if (other) {
		(*bad)++;
		snprintf(err, sizeof(err), "%.200s: HotkeySlot=%u is taken by '%s'",
			 path, cfg.hotkey_slot, other->name);
		set_invalid(p, err);
		log_err("%s", err);
	}
}

int personas_load(struct devnsd *d, char ***notes)
{
	struct dirent **files;
	int n = scandir(d->config_dir, &files, conf_file, alphasort), bad = 0;
	struct persona *next;

	if (n < 0) {
		if (errno != ENOENT)
			log_err("cannot read %s: %m", d->config_dir);
		n = 0;
		files = NULL;
	}
	for (struct persona *p = d->personas; p; p = next) {
		bool has_file = false;

		next = p->next;
		for (int i = 0; i < n && !has_file; i++)
			has_file = !strncmp(files[i]->d_name, p->name,
					    strlen(p->name)) &&
				   !strcmp(files[i]->d_name + strlen(p->name), ".conf");
		if (has_file || !from_file(p))
			continue;
		if (busy(p)) {
			note(notes, "%s: running, its file is gone; it stays until it stops and devnsd reloads",
			     p->name);
			continue;
		}
		note(notes, "%s: its file is gone, persona removed", p->name);
		persona_remove(p);
	}
	for (int i = 0; i < n; i++) {
		load_one(d, files[i]->d_name, &bad, notes);
		free(files[i]);
	}
	free(files);
	return bad;
}
