// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * polkit for callers other than root: CheckAuthorization on the system
 * bus, asynchronously (an admin's password may take a while, and devnsd
 * must not stop meanwhile).  The method call waits; when polkit answers,
 * its handler runs again from the start and finds the verdict here.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "devnsd.h"
#include "log.h"

/* CheckAuthorization's flag */
#define ALLOW_USER_INTERACTION 1

struct polkit_query {
	struct polkit_query *next;
	struct devnsd *d;
	sd_bus_message *call;
	sd_bus_message_handler_t handler;
	void *userdata;
	const char *action;
	bool answered;
	sd_bus_error verdict;	/* unset: authorized */
};

static const char *refusal(const char *action)
{
	if (!strcmp(action, POLKIT_SWITCH))
		return "switching personas is for the user of the active local session";
	return "starting, stopping, adopting and tagging personas is for administrators";
}

static void unlink_query(struct polkit_query *q)
{
	for (struct polkit_query **pos = &q->d->polkit_queries; *pos;
	     pos = &(*pos)->next)
		if (*pos == q) {
			*pos = q->next;
			return;
		}
}

static void free_query(struct polkit_query *q)
{
	unlink_query(q);
	sd_bus_message_unref(q->call);
	sd_bus_error_free(&q->verdict);
	free(q);
}

static void set_verdict(struct polkit_query *q, sd_bus_message *reply)
{
	const sd_bus_error *e = sd_bus_message_get_error(reply);
	int authorized = 0, challenge = 0;

	if (e) {
		sd_bus_error_setf(&q->verdict, SD_BUS_ERROR_ACCESS_DENIED,
				  "%s, and polkit cannot be asked (%s)",
				  refusal(q->action), e->message ? e->message : e->name);
		return;
	}
	if (sd_bus_message_enter_container(reply, 'r', "bba{ss}") < 0 ||
	    sd_bus_message_read(reply, "bb", &authorized, &challenge) < 0)
		sd_bus_error_setf(&q->verdict, SD_BUS_ERROR_ACCESS_DENIED,
				  "%s, and polkit's answer is unreadable",
				  refusal(q->action));
	else if (authorized)
		return;
	else if (challenge)
		sd_bus_error_setf(&q->verdict,
				  SD_BUS_ERROR_INTERACTIVE_AUTHORIZATION_REQUIRED,
				  "%s: authentication is required (polkit action %s)",
				  refusal(q->action), q->action);
	else
		sd_bus_error_setf(&q->verdict, SD_BUS_ERROR_ACCESS_DENIED,
				  "%s (polkit action %s)", refusal(q->action),
				  q->action);
}

/* polkit answered: run the method again; this time it finds the verdict. */
static int on_answer(sd_bus_message *reply, void *data, sd_bus_error *unused)
{
	struct polkit_query *q = data;
	sd_bus_error error = SD_BUS_ERROR_NULL;
	int ret;

	(void)unused;
	set_verdict(q, reply);
	q->answered = true;
	log_info("polkit %s for %s: %s", q->action,
		 sd_bus_message_get_sender(q->call),
		 sd_bus_error_is_set(&q->verdict) ? "refused" : "allowed");
	if (!q->handler) {	/* refused already (polkit_forget) */
		free_query(q);
		return 1;
	}
	ret = sd_bus_message_rewind(q->call, true);
	if (ret >= 0)
		ret = q->handler(q->call, q->userdata, &error);
	if (sd_bus_error_is_set(&error))
		sd_bus_reply_method_error(q->call, &error);
	else if (ret < 0)
		sd_bus_reply_method_errno(q->call, ret, NULL);
	sd_bus_error_free(&error);
	free_query(q);
	return 1;
}

void polkit_forget(struct devnsd *d, void *userdata)
{
	sd_bus_error gone = SD_BUS_ERROR_NULL;

	sd_bus_error_set(&gone, DEVNSD_ERROR("NoSuchPersona"),
			 "the persona went away meanwhile");
	/* each stays until polkit answers (on_answer frees it) */
	for (struct polkit_query *q = d->polkit_queries; q; q = q->next)
		if (q->userdata == userdata && q->handler) {
			q->handler = NULL;
			sd_bus_reply_method_error(q->call, &gone);
		}
	sd_bus_error_free(&gone);
}

int polkit_check(sd_bus_message *m, struct devnsd *d, const char *action,
		 sd_bus_error *error)
{
	struct polkit_query *q;
	int ret;

	for (q = d->polkit_queries; q; q = q->next)
		if (q->call == m && q->answered)	/* on_answer frees it */
			return sd_bus_error_is_set(&q->verdict) ?
				sd_bus_error_copy(error, &q->verdict) : 0;

	q = calloc(1, sizeof(*q));
	if (!q)
		return -ENOMEM;
	q->d = d;
	q->call = sd_bus_message_ref(m);
	q->handler = sd_bus_get_current_handler(d->bus);
	q->userdata = sd_bus_get_current_userdata(d->bus);
	q->action = action;
	q->next = d->polkit_queries;
	d->polkit_queries = q;
	/* no cancellation id; the sender's bus name is the subject */
	ret = sd_bus_call_method_async(d->bus, NULL, "org.freedesktop.PolicyKit1",
		"/org/freedesktop/PolicyKit1/Authority",
		"org.freedesktop.PolicyKit1.Authority", "CheckAuthorization",
		on_answer, q, "(sa{sv})sa{ss}us", "system-bus-name", 1, "name",
		"s", sd_bus_message_get_sender(m), action, 0,
		sd_bus_message_get_allow_interactive_authorization(m) ?
			ALLOW_USER_INTERACTION : 0, "");
	if (ret < 0) {
		free_query(q);
		return sd_bus_error_setf(error, SD_BUS_ERROR_ACCESS_DENIED,
					 "%s, and polkit cannot be asked (%s)",
					 refusal(action), strerror(-ret));
	}
	return 1;
}
