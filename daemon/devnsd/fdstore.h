/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * systemd's file descriptor store (FileDescriptorStoreMax= in the unit):
 * what a persona's start handed devnsd and nothing else can give back, its
 * /dev directory and its console's pty master, outlives a restart of
 * devnsd, even by SIGKILL.  Stored as KIND-NAME ("dev-work"); without a
 * service manager every call does nothing.
 */
#ifndef DEVNSD_FDSTORE_H
#define DEVNSD_FDSTORE_H

void fdstore_put(const char *kind, const char *name, int fd);
void fdstore_drop(const char *kind, const char *name);
/* At startup: what the service manager passed back (LISTEN_FDS). */
void fdstore_load(void);
/* The stored fd for KIND-NAME, now the caller's, or -1. */
int fdstore_take(const char *kind, const char *name);
/* Closes and drops from the store what nobody took. */
void fdstore_release_rest(void);

#endif
