// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "console.h"
#include "devnsd.h"

struct console {
	int master, slave, log;
	size_t logged;
	sd_event_source *source;
	int client;		/* devnsctl console's socket, or -1 */
	sd_event_source *client_source;
};

static void client_close(struct console *c)
{
	if (c->client < 0)
		return;
	c->client_source = sd_event_source_disable_unref(c->client_source);
	close(c->client);
	c->client = -1;
}

/* Copies what is there to the log; false once the pty is gone. */
static bool pump(struct console *c)
{
	char buf[4096];
	ssize_t n;

	while ((n = read(c->master, buf, sizeof(buf))) > 0) {
		if (c->logged < CONSOLE_LOG_MAX && write(c->log, buf, n) == n)
			c->logged += n;
		if (c->client >= 0 &&
		    send(c->client, buf, n, MSG_DONTWAIT | MSG_NOSIGNAL) < 0 &&
		    errno != EAGAIN)
			client_close(c);
	}
	return n < 0 && errno == EAGAIN;
}

static int on_output(sd_event_source *s, int fd, uint32_t revents, void *data)
{
	(void)fd, (void)revents;
	if (!pump(data))
		sd_event_source_set_enabled(s, SD_EVENT_OFF);
	return 0;
}

int console_attach(struct persona *p, int master, bool fresh)
{
	struct console *c = calloc(1, sizeof(*c));
	char path[128];
	int ret;

	if (!c) {
		close(master);
		return -ENOMEM;
	}
	c->master = master;
	c->log = -1;
	c->client = -1;
	c->slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	snprintf(path, sizeof(path), CONSOLE_DIR "/%s", p->name);
	mkdir(CONSOLE_DIR, 0755);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), CONSOLE_DIR "/%s/console", p->name);
	c->log = open(path, O_WRONLY | O_CREAT | (fresh ? O_TRUNC : 0) | O_APPEND |
		      O_CLOEXEC | O_NOFOLLOW, 0600);
	ret = c->slave < 0 || c->log < 0 ? -errno : 0;
	if (!ret && fcntl(master, F_SETFL, O_NONBLOCK) < 0)
		ret = -errno;
	if (!ret)
		ret = sd_event_add_io(p->d->event, &c->source, master, EPOLLIN,
				      on_output, c);
	p->console = c;
	if (ret < 0)
		console_detach(p);
	return ret;
}

void console_detach(struct persona *p)
{
	struct console *c = p->console;

	if (!c)
		return;
	if (c->source)
		pump(c);	/* what the init wrote last */
	sd_event_source_disable_unref(c->source);
	client_close(c);
	close(c->master);
	if (c->slave >= 0)
		close(c->slave);
	if (c->log >= 0)
		close(c->log);
	free(c);
	p->console = NULL;
}

/* The client's keys, to the pty. */
static int on_input(sd_event_source *s, int fd, uint32_t revents, void *data)
{
	struct console *c = data;
	char buf[4096];
	ssize_t n = read(fd, buf, sizeof(buf));

	(void)s, (void)revents;
	if (n > 0)
		(void)!write(c->master, buf, n);
	else if (n == 0 || errno != EAGAIN)
		client_close(c);
	return 0;
}

int console_open(struct persona *p, unsigned int rows, unsigned int cols)
{
	struct winsize ws = { .ws_row = rows, .ws_col = cols };
	struct console *c = p->console;
	int sv[2], ret;

	if (!c || !c->source)
		return -ENOTTY;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return -errno;
	if (fcntl(sv[0], F_SETFL, O_NONBLOCK) < 0) {
		ret = -errno;
		goto fail;
	}
	client_close(c);
	c->client = sv[0];
	ret = sd_event_add_io(p->d->event, &c->client_source, sv[0], EPOLLIN,
			      on_input, c);
	if (ret < 0) {
		c->client = -1;
		goto fail;
	}
	if (rows && cols)
		ioctl(c->master, TIOCSWINSZ, &ws);
	return sv[1];
fail:
	close(sv[0]);
	close(sv[1]);
	return ret;
}
