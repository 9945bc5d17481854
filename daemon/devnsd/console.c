// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#include "console.h"
#include "devnsd.h"

struct console {
	int master, slave, log;
	size_t logged;
	sd_event_source *source;
};

/* Copies what is there to the log; false once the pty is gone. */
static bool pump(struct console *c)
{
	char buf[4096];
	ssize_t n;

	while ((n = read(c->master, buf, sizeof(buf))) > 0)
		if (c->logged < CONSOLE_LOG_MAX && write(c->log, buf, n) == n)
			c->logged += n;
	return n < 0 && errno == EAGAIN;
}

static int on_output(sd_event_source *s, int fd, uint32_t revents, void *data)
{
	(void)fd, (void)revents;
	if (!pump(data))
		sd_event_source_set_enabled(s, SD_EVENT_OFF);
	return 0;
}

int console_attach(struct persona *p, int master)
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
	c->slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	snprintf(path, sizeof(path), CONSOLE_DIR "/%s", p->name);
	mkdir(CONSOLE_DIR, 0755);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), CONSOLE_DIR "/%s/console", p->name);
	c->log = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC |
		      O_NOFOLLOW, 0600);
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
	close(c->master);
	if (c->slave >= 0)
		close(c->slave);
	if (c->log >= 0)
		close(c->log);
	free(c);
	p->console = NULL;
}
