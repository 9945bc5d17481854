/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The wake-alarm broker (WakeAlarm=yes under PrivateUsers).  CLOCK_*_ALARM
 * timerfds need CAP_WAKE_ALARM in the host's user namespace, which a
 * persona's root lacks: its seccomp filter (seccomp.h) sends its
 * timerfd_create() of an alarm clock and every timerfd_settime() here.
 * devnsd creates the alarm timerfd and installs it in the caller
 * (SECCOMP_IOCTL_NOTIF_ADDFD), and arms the caller's own alarm timerfds
 * for it (absolute times moved from the caller's time namespace to ours);
 * any other fd is the kernel's business as usual (the call continues,
 * with no more rights than it had).  timer_create() of an alarm clock is
 * not brokered: it stays EPERM.
 *
 * One thread per persona serves its listener, so a persona that floods it
 * or hangs it (its memory on a FUSE file of its own) stalls only its own
 * timer calls.  The thread ends when the persona's last process is gone.
 */
#ifndef DEVNSD_ALARM_H
#define DEVNSD_ALARM_H

/* Serves listener (which it takes and closes) for persona name. */
void alarm_broker_start(const char *name, int listener);

#endif
