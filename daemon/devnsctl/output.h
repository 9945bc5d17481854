/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Formatting helpers for devnsctl's tables and JSON. */
#ifndef DEVNSCTL_OUTPUT_H
#define DEVNSCTL_OUTPUT_H

#include <stddef.h>
#include <stdio.h>

/* s as a JSON string, quotes included. */
void json_string(FILE *f, const char *s);
/* "HotkeySlot" -> "hotkey_slot": JSON keys for D-Bus property names. */
void snake_case(const char *camel, char *out, size_t size);

#endif
