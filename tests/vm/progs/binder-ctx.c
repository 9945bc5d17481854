// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The binder ioctl protocol, just enough to tell binder contexts apart.
 *
 *   binder-ctx manager DEV TOKEN   become DEV's context manager (prints
 *                                  "ready"), answer every call with TOKEN
 *   binder-ctx call DEV            a transaction to handle 0, the context
 *                                  manager: prints its reply, or "dead"
 *                                  when the context has none
 *
 * Exits 1 on an error, which it prints.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/android/binder.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#define MAP_SIZE (128 * 1024)

__attribute__((noreturn))
static void die(const char *what)
{
	printf("%s: %s\n", what, strerror(errno));
	exit(1);
}

static int open_binder(const char *dev)
{
	struct binder_version v;
	int fd = open(dev, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		die(dev);
	if (ioctl(fd, BINDER_VERSION, &v) < 0)
		die("BINDER_VERSION");
	if (v.protocol_version != BINDER_CURRENT_PROTOCOL_VERSION) {
		printf("protocol %d, not %d\n", v.protocol_version,
		       BINDER_CURRENT_PROTOCOL_VERSION);
		exit(1);
	}
	if (mmap(NULL, MAP_SIZE, PROT_READ, MAP_PRIVATE, fd, 0) == MAP_FAILED)
		die("mmap");
	return fd;
}

/* Writes wbuf (wlen bytes), then reads into rbuf: the bytes read. */
static size_t write_read(int fd, const void *wbuf, size_t wlen, void *rbuf,
			 size_t rlen)
{
	struct binder_write_read bwr = {
		.write_size = wlen, .write_buffer = (uintptr_t)wbuf,
		.read_size = rlen, .read_buffer = (uintptr_t)rbuf,
	};

	while (ioctl(fd, BINDER_WRITE_READ, &bwr) < 0)
		if (errno != EINTR)
			die("BINDER_WRITE_READ");
	return bwr.read_consumed;
}

struct cmd_tr {
	uint32_t cmd;
	struct binder_transaction_data tr;
} __attribute__((packed));

struct cmd_free {
	uint32_t cmd;
	binder_uintptr_t buffer;
} __attribute__((packed));

static void free_buffer(int fd, binder_uintptr_t buffer)
{
	struct cmd_free f = { BC_FREE_BUFFER, buffer };

	write_read(fd, &f, sizeof(f), NULL, 0);
}

__attribute__((noreturn))
static void manager(const char *dev, const char *token)
{
	uint32_t enter = BC_ENTER_LOOPER;
	int fd = open_binder(dev), zero = 0;
	char rbuf[4096];

	if (ioctl(fd, BINDER_SET_CONTEXT_MGR, &zero) < 0)
		die("BINDER_SET_CONTEXT_MGR");
	write_read(fd, &enter, sizeof(enter), NULL, 0);
	printf("ready\n");
	fflush(stdout);
	for (;;) {
		size_t n = write_read(fd, NULL, 0, rbuf, sizeof(rbuf));

		for (size_t at = 0; at + 4 <= n;) {
			uint32_t cmd;
			struct binder_transaction_data tr;

			memcpy(&cmd, rbuf + at, 4);
			at += 4;
			if (cmd == BR_TRANSACTION) {
				struct cmd_tr reply = { .cmd = BC_REPLY };

				memcpy(&tr, rbuf + at, sizeof(tr));
				free_buffer(fd, tr.data.ptr.buffer);
				if (tr.flags & TF_ONE_WAY)
					continue;
				reply.tr.data_size = strlen(token);
				reply.tr.data.ptr.buffer = (uintptr_t)token;
				write_read(fd, &reply, sizeof(reply), NULL, 0);
			}
			/* each BR_ command's payload: _IOC_SIZE (BR_* are _IOR) */
			at += _IOC_SIZE(cmd);
		}
	}
}

static int call(const char *dev)
{
	static const char ask[] = "who";
	struct cmd_tr t = { .cmd = BC_TRANSACTION };
	int fd = open_binder(dev);
	char rbuf[4096];
	size_t n;

	t.tr.target.handle = 0;
	t.tr.code = 1;
	t.tr.data_size = sizeof(ask);
	t.tr.data.ptr.buffer = (uintptr_t)ask;
	n = write_read(fd, &t, sizeof(t), rbuf, sizeof(rbuf));
	for (;;) {
		for (size_t at = 0; at + 4 <= n;) {
			uint32_t cmd;
			struct binder_transaction_data tr;

			memcpy(&cmd, rbuf + at, 4);
			at += 4;
			switch (cmd) {
			case BR_REPLY:
				memcpy(&tr, rbuf + at, sizeof(tr));
				printf("%.*s\n", (int)tr.data_size,
				       (const char *)(uintptr_t)tr.data.ptr.buffer);
				free_buffer(fd, tr.data.ptr.buffer);
				return 0;
			case BR_DEAD_REPLY:
				printf("dead\n");
				return 0;
			case BR_FAILED_REPLY:
				printf("failed\n");
				return 1;
			}
			at += _IOC_SIZE(cmd);
		}
		n = write_read(fd, NULL, 0, rbuf, sizeof(rbuf));
	}
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "manager") == 0)
		manager(argv[2], argv[3]);
	if (argc == 3 && strcmp(argv[1], "call") == 0)
		return call(argv[2]);
	fprintf(stderr, "usage: binder-ctx manager DEV TOKEN | call DEV\n");
	return 2;
}
