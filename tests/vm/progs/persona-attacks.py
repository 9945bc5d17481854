#!/usr/bin/python3
"""What a persona's root may try against devnsd and the devns family, for
the daemon-attacks suite. Each command prints one line saying what came of
the attempt; the suite decides whether that is a refusal.

  nl-switch ID             a raw generic netlink DEVNS_CMD_SWITCH to devns ID
                           -> "errno=N" (0: the kernel accepted it)
  nl-forge hotkey SLOT     a forged DEVNS_CMD_HOTKEY (or SWITCHED to devns ID)
  nl-forge switched ID       sent to the events multicast group
                           -> "sent" or "refused errno=N"
  orphan NAME [--wait-go]  connect to the system bus, fork, let the connecting
                           parent exit, and SwitchTo NAME from the child; with
                           --wait-go print "ready PARENT_PID" first and call
                           once a line arrives on stdin
                           -> "accepted" or "refused ERROR: message"
  fuse-hang PID PATH       mount, in PID's mount namespace (and user namespace
                           if it has its own), a FUSE file system that never
                           answers on PATH; prints "mounted", then sleeps
  adopt-stale NAME         AdoptPersona NAME with a pidfd whose process (init
                           of a pid namespace) has exited, its pid given to a
                           new pid namespace's init if ns_last_pid lets us
                           -> "STALE NEW accepted|refused ERROR: message"
"""
import ctypes
import os
import select
import signal
import socket
import struct
import sys
import time

libc = ctypes.CDLL(None, use_errno=True)
CLONE_NEWNS, CLONE_NEWUSER, CLONE_NEWPID = 0x20000, 0x10000000, 0x20000000

# from include/uapi/linux/devns.h, by uapi()
DEVNS_CMD_SWITCH = DEVNS_CMD_SWITCHED = DEVNS_CMD_HOTKEY = None
DEVNS_A_ID = DEVNS_A_SLOT = None


def uapi():
    """The command and attribute numbers, from the header itself."""
    global DEVNS_CMD_SWITCH, DEVNS_CMD_SWITCHED, DEVNS_CMD_HOTKEY
    global DEVNS_A_ID, DEVNS_A_SLOT
    here = os.path.dirname(os.path.abspath(__file__))
    text = open(os.path.join(here, "../../../include/uapi/linux/devns.h")).read()

    def enum(first, name):
        body = text[text.index(first):]
        body = body[:body.index("}")]
        n = 0
        for line in body.split("\n")[1:]:
            word = line.strip().split(",")[0].split("=")
            if not word[0] or word[0].startswith(("/*", "*")):
                continue
            if len(word) > 1:
                n = int(word[1].strip().split()[0], 0)
            if word[0].strip() == name:
                return n
            n += 1
        raise KeyError(name)

    DEVNS_CMD_SWITCH = enum("enum devns_cmd", "DEVNS_CMD_SWITCH")
    DEVNS_CMD_SWITCHED = enum("enum devns_cmd", "DEVNS_CMD_SWITCHED")
    DEVNS_CMD_HOTKEY = enum("enum devns_cmd", "DEVNS_CMD_HOTKEY")
    DEVNS_A_ID = enum("enum devns_attr", "DEVNS_A_ID")
    DEVNS_A_SLOT = enum("enum devns_attr", "DEVNS_A_SLOT")


def attr(kind, data):
    return struct.pack("HH", 4 + len(data), kind) + data + b"\0" * (-len(data) % 4)


def genl(family, cmd, attrs, flags=1 | 4, seq=1):  # NLM_F_REQUEST | NLM_F_ACK
    payload = struct.pack("BBH", cmd, 1, 0) + attrs
    return struct.pack("IHHII", 16 + len(payload), family, flags, seq, 0) + payload


def attrs_of(data):
    out = {}
    while len(data) >= 4:
        ln, kind = struct.unpack("HH", data[:4])
        if ln < 4:
            break
        out.setdefault(kind & 0x3FFF, []).append(data[4:ln])
        data = data[(ln + 3) & ~3:]
    return out


def family():
    """The devns family's id and its events group's id."""
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 16)
    s.send(genl(16, 3, attr(2, b"devns\0"), flags=1))  # CTRL_CMD_GETFAMILY
    msg = s.recv(65536)
    s.close()
    a = attrs_of(msg[20:])
    fid = struct.unpack("H", a[1][0][:2])[0]
    for grp in attrs_of(a[7][0]).values():  # CTRL_ATTR_MCAST_GROUPS
        g = attrs_of(grp[0])
        if g[1][0].rstrip(b"\0") == b"events":
            return fid, struct.unpack("I", g[2][0][:4])[0]
    raise SystemExit("no events group")


def nl_switch(ns_id):
    fid, _ = family()
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 16)
    s.send(genl(fid, DEVNS_CMD_SWITCH, attr(DEVNS_A_ID, struct.pack("I", ns_id))))
    msg = s.recv(65536)
    print("errno=%d" % -struct.unpack("i", msg[16:20])[0])


