// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of devnsctl's argument handling and output helpers. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "../devnsctl/args.h"
#include "../devnsctl/output.h"

static struct ctl_args a;
static char err[256];

/* Parses a space-separated command line (after "devnsctl"). */
static int parse(const char *line)
{
	static char buf[512];
	char *argv[32] = { "devnsctl" }, *save, *w;
	int argc = 1;

	ctl_args_free(&a);
	err[0] = '\0';
	snprintf(buf, sizeof(buf), "%s", line);
	for (w = strtok_r(buf, " ", &save); w && argc < 31;
	     w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	argv[argc] = NULL;
	return ctl_parse_args(argc, argv, &a, err, sizeof(err));
}

static void verbs(void)
{
	EXPECT(parse("") == 0 && a.verb == VERB_LIST && a.legend && !a.json);
	EXPECT(parse("list --json") == 0 && a.verb == VERB_LIST && a.json);
	EXPECT(parse("--no-legend list") == 0 && !a.legend);
	EXPECT(parse("status") == 0 && a.verb == VERB_STATUS && a.n_names == 0);
	EXPECT(parse("status work") == 0 && a.n_names == 1 &&
	       strcmp(a.names[0], "work") == 0);
	EXPECT(parse("status root") == 0);
	EXPECT(parse("switch next") == 0 && a.verb == VERB_SWITCH);
	EXPECT(parse("switch prev") == 0);
	EXPECT(parse("switch root") == 0);
	EXPECT(parse("switch android") == 0 && strcmp(a.names[0], "android") == 0);
	EXPECT(parse("start a b c") == 0 && a.verb == VERB_START && a.n_names == 3);
	EXPECT(parse("stop a") == 0 && a.verb == VERB_STOP);
	EXPECT(parse("adopt lxc1 4242") == 0 && a.verb == VERB_ADOPT &&
	       a.pid == 4242 && a.n_names == 1 && strcmp(a.names[0], "lxc1") == 0);
	EXPECT(parse("tag work office") == 0 && a.verb == VERB_TAG &&
	       strcmp(a.tag, "office") == 0 && a.n_names == 1);
	EXPECT(parse("monitor --json") == 0 && a.verb == VERB_MONITOR && a.json);
	EXPECT(parse("console work") == 0 && a.verb == VERB_CONSOLE &&
	       a.n_names == 1 && strcmp(a.names[0], "work") == 0);
	EXPECT(parse("--help") == 0 && a.verb == VERB_HELP);
	EXPECT(parse("stop -- a") == 0 && a.n_names == 1);
	EXPECT(parse("--version") == 0 && a.verb == VERB_VERSION);
	EXPECT(parse("reload") == 0 && a.verb == VERB_RELOAD);
	EXPECT(parse("kill work") == 0 && a.verb == VERB_KILL && a.signal == 15);
	EXPECT(parse("kill work --signal KILL") == 0 && a.signal == 9);
	EXPECT(parse("kill work --signal=SIGHUP") == 0 && a.signal == 1);
	EXPECT(parse("kill -s 10 work") == 0 && a.signal == 10 &&
	       strcmp(a.names[0], "work") == 0);
	EXPECT(parse("show") == 0 && a.verb == VERB_SHOW && !a.props[0]);
	EXPECT(parse("show work -p State,Id --property Tag --value") == 0 &&
	       a.value && strcmp(a.props[0], "State") == 0 &&
	       strcmp(a.props[1], "Id") == 0 && strcmp(a.props[2], "Tag") == 0 &&
	       !a.props[3]);
}

static void expect_bad(const char *line, const char *want);

static void bad_new_verbs(void)
{
	expect_bad("kill work --signal NOPE", "'NOPE' is not a signal");
	expect_bad("kill work --signal 0", "'0' is not a signal");
	expect_bad("show -p", "-p wants property names");
	expect_bad("kill", "usage: devnsctl kill NAME [--signal SIG]");
}

static void expect_bad(const char *line, const char *want)
{
	int ret = parse(line);

	EXPECT(ret == -EINVAL);
	EXPECT(strstr(err, want) != NULL);
	if (ret != -EINVAL || !strstr(err, want))
		printf("  '%s': got '%s', want '%s'\n", line, err, want);
}

static void errors(void)
{
	expect_bad("frobnicate", "unknown command 'frobnicate'");
	expect_bad("list --bogus", "unknown option '--bogus'");
	expect_bad("list extra", "usage: devnsctl list");
	expect_bad("console", "usage: devnsctl console NAME");
	expect_bad("console root", "'root' is not a valid persona name");
	expect_bad("switch", "usage: devnsctl switch NAME|next|prev|root");
	expect_bad("switch a b", "usage: devnsctl switch");
	expect_bad("start", "usage: devnsctl start NAME...");
	expect_bad("stop root", "'root' is not a valid persona name");
	expect_bad("start ../etc", "'../etc' is not a valid persona name");
	expect_bad("status way-too-long-name-x", "is not a valid persona name");
	expect_bad("adopt x", "usage: devnsctl adopt NAME PID");
	expect_bad("adopt x 0", "'0' is not a process id");
	expect_bad("adopt x -5", "unknown option '-5'");
	expect_bad("adopt x 12ab", "'12ab' is not a process id");
	expect_bad("adopt x 99999999999", "is not a process id");
	expect_bad("adopt root 5", "'root' is not a valid persona name");
	expect_bad("tag work 1234567890123456", "a tag is 1 to 15 characters");
	expect_bad("status a b", "usage: devnsctl status [NAME]");
}

static void json_escaping(void)
{
	char buf[128] = { 0 };
	FILE *f = fmemopen(buf, sizeof(buf) - 1, "w");

	json_string(f, "a\"b\\c\nd\te\x01");
	fclose(f);
	EXPECT(strcmp(buf, "\"a\\\"b\\\\c\\nd\\te\\u0001\"") == 0);
}

static void snake(void)
{
	char out[32];

	snake_case("HotkeySlot", out, sizeof(out));
	EXPECT(strcmp(out, "hotkey_slot") == 0);
	snake_case("State", out, sizeof(out));
	EXPECT(strcmp(out, "state") == 0);
	snake_case("ConfigError", out, 8);
	EXPECT(strcmp(out, "config_") == 0 || strlen(out) < 8);
}

int main(void)
{
	RUN(verbs);
	RUN(errors);
	RUN(bad_new_verbs);
	RUN(json_escaping);
	RUN(snake);
	ctl_args_free(&a);
	return check_done();
}
