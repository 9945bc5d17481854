// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"

bool persona_name_valid(const char *name)
{
	size_t len = strlen(name);

	if (len == 0 || len > PERSONA_NAME_MAX || strcmp(name, "root") == 0)
		return false;
	return strspn(name, "abcdefghijklmnopqrstuvwxyz"
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") == len;
}

void config_free_argv(char **argv)
{
	if (!argv)
		return;
	for (char **a = argv; *a; a++)
		free(*a);
	free(argv);
}

char **config_split_argv(const char *s)
{
	size_t n = 0, len = strlen(s);
	char **argv = calloc(len / 2 + 2, sizeof(*argv));
	char *word = malloc(len + 1);

	if (!argv || !word)
		goto fail;
	while (*s) {
		size_t w = 0;
		char quote = 0;

		s += strspn(s, " \t");
		if (!*s)
			break;
		for (; *s && (quote || (*s != ' ' && *s != '\t')); s++) {
			if (quote && *s == quote)
				quote = 0;
			else if (!quote && (*s == '\'' || *s == '"'))
				quote = *s;
			else if (*s == '\\' && quote != '\'' && s[1])
				word[w++] = *++s;
			else
				word[w++] = *s;
		}
		if (quote)
			goto fail;	/* unterminated quote */
		word[w] = '\0';
		argv[n] = strdup(word);
		if (!argv[n++])
			goto fail;
	}
	free(word);
	if (n == 0) {
		free(argv);
		return NULL;
	}
	return argv;
fail:
	free(word);
	config_free_argv(argv);
	return NULL;
}

const char *restart_policy_name(enum restart_policy p)
{
	switch (p) {
	case RESTART_NO:
		return "no";
	case RESTART_ON_FAILURE:
		return "on-failure";
	case RESTART_ALWAYS:
		return "always";
	}
	return "?";
}

int config_parse_signal(const char *s)
{
	static const struct { const char *name; int sig; } names[] = {
		{ "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT },
		{ "KILL", SIGKILL }, { "USR1", SIGUSR1 }, { "USR2", SIGUSR2 },
		{ "TERM", SIGTERM }, { "PWR", SIGPWR },
	};
	unsigned int n;

	if (strncmp(s, "SIG", 3) == 0)
		s += 3;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i].name) == 0)
			return names[i].sig;
	if (strncmp(s, "RTMIN+", 6) == 0 && *(s + 6) >= '0' && *(s + 6) <= '9') {
		n = strtoul(s + 6, NULL, 10);
		return n <= (unsigned int)(SIGRTMAX - SIGRTMIN) &&
		       strspn(s + 6, "0123456789") == strlen(s + 6) ?
		       SIGRTMIN + (int)n : -1;
	}
	if (*s >= '1' && *s <= '9' && strspn(s, "0123456789") == strlen(s)) {
		n = strtoul(s, NULL, 10);
		return n < (unsigned int)NSIG ? (int)n : -1;
	}
	return -1;
}

static int parse_bool(const char *v, bool *out)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };

	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(v, yes[i]) == 0)
			return *out = true, 0;
		if (strcasecmp(v, no[i]) == 0)
			return *out = false, 0;
	}
	return -1;
}

static int parse_uint(const char *v, unsigned int min, unsigned int max,
		      unsigned int *out)
{
	char *end;
	unsigned long n;

	if (*v < '0' || *v > '9')
		return -1;
	errno = 0;
	n = strtoul(v, &end, 10);
	if (errno || *end || n < min || n > max)
		return -1;
	*out = n;
	return 0;
}

/* Seconds, signed, within an int: the kernel refuses a clock gone negative. */
static int parse_offset(const char *v, long long *out)
{
	const char *digits = *v == '-' ? v + 1 : v;
	char *end;

	if (*digits < '0' || *digits > '9')
		return -1;
	errno = 0;
	*out = strtoll(v, &end, 10);
	return errno || *end || *out < INT_MIN || *out > INT_MAX ? -1 : 0;
}

