// SPDX-License-Identifier: GPL-2.0
/*
 * qemu-monitor: send one human-monitor command to QEMU from inside the test
 * VM and print its reply.
 *
 * tests/vm/run connects a virtio-serial port named org.qemu.monitor to a
 * QMP monitor of QEMU. The command travels in QMP's human-monitor-command,
 * whose reply is exactly what the human monitor would print; QMP tags each
 * reply with the request's id, so banners, events and replies to earlier,
 * interrupted callers on the same stream are told apart reliably.
 *
 * Usage: qemu-monitor [-t SECONDS] COMMAND
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#define PORT_NAME "org.qemu.monitor"

static void die(const char *what)
{
	perror(what);
	exit(1);
}

/* Opens /dev/vportNpM whose /sys/class/virtio-ports entry has our name. */
static int open_port(void)
{
	DIR *dir = opendir("/sys/class/virtio-ports");
	struct dirent *d;
	char path[512], name[64];
	int fd = -1;

	if (!dir)
		die("/sys/class/virtio-ports (is virtio_console loaded?)");
	while ((d = readdir(dir)) && fd < 0) {
		FILE *f;

		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/class/virtio-ports/%s/name",
			 d->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(name, sizeof(name), f) &&
		    !strcmp(strtok(name, "\n"), PORT_NAME)) {
			snprintf(path, sizeof(path), "/dev/%s", d->d_name);
			fd = open(path, O_RDWR | O_CLOEXEC);
			if (fd < 0)
				die(path);
		}
		fclose(f);
	}
	closedir(dir);
	if (fd < 0) {
		fprintf(stderr, "qemu-monitor: no virtio port named %s\n",
			PORT_NAME);
		exit(1);
	}
	return fd;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Writes s as the body of a JSON string. */
static void put_json(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
}

/*
 * Prints the JSON string starting at s (just past its opening quote)
 * unescaped, without carriage returns. The monitor's text is ASCII.
 */
static void put_unjson(FILE *f, const char *s)
{
	for (; *s && *s != '"'; s++) {
		if (*s != '\\') {
			if (*s != '\r')
				fputc(*s, f);
			continue;
		}
		switch (*++s) {
		case 'n':
			fputc('\n', f);
			break;
		case 't':
			fputc('\t', f);
			break;
		case 'r':
			break;
		case 'u':
			fputc((int)strtol((char[]){ s[1], s[2], s[3], s[4], 0 },
					  NULL, 16), f);
			s += 4;
			break;
		default:	/* \" \\ \/ */
			fputc(*s, f);
		}
	}
}

/*
 * Handles one QMP line; returns -1 while the reply to id is still to come,
 * else the exit status.
 */
static int reply_line(const char *line, const char *id)
{
	char tag[64];
	const char *p;

	snprintf(tag, sizeof(tag), "\"id\": \"%s\"", id);
	if (!strstr(line, tag))
		return -1;
	p = strstr(line, "\"return\": \"");
	if (p) {
		put_unjson(stdout, p + strlen("\"return\": \""));
		return 0;
	}
	p = strstr(line, "\"desc\": \"");
	fputs("qemu-monitor: ", stderr);
	if (p)
		put_unjson(stderr, p + strlen("\"desc\": \""));
	else
		fputs(line, stderr);
	fputc('\n', stderr);
	return 1;
}

int main(int argc, char **argv)
{
	double timeout = 30, deadline;
	size_t len = 0, cap = 65536;
	char id[32], *buf, *nl;
	const char *cmd;
	FILE *port;
	int fd, opt, status;

	while ((opt = getopt(argc, argv, "t:")) != -1) {
		if (opt != 't')
			goto usage;
		timeout = atof(optarg);
	}
	if (optind != argc - 1)
		goto usage;
	cmd = argv[optind];

	fd = open_port();
	/* One conversation at a time on the shared stream. */
	if (flock(fd, LOCK_EX))
		die("flock");
	port = fdopen(dup(fd), "w");
	buf = malloc(cap);
	if (!port || !buf)
		die("qemu-monitor");

	/*
	 * The stream stays connected across callers: only the first one's
	 * capabilities negotiation succeeds, the others' fail harmlessly.
	 */
	snprintf(id, sizeof(id), "devns-%d-%ld", getpid(), (long)time(NULL));
	fprintf(port, "{\"execute\": \"qmp_capabilities\"}\n"
		"{\"execute\": \"human-monitor-command\", \"id\": \"%s\", "
		"\"arguments\": {\"command-line\": \"", id);
	put_json(port, cmd);
	fputs("\"}}\n", port);
	if (fclose(port))
		die("write");

	deadline = now() + timeout;
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		double left = deadline - now();
		ssize_t n;

		buf[len] = '\0';
		while ((nl = strchr(buf, '\n'))) {
			*nl = '\0';
			status = reply_line(buf, id);
			if (status >= 0)
				return status;
			len -= nl + 1 - buf;
			memmove(buf, nl + 1, len + 1);
		}

		if (left <= 0 || poll(&pfd, 1, left * 1000) == 0) {
			fprintf(stderr, "qemu-monitor: no reply to '%s' within %g s\n",
				cmd, timeout);
			return 1;
		}
		if (len + 4096 + 1 > cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			if (!buf)
				die("realloc");
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno != EINTR && errno != EAGAIN)
			die("read");
		if (n > 0)
			len += n;
		else if (n == 0)
			usleep(10000);	/* QEMU's end not connected (yet) */
	}
usage:
	fprintf(stderr, "usage: qemu-monitor [-t SECONDS] COMMAND\n");
	return 2;
}