def nl_forge(what, value):
    fid, grp = family()
    if what == "hotkey":
        msg = genl(fid, DEVNS_CMD_HOTKEY, attr(DEVNS_A_SLOT, struct.pack("I", value)), flags=0)
    else:
        msg = genl(fid, DEVNS_CMD_SWITCHED, attr(DEVNS_A_ID, struct.pack("I", value)), flags=0)
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 16)
    try:
        if grp <= 32:
            s.sendto(msg, (0, 1 << (grp - 1)))
        else:
            raise SystemExit("events group %d is past the sendto bitmap" % grp)
        print("sent")
    except OSError as e:
        print("refused errno=%d" % e.errno)


def call(bus, method, *args):
    import dbus
    try:
        bus.call_blocking("org.devns.Manager1", "/org/devns/Manager1",
                          "org.devns.Manager1", method, None, args)
        return "accepted"
    except dbus.exceptions.DBusException as e:
        return "refused %s: %s" % (e.get_dbus_name(), e.get_dbus_message())


def orphan(name, wait_go):
    import dbus
    try:
        bus = dbus.SystemBus()
    except dbus.exceptions.DBusException as e:
        print("no connection %s: %s" % (e.get_dbus_name(), e.get_dbus_message()))
        return
    bus.call_blocking("org.freedesktop.DBus", "/org/freedesktop/DBus",
                      "org.freedesktop.DBus", "GetId", None, ())
    connected = time.clock_gettime(time.CLOCK_BOOTTIME)
    parent = os.getpid()
    pidfd = os.pidfd_open(parent)
    if os.fork():
        os._exit(0)     # the process that connected is gone
    select.select([pidfd], [], [])
    if wait_go:
        # start times count in clock ticks (10 ms): let a few pass, so
        # that a process started from now on started after we connected
        while time.clock_gettime(time.CLOCK_BOOTTIME) < connected + 0.05:
            time.sleep(0.01)
        print("ready %d" % parent, flush=True)
        sys.stdin.readline()
    print(call(bus, "SwitchTo", name), flush=True)


def setns(path, kind):
    fd = os.open(path, os.O_RDONLY)
    if libc.setns(fd, kind) < 0:
        raise OSError(ctypes.get_errno(), "setns " + path)
    os.close(fd)


def fuse_hang(pid, path):
    """pid 0: here."""
    if pid and os.stat("/proc/%d/ns/user" % pid).st_ino != os.stat("/proc/self/ns/user").st_ino:
        setns("/proc/%d/ns/user" % pid, CLONE_NEWUSER)
    fuse = os.open("/dev/fuse", os.O_RDWR)
    if pid:
        setns("/proc/%d/ns/mnt" % pid, CLONE_NEWNS)
    opts = "fd=%d,rootmode=40000,user_id=0,group_id=0" % fuse
    if not pid:
        opts += ",allow_other"  # a persona's root is another uid
    if libc.mount(b"hang", path.encode(), b"fuse", 0, opts.encode()) < 0:
        raise OSError(ctypes.get_errno(), "mount fuse on " + path)
    print("mounted", flush=True)
    while True:         # never read /dev/fuse: every request waits
        signal.pause()


def pidns_init():
    """Forks the init of a new pid namespace, which sleeps; returns its pid."""
    libc.syscall.restype = ctypes.c_long
    pid = libc.syscall(56, CLONE_NEWPID | signal.SIGCHLD, 0, 0, 0, 0)  # clone
    if pid < 0:
        raise OSError(ctypes.get_errno(), "clone")
    if pid == 0:
        null = os.open("/dev/null", os.O_RDWR)
        for fd in 0, 1, 2:
            os.dup2(null, fd)
        os.closerange(3, 1024)
        while True:
            signal.pause()
    return pid


def adopt_stale(name):
    import dbus
    bus = dbus.SystemBus()
    stale = pidns_init()
    pidfd = os.pidfd_open(stale)
    os.kill(stale, signal.SIGKILL)
    os.waitpid(stale, 0)
    try:
        with open("/proc/sys/kernel/ns_last_pid", "w") as f:
            f.write(str(stale - 1))
    except OSError:
        pass
    new = pidns_init()
    print("%d %d %s" % (stale, new, call(bus, "AdoptPersona", name, dbus.types.UnixFd(pidfd))),
          flush=True)


def main():
    uapi()
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "nl-switch":
        nl_switch(int(args[0]))
    elif cmd == "nl-forge":
        nl_forge(args[0], int(args[1]))
    elif cmd == "orphan":
        orphan(args[0], "--wait-go" in args)
    elif cmd == "fuse-hang":
        fuse_hang(int(args[0]), args[1])
    elif cmd == "adopt-stale":
        adopt_stale(args[0])
    else:
        raise SystemExit(__doc__)


main()
