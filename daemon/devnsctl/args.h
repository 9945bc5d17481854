/* SPDX-License-Identifier: GPL-2.0-or-later */
/* devnsctl's command line, checked before anything talks to devnsd. */
#ifndef DEVNSCTL_ARGS_H
#define DEVNSCTL_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ctl_verb {
	VERB_HELP,
	VERB_LIST,
	VERB_STATUS,	/* names[0] or, with none, the active persona */
	VERB_SWITCH,	/* names[0]: a persona, "root", "next" or "prev" */
	VERB_START,	/* names... */
	VERB_STOP,	/* names... */
	VERB_ADOPT,	/* names[0], pid */
	VERB_TAG,	/* names[0], tag */
	VERB_MONITOR,
	VERB_CONSOLE,	/* names[0] */
	VERB_VERSION,
	VERB_SHOW,	/* names[0] or, with none, the manager; props, value */
	VERB_KILL,	/* names[0], signal */
	VERB_RELOAD,
};

#define CTL_MAX_PROPS 32

struct ctl_args {
	enum ctl_verb verb;
	bool json;
	bool legend;
	char **names;
	int n_names;
	uint32_t pid;
	const char *tag;
	int signal;		/* kill's, SIGTERM by default */
	const char *props[CTL_MAX_PROPS + 1];	/* show -p, NULL-terminated */
	bool value;		/* show --value */
	char **operands;	/* storage behind names */
};

/* 0, or -EINVAL with the reason in err.  Free with ctl_args_free(). */
int ctl_parse_args(int argc, char **argv, struct ctl_args *a, char *err,
		   size_t errlen);
void ctl_args_free(struct ctl_args *a);

#endif
