// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "../devnsd/config.h"

static const struct {
	const char *name;
	enum ctl_verb verb;
	int min, max;		/* operands */
	const char *usage;
} verbs[] = {
	{ "list", VERB_LIST, 0, 0, "list" },
	{ "status", VERB_STATUS, 0, 1, "status [NAME]" },
	{ "switch", VERB_SWITCH, 1, 1, "switch NAME|next|prev|root" },
	{ "start", VERB_START, 1, 64, "start NAME..." },
	{ "stop", VERB_STOP, 1, 64, "stop NAME..." },
	{ "adopt", VERB_ADOPT, 2, 2, "adopt NAME PID" },
	{ "tag", VERB_TAG, 2, 2, "tag NAME TAG" },
	{ "monitor", VERB_MONITOR, 0, 0, "monitor" },
	{ "console", VERB_CONSOLE, 1, 1, "console NAME" },
	{ "show", VERB_SHOW, 0, 1, "show [NAME] [-p PROP]... [--value]" },
	{ "kill", VERB_KILL, 1, 1, "kill NAME [--signal SIG]" },
	{ "reload", VERB_RELOAD, 0, 0, "reload" },
	{ "help", VERB_HELP, 0, 0, "help" },
};

__attribute__((format(printf, 3, 4)))
static int bad(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* SIG: a number, or a name with or without "SIG" (TERM, SIGKILL). */
static int parse_signal(const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);

	if (*s && !*end)
		return n > 0 && n < _NSIG ? (int)n : -EINVAL;
	if (!strncmp(s, "SIG", 3))
		s += 3;
	for (int i = 1; i < SIGRTMIN; i++)
		if (sigabbrev_np(i) && !strcmp(s, sigabbrev_np(i)))
			return i;
	return -EINVAL;
}

/* -p A,B or --property=A: names to show. */
static int add_props(struct ctl_args *a, char *list)
{
	int n = 0;

	while (a->props[n])
		n++;
	for (char *save, *w = strtok_r(list, ",", &save); w;
	     w = strtok_r(NULL, ",", &save)) {
		if (n == CTL_MAX_PROPS)
			return -E2BIG;
		a->props[n++] = w;
	}
	return 0;
}

/* The value of option @opt at argv[*i]: "--opt=V", or the next word. */
static const char *opt_value(int argc, char **argv, int *i, const char *opt)
{
	size_t len = strlen(opt);

	if (!strncmp(argv[*i], opt, len) && argv[*i][len] == '=')
		return argv[*i] + len + 1;
	if (strcmp(argv[*i], opt))
		return NULL;
	return ++*i < argc ? argv[*i] : "";
}

/* Persona names as devnsd allows them; "root" only where it means the host. */
static bool name_ok(const char *name, bool root_ok)
{
	return persona_name_valid(name) || (root_ok && strcmp(name, "root") == 0);
}

int ctl_parse_args(int argc, char **argv, struct ctl_args *a, char *err,
		   size_t errlen)
{
	int i, v, n = 0;
	const char *val;
	char **ops;

	memset(a, 0, sizeof(*a));
	a->legend = true;
	a->signal = SIGTERM;
	ops = calloc(argc + 1, sizeof(*ops));
	if (!ops)
		return -ENOMEM;
	a->names = a->operands = ops;
	/* Options may come anywhere; "--" ends them. */
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			while (++i < argc)
				ops[n++] = argv[i];
		} else if (strcmp(argv[i], "--json") == 0) {
			a->json = true;
		} else if (strcmp(argv[i], "--no-legend") == 0) {
			a->legend = false;
		} else if (strcmp(argv[i], "--version") == 0) {
			a->verb = VERB_VERSION;
			return 0;
		} else if (strcmp(argv[i], "--value") == 0) {
			a->value = true;
		} else if ((val = opt_value(argc, argv, &i, "-p")) ||
			   (val = opt_value(argc, argv, &i, "--property"))) {
			if (!*val || add_props(a, (char *)val) < 0)
				return bad(err, errlen, "-p wants property names");
		} else if ((val = opt_value(argc, argv, &i, "--signal")) ||
			   (val = opt_value(argc, argv, &i, "-s"))) {
			a->signal = parse_signal(val);
			if (a->signal < 0)
				return bad(err, errlen, "'%s' is not a signal", val);
		} else if (strcmp(argv[i], "-h") == 0 ||
			   strcmp(argv[i], "--help") == 0) {
			a->verb = VERB_HELP;
			return 0;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return bad(err, errlen, "unknown option '%s'", argv[i]);
		} else {
			ops[n++] = argv[i];
		}
	}
	if (n == 0) {
		a->verb = VERB_LIST;	/* like loginctl */
		return 0;
	}
	for (v = 0; v < (int)(sizeof(verbs) / sizeof(verbs[0])); v++)
		if (strcmp(ops[0], verbs[v].name) == 0)
			break;
	if (v == (int)(sizeof(verbs) / sizeof(verbs[0])))
		return bad(err, errlen, "unknown command '%s'", ops[0]);
	a->verb = verbs[v].verb;
	a->names = ops + 1;
	a->n_names = n - 1;
	if (a->n_names < verbs[v].min || a->n_names > verbs[v].max)
		return bad(err, errlen, "usage: devnsctl %s", verbs[v].usage);

	switch (a->verb) {
	case VERB_ADOPT: {
		char *end;
		unsigned long pid = strtoul(a->names[1], &end, 10);

		if (a->names[1][0] < '1' || a->names[1][0] > '9' || *end ||
		    pid > 0x7fffffff)
			return bad(err, errlen, "'%s' is not a process id",
				   a->names[1]);
		a->pid = pid;
		a->n_names = 1;
		break;
	}
	case VERB_TAG:
		a->tag = a->names[1];
		if (!*a->tag || strlen(a->tag) >= DEVNS_TAG_LEN)
			return bad(err, errlen, "a tag is 1 to %d characters",
				   DEVNS_TAG_LEN - 1);
		a->n_names = 1;
		break;
	default:
		break;
	}
	for (i = 0; i < a->n_names; i++) {
		bool special = a->verb == VERB_SWITCH &&
			(!strcmp(a->names[i], "next") || !strcmp(a->names[i], "prev"));
		bool root_ok = a->verb == VERB_SWITCH || a->verb == VERB_STATUS ||
			       a->verb == VERB_TAG || a->verb == VERB_SHOW;

		if (!special && !name_ok(a->names[i], root_ok))
			return bad(err, errlen, "'%s' is not a valid persona name",
				   a->names[i]);
	}
	return 0;
}

void ctl_args_free(struct ctl_args *a)
{
	free(a->operands);
	a->operands = a->names = NULL;
}