/* The words of Devices=; GPU= is kept. */
static int parse_devices(char *v, unsigned int *out)
{
	char *save, *word;

	*out &= DEVICES_GPU;
	for (word = strtok_r(v, " \t,", &save); word;
	     word = strtok_r(NULL, " \t,", &save)) {
		if (strcmp(word, "input") == 0)
			*out |= DEVICES_INPUT;
		else if (strcmp(word, "fb") == 0)
			*out |= DEVICES_FB;
		else if (strcmp(word, "led") == 0)
			*out |= DEVICES_LED;
		else if (strcmp(word, "kms") == 0)
			*out |= DEVICES_KMS;
		else if (strcmp(word, "none") != 0)
			return -1;
	}
	return 0;
}

static char *trim(char *s)
{
	char *end;

	s += strspn(s, " \t");
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		*--end = '\0';
	return s;
}

struct parser {
	const char *file;
	int line;
	char *err;
	size_t errlen;
};

__attribute__((format(printf, 2, 3)))
static int fail(struct parser *p, const char *fmt, ...)
{
	va_list ap;
	int n = p->line ? snprintf(p->err, p->errlen, "%s:%d: ", p->file, p->line)
			: snprintf(p->err, p->errlen, "%s: ", p->file);

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < p->errlen)
		vsnprintf(p->err + n, p->errlen - n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static const char *const keys[] = {
	"Root", "Init", "Tag", "HotkeySlot", "Devices", "Hostname", "Restart",
	"AutoStart", "StopTimeoutSec", "KillSignal", "PrivateUsers", "Network",
	"NoNewPrivileges", "Binder", "TimeNamespace", "TimeOffsetMonotonic",
	"TimeOffsetBoottime", "GPU", "WakeAlarm",
};
#define N_KEYS (sizeof(keys) / sizeof(keys[0]))

/* yes, no, or BASE[:COUNT]: host ids BASE.. are the persona's 0.. */
static int parse_private_users(struct parser *p, struct persona_config *c,
			       char *v)
{
	char *colon = strchr(v, ':');
	unsigned int base, count = UID_COUNT_DEFAULT;

	if (parse_bool(v, &c->private_users) == 0)
		return 0;
	if (colon)
		*colon = '\0';
	if (parse_uint(v, 1, 0xfffeffff, &base) ||
	    (colon && parse_uint(colon + 1, 1, UID_COUNT_DEFAULT, &count)) ||
	    (unsigned long)base + count > 0xffff0000UL)
		return fail(p, "PrivateUsers takes yes, no or BASE[:COUNT] "
			    "(a host id range above 0, COUNT up to %d)",
			    UID_COUNT_DEFAULT);
	c->private_users = true;
	c->uid_base = base;
	c->uid_count = count;
	return 0;
}

static int set_key(struct parser *p, struct persona_config *c, int key,
		   char *v)
{
	switch (key) {
	case 0:	/* Root */
		if (v[0] != '/')
			return fail(p, "Root must be an absolute path, not '%s'", v);
		c->root = strdup(v);
		return c->root ? 0 : -ENOMEM;
	case 1:	/* Init */
		c->init = config_split_argv(v);
		if (!c->init)
			return fail(p, "Init must be a command (quotes balanced)");
		if (c->init[0][0] != '/')
			return fail(p, "Init must start with an absolute path, not '%s'",
				    c->init[0]);
		return 0;
	case 2:	/* Tag */
		if (!*v || strlen(v) >= DEVNS_TAG_LEN)
			return fail(p, "Tag must be 1 to %d characters",
				    DEVNS_TAG_LEN - 1);
		strcpy(c->tag, v);
		return 0;
	case 3:	/* HotkeySlot */
		if (parse_uint(v, 1, DEVNS_HOTKEY_SLOT_MAX, &c->hotkey_slot))
			return fail(p, "HotkeySlot must be 1 to %d, not '%s'",
				    DEVNS_HOTKEY_SLOT_MAX, v);
		return 0;
	case 4:	/* Devices */
		if (parse_devices(v, &c->devices))
			return fail(p, "Devices takes input, fb, led, kms or none");
		return 0;
	case 5:	/* Hostname */
		if (!*v || strlen(v) >= sizeof(c->hostname))
			return fail(p, "Hostname must be 1 to %zu characters",
				    sizeof(c->hostname) - 1);
		strcpy(c->hostname, v);
		return 0;
	case 6:	/* Restart */
		if (strcmp(v, "no") == 0)
			c->restart = RESTART_NO;
		else if (strcmp(v, "on-failure") == 0)
			c->restart = RESTART_ON_FAILURE;
		else if (strcmp(v, "always") == 0)
			c->restart = RESTART_ALWAYS;
		else
			return fail(p, "Restart takes no, on-failure or always, not '%s'", v);
		return 0;
	case 7:	/* AutoStart */
		if (parse_bool(v, &c->autostart))
			return fail(p, "AutoStart takes yes or no, not '%s'", v);
		return 0;
	case 8:	/* StopTimeoutSec */
		if (parse_uint(v, 1, 3600, &c->stop_timeout_sec))
			return fail(p, "StopTimeoutSec must be 1 to 3600, not '%s'", v);
		return 0;
	case 9:	/* KillSignal */
		c->kill_signal = config_parse_signal(v);
		if (c->kill_signal <= 0)
			return fail(p, "KillSignal must be a signal, not '%s'", v);
		return 0;
	case 10:	/* PrivateUsers */
		return parse_private_users(p, c, v);
	case 11:	/* Network */
		if (strcmp(v, "host") == 0)
			c->private_network = false;
		else if (strcmp(v, "private") == 0)
			c->private_network = true;
		else
			return fail(p, "Network takes host or private, not '%s'", v);
		return 0;
	case 12:	/* NoNewPrivileges */
		if (parse_bool(v, &c->no_new_privs))
			return fail(p, "NoNewPrivileges takes yes or no, not '%s'", v);
		return 0;
	case 13:	/* Binder */
		if (parse_bool(v, &c->binder))
			return fail(p, "Binder takes yes or no, not '%s'", v);
		return 0;
	case 14:	/* TimeNamespace */
		if (parse_bool(v, &c->time_ns))
			return fail(p, "TimeNamespace takes yes or no, not '%s'", v);
		return 0;
	case 15:	/* TimeOffsetMonotonic */
	case 16:	/* TimeOffsetBoottime */
		if (parse_offset(v, key == 15 ? &c->offset_monotonic
					      : &c->offset_boottime))
			return fail(p, "%s must be a number of seconds, not '%s'",
				    keys[key], v);
		return 0;
	case 17:	/* GPU */
		if (strcmp(v, "share") == 0)
			c->devices |= DEVICES_GPU;
		else if (strcmp(v, "none") == 0)
			c->devices &= ~DEVICES_GPU;
		else
			return fail(p, "GPU takes share or none, not '%s'", v);
		return 0;
	case 18:	/* WakeAlarm */
		if (parse_bool(v, &c->wake_alarm))
			return fail(p, "WakeAlarm takes yes or no, not '%s'", v);
		return 0;
	}
	return -EINVAL;
}

static int parse_lines(struct parser *p, char *text, struct persona_config *c)
{
	bool seen[N_KEYS] = { false }, in_section = false;
	char *line, *next;
	int err;

	for (line = text, p->line = 1; line; line = next, p->line++) {
		char *eq, *k, *v;
		size_t i;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		line = trim(line);
		if (!*line || *line == '#' || *line == ';')
			continue;
		if (*line == '[') {
			if (strcmp(line, "[Persona]") != 0)
				return fail(p, "unknown section '%s'", line);
			in_section = true;
			continue;
		}
		if (!in_section)
			return fail(p, "expected [Persona] before '%s'", line);
		eq = strchr(line, '=');
		if (!eq)
			return fail(p, "expected Key=Value, not '%s'", line);
		*eq = '\0';
		k = trim(line);
		v = trim(eq + 1);
		for (i = 0; i < N_KEYS && strcmp(k, keys[i]) != 0; i++)
			;
		if (i == N_KEYS)
			return fail(p, "unknown key '%s'", k);
		if (seen[i])
			return fail(p, "%s given twice", k);
		seen[i] = true;
		err = set_key(p, c, i, v);
		if (err)
			return err;
	}
	p->line = 0;
	if (!c->init)
		return fail(p, "Init= is missing");
	if (!c->root)
		return fail(p, "Root= is missing");
	if ((c->offset_monotonic || c->offset_boottime) && !c->time_ns)
		return fail(p, "TimeOffset%s= needs TimeNamespace=yes",
			    c->offset_monotonic ? "Monotonic" : "Boottime");
	return 0;
}

int config_parse(const char *name, const char *file, const char *text,
		 struct persona_config *out, char *err, size_t errlen)
{
	struct parser p = { .file = file, .err = err, .errlen = errlen };
	char *copy;
	int ret;

	memset(out, 0, sizeof(*out));
	if (!persona_name_valid(name))
		return fail(&p, "'%s' is not a valid persona name (1 to %d of "
			    "A-Z a-z 0-9 _ -, not \"root\")", name,
			    PERSONA_NAME_MAX);
	strcpy(out->name, name);
	strcpy(out->tag, name);
	snprintf(out->hostname, sizeof(out->hostname), "%s", name);
	out->devices = DEVICES_ALL;
	out->stop_timeout_sec = 90;
	out->kill_signal = SIGRTMIN + 3;
	out->private_users = true;
	out->uid_count = UID_COUNT_DEFAULT;

	copy = strdup(text);
	if (!copy)
		return -ENOMEM;
	ret = parse_lines(&p, copy, out);
	free(copy);
	if (ret)
		config_free(out);
	return ret;
}

int config_load(const char *path, struct persona_config *out, char *err,
		size_t errlen)
{
	const char *base = strrchr(path, '/');
	char name[NAME_MAX + 1], *text;
	size_t len;
	FILE *f;
	int ret;

	base = base ? base + 1 : path;
	len = strlen(base);
	if (len < 6 || strcmp(base + len - 5, ".conf") != 0) {
		snprintf(err, errlen, "%s: not a .conf file", path);
		return -EINVAL;
	}
	snprintf(name, sizeof(name), "%.*s", (int)(len - 5), base);

	f = fopen(path, "re");
	if (!f) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return ret;
	}
	text = calloc(1, 65537);
	len = text ? fread(text, 1, 65536, f) : 0;
	ret = text && ferror(f) ? -EIO : 0;
	if (text && !ret && !feof(f)) {
		snprintf(err, errlen, "%s: larger than 64 KiB", path);
		ret = -EFBIG;
	}
	fclose(f);
	if (!text)
		return -ENOMEM;
	if (!ret && memchr(text, '\0', len)) {
		snprintf(err, errlen, "%s: not a text file", path);
		ret = -EINVAL;
	}
	if (!ret)
		ret = config_parse(name, path, text, out, err, errlen);
	else if (ret == -EIO)
		snprintf(err, errlen, "%s: read error", path);
	free(text);
	return ret;
}

