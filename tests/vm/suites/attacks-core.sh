# devns-vm: timeout 600
# Attacks on devns_core (issue 18): forged events, a persona reading about
# others, /proc/dev_ns written through borrowed file descriptors, pid reuse.
# Each attack is made as the attacker would make it; each test asserts that
# it failed and that nothing changed.
. "$DEVNS_TOP/tests/vm/lib.sh"
progs=$DEVNS_TOP/tests/vm/progs
nl=$DEVNS_TOP/daemon/build/devns-nl
sys=/sys/class/devns
python=/usr/bin/python3

if ! load_devns; then
	fail load "devns_core does not load"
	exit 0
fi

field() {
	local name=$1
	shift
	sed -n "s/.* $name=\([^ ]*\).*/\1/p; s/^$name=\([^ ]*\).*/\1/p" <<<"$*" | head -n1
}

# The whole registry as the root sees it, to show an attack changed nothing.
state() {
	"$nl" list
	"$nl" stats | head -n1
	"$nl" hotkeys
	cat /proc/dev_ns/ns_tag /proc/dev_ns/active_ns_pid
	for d in $sys/*; do cat "$d/id" "$d/tag" "$d/init_pid" "$d/active"; done
}

spawn() {
	"$progs/pidns-spawn" "$@" sleep 100000
}

# in_persona PID CMD...: CMD as the persona's root: in its pid namespace,
# with every capability of the host's root (its worst case).
in_persona() {
	local pid=$1
	shift
	nsenter -t "$pid" -p -- "$@"
}

# Two personas, the second one active.
a=$(spawn)
a_id=$(field id "$("$nl" create "$a" alpha)")
b=$(spawn)
b_id=$(field id "$("$nl" create "$b" beta)")
"$nl" switch "$b_id"

## Forged events.  A persona's root has CAP_NET_ADMIN in the host's network
## namespace, so the socket layer lets it send to the events group.
"$progs/nl-forge" listen 5 60 >/tmp/raw &
raw=$!
wait_for 10 grep -q joined /tmp/raw
before=$(state)
in_persona "$a" "$progs/nl-forge" send hotkey 1 >/tmp/forge1
in_persona "$a" "$progs/nl-forge" send switched "$a_id" >/tmp/forge2
expect_eq forge-sent "sent sent" "$(cat /tmp/forge1 /tmp/forge2 | tr '\n' ' ' | sed 's/ $//')"
expect_eq forge-changes-nothing "$before" "$(state)"
# libdevns's monitor (devnsd's) hears only the kernel: of the two forged
# events and a real switch, the first event it reports is the switch.
"$nl" monitor --count 1 --timeout 30 -- sh -c "
	nsenter -t $a -p -- '$progs/nl-forge' send hotkey 1 &&
	nsenter -t $a -p -- '$progs/nl-forge' send switched $a_id &&
	'$nl' switch 0" >/tmp/events 2>&1
cat /tmp/events
expect_eq forge-monitor-ignores "event=switched id=0 prev_id=$b_id" \
	"$(sed -n 's/^\(event=[a-z]* id=[0-9]* prev_id=[0-9]*\).*/\1/p' /tmp/events)"
# A raw listener gets them all, and can tell: only the kernel's has port 0
# (HOTKEY is command 12, SWITCHED 11; P: a process's port).
wait "$raw"
cat /tmp/raw
expect_eq forge-port-not-kernel "P:12 P:11 P:12 P:11 0:11" \
	"$(sed -n 's/^port=[1-9][0-9]*/P/; s/^port=//; s/ cmd=/:/p' /tmp/raw | tr '\n' ' ' | sed 's/ $//')"
"$nl" switch "$b_id"

## A persona as devnsd starts it (a user namespace of its own), or one whose
## root lacks CAP_SYS_ADMIN / CAP_NET_ADMIN, can neither send to the group
## nor join it; nor can an unprivileged local user.
check_refused() {
	local name=$1 out
	shift
	out=$("$@" 2>&1)
	if [[ $out == "refused: Operation not permitted" ]]; then
		pass "$name"
	else
		fail "$name" "$out"
	fi
}
before=$(state)
check_refused userns-forge in_persona "$a" unshare -U -r "$progs/nl-forge" send hotkey 1
check_refused userns-join in_persona "$a" unshare -U -r "$progs/nl-forge" join
check_refused nocap-forge in_persona "$a" setpriv --inh-caps=-net_admin \
	--bounding-set=-net_admin "$progs/nl-forge" send hotkey 1
check_refused nocap-join in_persona "$a" setpriv --inh-caps=-sys_admin \
	--bounding-set=-sys_admin "$progs/nl-forge" join
check_refused user-join setpriv --reuid=65534 --regid=65534 --clear-groups \
	--inh-caps=-all --bounding-set=-all "$progs/nl-forge" join
if in_persona "$a" unshare -U -r "$nl" monitor --count 1 --timeout 1 2>/tmp/err; then
	fail userns-monitor "libdevns's monitor joined from a persona"
else
	grep -q 'Operation not permitted' /tmp/err && pass userns-monitor ||
		fail userns-monitor "$(cat /tmp/err)"
fi
expect_eq refused-changes-nothing "$before" "$(state)"

## A persona learns only about itself.
before=$(state)
expect_eq persona-list "id=$a_id pid=1 active=0 tag=alpha" \
	"$(in_persona "$a" "$nl" list | sed 's/ activated_ns=[0-9]*//')"
expect_eq persona-get-self "id=$a_id pid=1 active=0 tag=alpha" \
	"$(in_persona "$a" "$nl" get "$a_id" | sed 's/ activated_ns=[0-9]*//')"
# Another persona, the root and a devns that does not exist: one answer.
for id in "$b_id" 0 200; do
	in_persona "$a" "$nl" get "$id" >/dev/null 2>/tmp/get-$id
	sed -i "s/ $id\b/ ID/g" /tmp/get-$id
done
if grep -q 'No such file or directory' /tmp/get-200 &&
   cmp -s /tmp/get-200 /tmp/get-$b_id && cmp -s /tmp/get-200 /tmp/get-0; then
	pass persona-get-others
else
	fail persona-get-others "$(cat /tmp/get-$b_id /tmp/get-0 /tmp/get-200)"
fi
# A root-namespace pid, existing or not, is unknown inside the persona.
in_persona "$a" "$nl" get-pid "$b" >/dev/null 2>/tmp/getpid-b
in_persona "$a" "$nl" get-pid 30000 >/dev/null 2>/tmp/getpid-none
sed -i "s/ $b\b/ PID/g; s/ 30000\b/ PID/g" /tmp/getpid-b /tmp/getpid-none
if grep -q 'No such process' /tmp/getpid-none && cmp -s /tmp/getpid-b /tmp/getpid-none; then
	pass persona-get-pid-oracle
else
	fail persona-get-pid-oracle "$(cat /tmp/getpid-b /tmp/getpid-none)"
fi
for cmd in stats hotkeys; do
	if in_persona "$a" "$nl" $cmd >/tmp/out 2>/tmp/err; then
		fail "persona-$cmd" "read: $(cat /tmp/out)"
	else
		grep -q 'Operation not permitted' /tmp/err && pass "persona-$cmd" ||
			fail "persona-$cmd" "$(cat /tmp/err)"
	fi
done
# /proc/dev_ns: while beta is in front, alpha sees no active devns ...
expect_eq persona-proc-background "0|active: 0 timestamp: 0 tag: " \
	"$(in_persona "$a" cat /proc/dev_ns/active_ns_pid)|$(in_persona "$a" cat /proc/dev_ns/ns_tag)"
# ... and sysfs only its own attributes, its init's pid its own.
expect_eq persona-sysfs-self "$a_id alpha 1 0" \
	"$(in_persona "$a" cat $sys/devns$a_id/id $sys/devns$a_id/tag $sys/devns$a_id/init_pid $sys/devns$a_id/active | tr '\n' ' ' | sed 's/ $//')"
leaked=
for d in devns0 devns$b_id; do
	for f in id tag init_pid active; do
		in_persona "$a" cat $sys/$d/$f 2>/dev/null && leaked="$leaked $d/$f"
	done
done
[ -z "$leaked" ] && pass persona-sysfs-others || fail persona-sysfs-others "read:$leaked"
expect_eq persona-reads-change-nothing "$before" "$(state)"
# In front, it sees itself, by its own pid.
"$nl" switch "$a_id"
line=$(in_persona "$a" cat /proc/dev_ns/ns_tag)
if [ "$(in_persona "$a" cat /proc/dev_ns/active_ns_pid)" = 1 ] &&
   [[ $line =~ ^active:\ 1\ timestamp:\ [1-9][0-9]*\ tag:\ alpha$ ]]; then
	pass persona-proc-front
else
	fail persona-proc-front "got '$line'"
fi
# The root keeps the whole view, in its own pids.
expect_eq root-view "$a $b" "$(cat $sys/devns$a_id/init_pid $sys/devns$b_id/init_pid | tr '\n' ' ' | sed 's/ $//')"
expect_eq root-list 3 "$("$nl" list | wc -l)"
"$nl" switch "$b_id"

## /proc/dev_ns writes count the opener's credentials (file_ns_capable).
# An fd opened without CAP_SYS_ADMIN (by a root whose capabilities were cut)
# and handed to a privileged process over a socket does not write.
before=$(state)
out=$("$python" - "$a" <<'EOF'
import os, socket, subprocess, sys
mine, theirs = socket.socketpair()
opener = ("import os, socket, sys; s = socket.socket(fileno=int(sys.argv[1]));"
          "socket.send_fds(s, [b'x'], [os.open('/proc/dev_ns/active_ns_pid', os.O_WRONLY)])")
subprocess.run(["setpriv", "--inh-caps=-sys_admin", "--bounding-set=-sys_admin",
                sys.executable, "-c", opener, str(theirs.fileno())],
               pass_fds=[theirs.fileno()], check=True)
_, fds, _, _ = socket.recv_fds(mine, 1, 1)
try:
    os.write(fds[0], sys.argv[1].encode())
    print("written")
except OSError as e:
    print("refused:", e.strerror)
EOF
)
expect_eq proc-unprivileged-opener "refused: Operation not permitted" "$out"
# One opened by the root devns's privileged root, inherited by a persona: no.
out=$(exec 3>/proc/dev_ns/active_ns_pid; in_persona "$a" sh -c "echo $a >&3" 2>&1)
[ -n "$out" ] && pass proc-fd-to-persona || fail proc-fd-to-persona "written"
expect_eq proc-borrowed-changes-nothing "$before" "$(state)"
# One it opened and handed to an unprivileged process of the root devns is
# the opener's to give: it writes (as for any file opened for writing).
( exec 3>/proc/dev_ns/active_ns_pid
  exec setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
	--bounding-set=-all sh -c "echo $a >&3" )
expect_eq proc-privileged-opener "$a" "$(cat /proc/dev_ns/active_ns_pid)"
"$nl" switch "$b_id"
# The writer's pids are its pid namespace's: "1" written from a new pid
# namespace (not a persona yet) is that namespace's init, not the host's.
unshare -p -f sh -c 'echo 1 >/proc/dev_ns/active_ns_pid && exec sleep 100000' &
wait_for 10 sh -c "[ \$(cat /proc/dev_ns/active_ns_pid) != $b ]"
c=$(cat /proc/dev_ns/active_ns_pid)
if [ "$c" != 1 ] && [ "$c" != "$b" ] &&
   [ "$(readlink /proc/$c/ns/pid)" != "$(readlink /proc/1/ns/pid)" ]; then
	pass proc-writer-pid-namespace
else
	fail proc-writer-pid-namespace "active init is $c"
fi
"$nl" switch "$b_id"

## pidfds: a pidfd names one process for good, whoever gets its pid later.
before=$(state)
n=$("$nl" list | wc -l)
"$progs/nl-pidfd" recycle create >/tmp/recycle 2>&1
cat /tmp/recycle
v=$(sed -n 's/^victim=//p' /tmp/recycle)
expect_eq pidfd-recycled-same-number "$v" "$(sed -n 's/^recycled=//p' /tmp/recycle)"
grep -q '^stale-create: error=ESRCH' /tmp/recycle && pass pidfd-stale-create ||
	fail pidfd-stale-create "$(cat /tmp/recycle)"
# (while the same number, by pid, names the new process)
grep -q "^pid-create: id=[0-9]* pid=$v " /tmp/recycle && pass pidfd-number-differs ||
	fail pidfd-number-differs "$(cat /tmp/recycle)"
wait_for 10 sh -c "[ \$('$nl' list | wc -l) = $n ]"
expect_eq pidfd-stale-create-changes-nothing "$before" "$(state)"
"$progs/nl-pidfd" recycle switch >/tmp/recycle 2>&1
cat /tmp/recycle
grep -q '^stale-switch: error=ESRCH' /tmp/recycle && pass pidfd-stale-switch ||
	fail pidfd-stale-switch "$(cat /tmp/recycle)"
wait_for 10 sh -c "[ \$('$nl' list | wc -l) = $n ]"
expect_eq pidfd-stale-switch-changes-nothing "$before" "$(state)"

kill -9 "$a" "$b" "$c" 2>/dev/null
