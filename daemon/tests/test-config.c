// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of devnsd's persona configuration parser. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "../devnsd/config.h"

static struct persona_config cfg;
static char err[CONFIG_ERR_LEN];

static int parse(const char *name, const char *text)
{
	err[0] = '\0';
	config_free(&cfg);
	return config_parse(name, "x.conf", text, &cfg, err, sizeof(err));
}

static void full_file(void)
{
	EXPECT(parse("work",
		     "# a comment\n"
		     "\n"
		     "[Persona]\n"
		     "Root = /var/lib/devns/work\n"
		     "Init=/sbin/init --log 'a b' \"c d\" e\\ f\n"
		     "Tag=work-tag\n"
		     "HotkeySlot=2\n"
		     "Devices=input, led\n"
		     "Hostname=office\n"
		     "Restart=on-failure\n"
		     "AutoStart=yes\n"
		     "StopTimeoutSec=9\n"
		     "KillSignal=SIGTERM\n"
		     "PrivateUsers=1048576:4096\n"
		     "Network=private\n"
		     "NoNewPrivileges=yes\n"
		     "Binder=yes\n"
		     "TimeNamespace=yes\n"
		     "TimeOffsetMonotonic=-60\n"
		     "TimeOffsetBoottime=86400\n"
		     "WakeAlarm=yes\n") == 0);
	EXPECT(strcmp(cfg.name, "work") == 0);
	EXPECT(strcmp(cfg.root, "/var/lib/devns/work") == 0);
	EXPECT(cfg.init && strcmp(cfg.init[0], "/sbin/init") == 0);
	EXPECT(cfg.init && strcmp(cfg.init[1], "--log") == 0);
	EXPECT(cfg.init && strcmp(cfg.init[2], "a b") == 0);
	EXPECT(cfg.init && strcmp(cfg.init[3], "c d") == 0);
	EXPECT(cfg.init && strcmp(cfg.init[4], "e f") == 0);
	EXPECT(cfg.init && cfg.init[5] == NULL);
	EXPECT(strcmp(cfg.tag, "work-tag") == 0);
	EXPECT(cfg.hotkey_slot == 2);
	EXPECT(cfg.devices == (DEVICES_INPUT | DEVICES_LED));
	EXPECT(strcmp(cfg.hostname, "office") == 0);
	EXPECT(cfg.restart == RESTART_ON_FAILURE);
	EXPECT(cfg.autostart);
	EXPECT(cfg.stop_timeout_sec == 9);
	EXPECT(cfg.kill_signal == SIGTERM);
	EXPECT(cfg.private_users && cfg.uid_base == 1048576 && cfg.uid_count == 4096);
	EXPECT(cfg.private_network);
	EXPECT(cfg.no_new_privs);
	EXPECT(cfg.binder && cfg.time_ns);
	EXPECT(cfg.offset_monotonic == -60 && cfg.offset_boottime == 86400);
	EXPECT(cfg.wake_alarm);
}

static void defaults(void)
{
	EXPECT(parse("kiosk", "[Persona]\nRoot=/\nInit=/bin/sh\n") == 0);
	EXPECT(strcmp(cfg.tag, "kiosk") == 0);
	EXPECT(strcmp(cfg.hostname, "kiosk") == 0);
	EXPECT(cfg.hotkey_slot == 0);
	EXPECT(cfg.devices == DEVICES_ALL);
	EXPECT(cfg.restart == RESTART_NO);
	EXPECT(!cfg.autostart);
	EXPECT(cfg.stop_timeout_sec == 90);
	EXPECT(cfg.kill_signal == SIGRTMIN + 3);
	EXPECT(cfg.private_users && cfg.uid_base == 0 && cfg.uid_count == 65536);
	EXPECT(!cfg.private_network);
	EXPECT(!cfg.no_new_privs);
	EXPECT(!cfg.binder && !cfg.time_ns);
	EXPECT(!cfg.wake_alarm);
	EXPECT(parse("t", "[Persona]\nRoot=/\nInit=/bin/sh\nPrivateUsers=no\n") == 0);
	EXPECT(!cfg.private_users);
}

static void signals(void)
{
	EXPECT(config_parse_signal("SIGRTMIN+3") == SIGRTMIN + 3);
	EXPECT(config_parse_signal("RTMIN+0") == SIGRTMIN);
	EXPECT(config_parse_signal("TERM") == SIGTERM);
	EXPECT(config_parse_signal("9") == SIGKILL);
	EXPECT(config_parse_signal("SIGRTMIN+99") == -1);
	EXPECT(config_parse_signal("RTMIN+3x") == -1);
	EXPECT(config_parse_signal("SIGFOO") == -1);
	EXPECT(config_parse_signal("0") == -1);
}

static void devices_none(void)
{
	EXPECT(parse("a", "[Persona]\nRoot=/\nInit=/bin/sh\nDevices=none\n") == 0);
	EXPECT(cfg.devices == 0);
}

