#!/usr/bin/python3
"""What systemd does for devnsd.service, for the VM suites (no systemd
there): runs ARGV as the service's main process with NOTIFY_SOCKET=SOCKET,
keeps the fds it stores (FDSTORE=1 with FDNAME=, one per name;
FDSTOREREMOVE=1), and when a signal other than SIGTERM kills it
(Restart=on-failure) runs it again with them (LISTEN_FDS, LISTEN_FDNAMES).
Prints each main process's pid on a line of its own; ends when it ends
otherwise.  Usage: service-manager.py SOCKET ARGV..."""
import array
import fcntl
import os
import select
import signal
import socket
import sys

path, argv = sys.argv[1], sys.argv[2:]
if os.path.exists(path):
    os.unlink(path)
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.bind(path)
store = {}


def receive():
    while select.select([sock], [], [], 0)[0]:
        msg, anc, _, _ = sock.recvmsg(4096, socket.CMSG_SPACE(64 * 4))
        fds = array.array("i")
        for level, kind, data in anc:
            if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                fds.frombytes(data[:len(data) - len(data) % fds.itemsize])
        fields = dict(l.split("=", 1) for l in msg.decode().splitlines() if "=" in l)
        name = fields.get("FDNAME", "stored")
        if fields.get("FDSTORE") == "1" or fields.get("FDSTOREREMOVE") == "1":
            if name in store:
                os.close(store.pop(name))
        if fields.get("FDSTORE") == "1" and fds:
            store[name] = fds.pop(0)
        for fd in fds:
            os.close(fd)


def start():
    pid = os.fork()
    if pid:
        print(pid, flush=True)
        return pid
    high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 100) for fd in store.values()]
    for i, fd in enumerate(high):
        os.dup2(fd, 3 + i)
    os.closerange(3 + len(high), 1 << 16)
    os.dup2(2, 1)
    os.environ.update(NOTIFY_SOCKET=path, LISTEN_PID=str(os.getpid()),
                      LISTEN_FDS=str(len(high)), LISTEN_FDNAMES=":".join(store))
    os.execvp(argv[0], argv)


pid = start()
while True:
    select.select([sock], [], [], 0.2)
    receive()
    done, status = os.waitpid(pid, os.WNOHANG)
    if not done:
        continue
    receive()
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) != signal.SIGTERM:
        pid = start()
        continue
    sys.exit(os.waitstatus_to_exitcode(status) & 0xff)
