// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdbool.h>
#include <time.h>
#include <stddef.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "seccomp.h"

static const unsigned int denied_x86_64[] = {
	__NR_kexec_load, __NR_kexec_file_load, __NR_init_module,
	__NR_finit_module, __NR_delete_module, __NR_open_by_handle_at,
	__NR_add_key, __NR_request_key, __NR_keyctl, __NR_bpf,
	__NR_perf_event_open, __NR_swapon, __NR_swapoff, __NR_settimeofday,
	__NR_clock_settime, __NR_clock_adjtime, __NR_adjtimex, __NR_iopl,
	__NR_ioperm, __NR_acct, __NR_syslog, __NR_uselib, __NR_lookup_dcookie,
	__NR_nfsservctl,
};

/* The same calls by their i386 numbers (int 0x80 from a 64-bit process too). */
static const unsigned int denied_i386[] = {
	283 /* kexec_load */, 128 /* init_module */, 350 /* finit_module */,
	129 /* delete_module */, 342 /* open_by_handle_at */, 286 /* add_key */,
	287 /* request_key */, 288 /* keyctl */, 357 /* bpf */,
	336 /* perf_event_open */, 87 /* swapon */, 115 /* swapoff */,
	79 /* settimeofday */, 25 /* stime */, 264 /* clock_settime */,
	404 /* clock_settime64 */, 343 /* clock_adjtime */,
	405 /* clock_adjtime64 */, 124 /* adjtimex */, 110 /* iopl */,
	101 /* ioperm */, 51 /* acct */, 103 /* syslog */, 86 /* uselib */,
	253 /* lookup_dcookie */, 169 /* nfsservctl */,
};

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define X32_SYSCALL_BIT 0x40000000u
#define DENY (SECCOMP_RET_ERRNO | EPERM)

static struct sock_filter *deny_list(struct sock_filter *f,
				     const unsigned int *nrs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		*f++ = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
						    nrs[i], 0, 1);
		*f++ = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, DENY);
	}
	return f;
}

static struct sock_filter *allow(struct sock_filter *f)
{
	*f++ = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	return f;
}

/*
 * WakeAlarm: timerfd_create() of an alarm clock (its clockid is a scalar
 * the filter sees) and every timerfd_settime() (whose fd's clock it cannot
 * see) go to devnsd's broker (alarm.h); then the x86_64 list's end.
 */
static struct sock_filter *wake_alarm(struct sock_filter *f)
{
	*f++ = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
					    __NR_timerfd_settime, 4, 0);
	*f++ = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
					    __NR_timerfd_create, 0, 4);
	*f++ = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					    offsetof(struct seccomp_data, args[0]));
	*f++ = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
					    CLOCK_REALTIME_ALARM, 1, 0);
	*f++ = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
					    CLOCK_BOOTTIME_ALARM, 0, 1);
	*f++ = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
					    SECCOMP_RET_USER_NOTIF);
	*f++ = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	return f;
}

int seccomp_install(bool wake)
{
	struct sock_filter prog[16 + 2 * (N(denied_x86_64) + N(denied_i386))];
	struct sock_filter *f = prog, *arch;
	struct sock_fprog fprog;
	int ret;

	*f++ = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					    offsetof(struct seccomp_data, arch));
	/* x86_64: on, else to the i386 check (jf set below) */
	arch = f;
	*f++ = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
					    AUDIT_ARCH_X86_64, 0, 0);
	*f++ = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					    offsetof(struct seccomp_data, nr));
	/* the x32 ABI: none of it */
	*f++ = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K,
					    X32_SYSCALL_BIT, 0, 1);
	*f++ = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, DENY);
	f = deny_list(f, denied_x86_64, N(denied_x86_64));
	f = wake ? wake_alarm(f) : allow(f);
	arch->jf = f - arch - 1;
	*f++ = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
					    AUDIT_ARCH_I386, 1, 0);
	*f++ = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
					    SECCOMP_RET_KILL_PROCESS);
	*f++ = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					    offsetof(struct seccomp_data, nr));
	f = allow(deny_list(f, denied_i386, N(denied_i386)));

	fprog.len = f - prog;
	fprog.filter = prog;
	ret = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
		      wake ? SECCOMP_FILTER_FLAG_NEW_LISTENER : 0, &fprog);
	if (ret < 0)
		return -errno;
	return wake ? ret : -1;
}