/* GPU=share adds the render nodes whatever comes first, Devices= or GPU=. */
static void devices_kms_gpu(void)
{
	EXPECT(parse("a", "[Persona]\nRoot=/\nInit=/bin/sh\nGPU=share\nDevices=kms\n") == 0);
	EXPECT(cfg.devices == (DEVICES_KMS | DEVICES_GPU));
	EXPECT(parse("a", "[Persona]\nRoot=/\nInit=/bin/sh\nDevices=fb kms\nGPU=share\n") == 0);
	EXPECT(cfg.devices == (DEVICES_FB | DEVICES_KMS | DEVICES_GPU));
	EXPECT(parse("a", "[Persona]\nRoot=/\nInit=/bin/sh\nGPU=none\n") == 0);
	EXPECT(cfg.devices == DEVICES_ALL);
}

/* Each bad file fails with "FILE:LINE: why". */
static void expect_error(const char *text, const char *want)
{
	int ret = parse("bad", text);

	EXPECT(ret == -EINVAL);
	EXPECT(strstr(err, want) != NULL);
	if (ret != -EINVAL || !strstr(err, want))
		printf("  got '%s', want '%s'\n", err, want);
}

static void errors(void)
{
	expect_error("[Persona]\nRoot=/\nInit=/bin/sh\nFoo=1\n",
		     "x.conf:4: unknown key 'Foo'");
	expect_error("Root=/\n", "x.conf:1: expected [Persona] before 'Root=/'");
	expect_error("[Other]\n", "x.conf:1: unknown section '[Other]'");
	expect_error("[Persona]\n\n\njunk\n", "x.conf:4: expected Key=Value, not 'junk'");
	expect_error("[Persona]\nRoot=relative\n", "x.conf:2: Root must be an absolute path");
	expect_error("[Persona]\nRoot=/\n", "x.conf: Init= is missing");
	expect_error("[Persona]\nInit=/bin/sh\n", "x.conf: Root= is missing");
	expect_error("[Persona]\nInit=\n", "x.conf:2: Init must be a command");
	expect_error("[Persona]\nInit=/bin/sh 'open\n", "x.conf:2: Init must be a command");
	expect_error("[Persona]\nInit=sh\n", "x.conf:2: Init must start with an absolute path");
	expect_error("[Persona]\nTag=1234567890123456\n", "x.conf:2: Tag must be 1 to 15");
	expect_error("[Persona]\nHotkeySlot=0\n", "x.conf:2: HotkeySlot must be 1 to 31");
	expect_error("[Persona]\nHotkeySlot=32\n", "HotkeySlot must be 1 to 31");
	expect_error("[Persona]\nHotkeySlot=-1\n", "HotkeySlot must be 1 to 31");
	expect_error("[Persona]\nHotkeySlot=1x\n", "HotkeySlot must be 1 to 31");
	expect_error("[Persona]\nDevices=input gpu\n", "x.conf:2: Devices takes input, fb, led, kms or none");
	expect_error("[Persona]\nGPU=yes\n", "x.conf:2: GPU takes share or none, not 'yes'");
	expect_error("[Persona]\nRestart=sometimes\n", "Restart takes no, on-failure or always");
	expect_error("[Persona]\nAutoStart=maybe\n", "AutoStart takes yes or no");
	expect_error("[Persona]\nStopTimeoutSec=0\n", "StopTimeoutSec must be 1 to 3600");
	expect_error("[Persona]\nTag=a\nTag=b\n", "x.conf:3: Tag given twice");
	expect_error("[Persona]\nKillSignal=SIGNOPE\n", "KillSignal must be a signal");
	expect_error("[Persona]\nPrivateUsers=maybe\n", "PrivateUsers takes yes, no or BASE");
	expect_error("[Persona]\nPrivateUsers=100000:70000\n", "PrivateUsers takes yes, no or BASE");
	expect_error("[Persona]\nNetwork=none\n", "Network takes host or private");
	expect_error("[Persona]\nNoNewPrivileges=perhaps\n", "NoNewPrivileges takes yes or no");
	expect_error("[Persona]\nBinder=some\n", "x.conf:2: Binder takes yes or no");
	expect_error("[Persona]\nWakeAlarm=1s\n", "x.conf:2: WakeAlarm takes yes or no");
	expect_error("[Persona]\nTimeNamespace=2\n", "TimeNamespace takes yes or no");
	expect_error("[Persona]\nTimeOffsetBoottime=1h\n",
		     "x.conf:2: TimeOffsetBoottime must be a number of seconds");
	expect_error("[Persona]\nTimeOffsetMonotonic=-\n",
		     "TimeOffsetMonotonic must be a number of seconds");
	expect_error("[Persona]\nTimeOffsetMonotonic=99999999999\n",
		     "TimeOffsetMonotonic must be a number of seconds");
	expect_error("[Persona]\nRoot=/\nInit=/bin/sh\nTimeOffsetBoottime=5\n",
		     "x.conf: TimeOffsetBoottime= needs TimeNamespace=yes");
}

