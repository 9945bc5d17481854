/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Logging to stderr, with the priority prefixes the journal understands. */
#ifndef DEVNSD_LOG_H
#define DEVNSD_LOG_H

#include <stdio.h>
#include <systemd/sd-daemon.h>

#define log_info(fmt, ...) fprintf(stderr, SD_INFO "devnsd: " fmt "\n", ##__VA_ARGS__)
#define log_err(fmt, ...) fprintf(stderr, SD_ERR "devnsd: " fmt "\n", ##__VA_ARGS__)

#endif
