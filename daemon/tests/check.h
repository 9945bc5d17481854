/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A minimal unit-test harness: RUN(fn) runs one test and prints
 * "PASS name" or "FAIL name: line N: expression"; EXPECT records the first
 * failed expectation of the running test.  main() ends with check_done().
 */
#ifndef DEVNS_CHECK_H
#define DEVNS_CHECK_H

#include <stdio.h>

static const char *check_expr;
static int check_line, check_passed, check_failed;

#define EXPECT(cond)							\
	do {								\
		if (!(cond) && !check_expr) {				\
			check_expr = #cond;				\
			check_line = __LINE__;				\
		}							\
	} while (0)

#define RUN(fn) check_run(#fn, fn)

static inline void check_run(const char *name, void (*fn)(void))
{
	check_expr = NULL;
	fn();
	if (check_expr) {
		printf("FAIL %s: line %d: %s\n", name, check_line, check_expr);
		check_failed++;
	} else {
		printf("PASS %s\n", name);
		check_passed++;
	}
	fflush(stdout);
}

/* The exit status of a test program: 1 if anything failed. */
static inline int check_done(void)
{
	return check_failed ? 1 : 0;
}

#endif