static void names(void)
{
	EXPECT(persona_name_valid("android"));
	EXPECT(persona_name_valid("a-b_C9"));
	EXPECT(persona_name_valid("123456789012345"));
	EXPECT(!persona_name_valid("1234567890123456"));
	EXPECT(!persona_name_valid(""));
	EXPECT(!persona_name_valid("root"));
	EXPECT(!persona_name_valid("a b"));
	EXPECT(!persona_name_valid("../x"));
	EXPECT(parse("root", "[Persona]\nRoot=/\nInit=/bin/sh\n") == -EINVAL);
	EXPECT(strstr(err, "'root' is not a valid persona name") != NULL);
}

static void split_argv(void)
{
	char **v = config_split_argv("  /bin/echo  \"x \\\"y\\\"\" 'z\\' ");

	EXPECT(v && strcmp(v[0], "/bin/echo") == 0);
	EXPECT(v && strcmp(v[1], "x \"y\"") == 0);
	EXPECT(v && strcmp(v[2], "z\\") == 0);
	EXPECT(v && v[3] == NULL);
	config_free_argv(v);
	EXPECT(config_split_argv("   ") == NULL);
	EXPECT(config_split_argv("\"unterminated") == NULL);
}

static char dir[] = "/tmp/devns-test-config-XXXXXX";

static void write_bytes(const char *name, const char *data, size_t len)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	fwrite(data, 1, len, f);
	fclose(f);
}

static void write_file(const char *name, const char *text)
{
	write_bytes(name, text, strlen(text));
}

static void load_files(void)
{
	char path[256];

	EXPECT(mkdtemp(dir) != NULL);
	write_file("good.conf", "[Persona]\nRoot=/\nInit=/bin/sh -c 'sleep 1'\n");
	write_file("bad.conf", "[Persona]\nRoot=/\nInit=/bin/sh\nBogus=1\n");
	write_file("toolongname12345.conf", "[Persona]\nRoot=/\nInit=/bin/sh\n");

	snprintf(path, sizeof(path), "%s/good.conf", dir);
	config_free(&cfg);
	EXPECT(config_load(path, &cfg, err, sizeof(err)) == 0);
	EXPECT(strcmp(cfg.name, "good") == 0);
	EXPECT(cfg.init && strcmp(cfg.init[2], "sleep 1") == 0);

	snprintf(path, sizeof(path), "%s/bad.conf", dir);
	config_free(&cfg);
	EXPECT(config_load(path, &cfg, err, sizeof(err)) == -EINVAL);
	EXPECT(strstr(err, "bad.conf:4: unknown key 'Bogus'") != NULL);

	snprintf(path, sizeof(path), "%s/toolongname12345.conf", dir);
	EXPECT(config_load(path, &cfg, err, sizeof(err)) == -EINVAL);
	EXPECT(strstr(err, "not a valid persona name") != NULL);

	snprintf(path, sizeof(path), "%s/missing.conf", dir);
	EXPECT(config_load(path, &cfg, err, sizeof(err)) == -ENOENT);
	EXPECT(strstr(err, "No such file") != NULL);

	write_bytes("binary.conf", "[Persona]\n\0\0", 12);
	snprintf(path, sizeof(path), "%s/binary.conf", dir);
	EXPECT(config_load(path, &cfg, err, sizeof(err)) == -EINVAL);
	EXPECT(strstr(err, "not a text file") != NULL);

	snprintf(path, sizeof(path), "rm -rf %s", dir);
	EXPECT(system(path) == 0);
}

/* Every key counts, the new ones too; the names are the file's. */
static void diff(void)
{
	struct persona_config old;
	char keys[CONFIG_ERR_LEN];

	EXPECT(parse("work", "[Persona]\nRoot=/\nInit=/sbin/init\n") == 0);
	old = cfg;
	cfg = (struct persona_config){ 0 };
	EXPECT(parse("work", "[Persona]\nRoot=/\nInit=/sbin/init\n") == 0);
	EXPECT(config_diff(&old, &cfg, keys, sizeof(keys)) == 0 && !keys[0]);
	EXPECT(parse("work", "[Persona]\nRoot=/\nInit=/sbin/init --x\n"
			     "GPU=share\nTimeNamespace=yes\nTimeOffsetBoottime=5\n"
			     "PrivateUsers=1048576\nBinder=yes\n") == 0);
	EXPECT(config_diff(&old, &cfg, keys, sizeof(keys)) == 6);
	EXPECT(strcmp(keys, "Init, PrivateUsers, Binder, TimeNamespace, "
			    "TimeOffsetBoottime, GPU") == 0);
	EXPECT(config_diff(&old, &cfg, keys, 8) == 6 && strcmp(keys, "Init, P") == 0);
	config_free(&old);
}

int main(void)
{
	RUN(full_file);
	RUN(defaults);
	RUN(signals);
	RUN(devices_none);
	RUN(devices_kms_gpu);
	RUN(errors);
	RUN(names);
	RUN(split_argv);
	RUN(load_files);
	RUN(diff);
	config_free(&cfg);
	return check_done();
}