void config_free(struct persona_config *cfg)
{
	free(cfg->root);
	config_free_argv(cfg->init);
	cfg->root = NULL;
	cfg->init = NULL;
}

static bool same_argv(char **a, char **b)
{
	for (; a && b && *a && *b; a++, b++)
		if (strcmp(*a, *b))
			return false;
	return (!a || !*a) == (!b || !*b);
}

int config_diff(const struct persona_config *a, const struct persona_config *b,
		char *buf, size_t len)
{
	/* as keys[] */
	const bool differs[] = {
		strcmp(a->root, b->root) != 0,
		!same_argv(a->init, b->init),
		strcmp(a->tag, b->tag) != 0,
		a->hotkey_slot != b->hotkey_slot,
		(a->devices & DEVICES_ALL) != (b->devices & DEVICES_ALL),
		strcmp(a->hostname, b->hostname) != 0,
		a->restart != b->restart,
		a->autostart != b->autostart,
		a->stop_timeout_sec != b->stop_timeout_sec,
		a->kill_signal != b->kill_signal,
		a->private_users != b->private_users ||
			a->uid_base != b->uid_base || a->uid_count != b->uid_count,
		a->private_network != b->private_network,
		a->no_new_privs != b->no_new_privs,
		a->binder != b->binder,
		a->time_ns != b->time_ns,
		a->offset_monotonic != b->offset_monotonic,
		a->offset_boottime != b->offset_boottime,
		(a->devices & DEVICES_GPU) != (b->devices & DEVICES_GPU),
		a->wake_alarm != b->wake_alarm,
	};
	_Static_assert(sizeof(differs) == N_KEYS, "a line per key");
	size_t used = 0;
	int n = 0;

	if (len)
		buf[0] = '\0';
	for (size_t i = 0; i < N_KEYS; i++) {
		if (!differs[i])
			continue;
		if (used < len)
			used += snprintf(buf + used, len - used, "%s%s",
					 n ? ", " : "", keys[i]);
		n++;
	}
	return n;
}
