# devns-vm: timeout 300
# devns_core: the registry, switching, permissions, events, /proc/dev_ns and
# the netlink family, seen from userspace.
. "$DEVNS_TOP/tests/vm/lib.sh"
progs=$DEVNS_TOP/tests/vm/progs
nl=$DEVNS_TOP/daemon/build/devns-nl
sys=/sys/class/devns

if ! load_devns; then
	fail load "devns_core does not load"
	exit 0
fi
pass load

# field NAME LINE...: the value of NAME=... in a devns-nl line.
field() {
	local name=$1
	shift
	sed -n "s/.* $name=\([^ ]*\).*/\1/p; s/^$name=\([^ ]*\).*/\1/p" <<<"$*" | head -n1
}

# A fingerprint of the whole registry, to show a refused request changed nothing.
state() {
	"$nl" list
	cat /proc/dev_ns/ns_tag /proc/dev_ns/active_ns_pid
	ls $sys
}

# spawn: a new pid namespace running sleep; prints its init's pid.
spawn() {
	"$progs/pidns-spawn" "$@" sleep 100000
}

## Initial state: the root devns is the host.
expect_eq root-sysfs "0 root 1 1" \
	"$(cat $sys/devns0/id $sys/devns0/tag $sys/devns0/init_pid $sys/devns0/active | tr '\n' ' ' | sed 's/ $//')"
expect_eq proc-initial-tag "active: 1 timestamp: 0 tag: root" "$(cat /proc/dev_ns/ns_tag)"
expect_eq proc-initial-pid 1 "$(cat /proc/dev_ns/active_ns_pid)"

## /proc/dev_ns, as the seed documents it.
a=$(spawn)
echo "$a" >/proc/dev_ns/active_ns_pid
expect_eq proc-switch-registers "$a" "$(cat /proc/dev_ns/active_ns_pid)"
expect_eq proc-switch-sysfs "1 $a 1 0" \
	"$(cat $sys/devns1/id $sys/devns1/init_pid $sys/devns1/active $sys/devns0/active | tr '\n' ' ' | sed 's/ $//')"
line=$(cat /proc/dev_ns/ns_tag)
if [[ $line =~ ^active:\ $a\ timestamp:\ [1-9][0-9]*\ tag:\ ns1$ ]]; then
	pass proc-tag-read-persona
else
	fail proc-tag-read-persona "got '$line'"
fi
echo "$a:demo" >/proc/dev_ns/ns_tag
expect_eq proc-tag-write "demo" "$(cat $sys/devns1/tag)"
echo 1 >/proc/dev_ns/active_ns_pid
expect_eq proc-switch-root 1 "$(cat /proc/dev_ns/active_ns_pid)"
echo 1:init >/proc/dev_ns/ns_tag
line=$(cat /proc/dev_ns/ns_tag)
if [[ $line =~ ^active:\ 1\ timestamp:\ [1-9][0-9]*\ tag:\ init$ ]]; then
	pass proc-tag-root
else
	fail proc-tag-root "got '$line'"
fi

## Any pid inside a persona, nested pid namespaces included, means the persona.
read -r -d '' outer inner < <(spawn -d 2)
echo "$outer" >/proc/dev_ns/active_ns_pid
b_id=$("$nl" get-pid "$outer" | sed -n 's/^id=\([0-9]*\).*/\1/p')
expect_eq nested-resolves-outer "$b_id" "$("$nl" get-pid "$inner" | sed -n 's/^id=\([0-9]*\).*/\1/p')"
echo 1 >/proc/dev_ns/active_ns_pid
echo "$inner" >/proc/dev_ns/active_ns_pid
expect_eq nested-proc-switch "$outer" "$(cat /proc/dev_ns/active_ns_pid)"
expect_eq nested-not-registered 3 "$(ls -d $sys/devns* | wc -l)"
if "$nl" create "$inner" 2>/tmp/err; then
	fail nested-create-refused "created a devns inside a persona"
else
	grep -q 'File exists' /tmp/err && pass nested-create-refused ||
		fail nested-create-refused "$(cat /tmp/err)"
fi
echo 1 >/proc/dev_ns/active_ns_pid

## Garbage written to /proc changes nothing.
before=$(state)
# (An empty write never reaches the kernel: nothing to refuse.)
for junk in "abc" "-5" "0" "4000000" "12345678901234567890" "1 2" "$(printf '%0100d' 7)"; do
	if printf '%s' "$junk" >/proc/dev_ns/active_ns_pid 2>/dev/null; then
		fail "proc-garbage-pid '$junk'" "accepted"
	fi
done
for junk in "1" "1:" ":x" "x:y" "1:bad tag" "1:$(printf 'x%.0s' {1..20})" "4000000:x" "$a:a:b"; do
	if printf '%s' "$junk" >/proc/dev_ns/ns_tag 2>/dev/null; then
		fail "proc-garbage-tag '$junk'" "accepted"
	fi
done
expect_eq proc-garbage-unchanged "$before" "$(state)"

## Netlink: create, list, get, switch, tag, destroy.
c=$(spawn)
out=$("$nl" create "$c" work 2>&1)
c_id=$(field id "$out")
expect_eq nl-create "pid=$c tag=work" "pid=$(field pid "$out") tag=$(field tag "$out")"
expect_eq nl-list "0 1 $b_id $c_id" "$("$nl" list | sed -n 's/^id=\([0-9]*\).*/\1/p' | tr '\n' ' ' | sed 's/ $//')"
switches0=$(field switches "$("$nl" stats | head -n1)")
"$nl" switch "$c_id"
expect_eq nl-switch-id "$c" "$(cat /proc/dev_ns/active_ns_pid)"
expect_eq nl-get-active 1 "$(field active "$("$nl" get "$c_id")")"
"$nl" switch-pid "$a"
expect_eq nl-switch-pid "$a" "$(cat /proc/dev_ns/active_ns_pid)"
"$nl" switch 0
expect_eq nl-switch-root 1 "$(cat /proc/dev_ns/active_ns_pid)"
"$nl" tag "$c_id" kiosk-2.b
expect_eq nl-tag "kiosk-2.b" "$(field tag "$("$nl" get "$c_id")")"
expect_eq nl-stats-count $((switches0 + 3)) "$(field switches "$("$nl" stats | head -n1)")"
"$nl" destroy "$c_id"
if [ ! -e $sys/devns$c_id ] && ! "$nl" get "$c_id" 2>/dev/null; then
	pass nl-destroy
else
	fail nl-destroy "devns $c_id still there"
fi
kill -0 "$c" 2>/dev/null && pass nl-destroy-keeps-processes ||
	fail nl-destroy-keeps-processes "the persona's init died"

## Events on the multicast group.
c2=$(spawn)
"$nl" monitor --count 4 --timeout 30 -- sh -c "
	'$nl' create $c2 ev >/dev/null &&
	'$nl' switch-pid $c2 && '$nl' switch 0 &&
	'$nl' tag 0 root && '$nl' destroy \$('$nl' get-pid $c2 | sed -n 's/^id=\([0-9]*\).*/\1/p')" >/tmp/events 2>/tmp/events.err
cat /tmp/events
expect_eq events "new switched switched del" \
	"$(sed -n 's/^event=\([a-z]*\).*/\1/p' /tmp/events | tr '\n' ' ' | sed 's/ $//')"
grep -q "^event=switched id=0 .*reason=request" /tmp/events && pass event-switch-fields ||
	fail event-switch-fields "$(cat /tmp/events)"
grep -q "^event=del .*reason=request.*tag=ev$" /tmp/events && pass event-del-fields ||
	fail event-del-fields "$(cat /tmp/events)"

## Only privileged processes of the root devns may change anything.
before=$(state)
if nsenter -t "$a" -p -- "$nl" switch 0 2>/tmp/err; then
	fail persona-nl-denied "a persona switched"
else
	grep -q 'Operation not permitted' /tmp/err && pass persona-nl-denied ||
		fail persona-nl-denied "$(cat /tmp/err)"
fi
for cmd in "create $c2 x" "destroy 1" "tag 0 pwned" "hotkeys default" "switch-pid 1"; do
	if nsenter -t "$a" -p -- "$nl" $cmd 2>/dev/null; then
		fail "persona-nl-denied $cmd" "allowed"
	fi
done
if nsenter -t "$a" -p -- sh -c 'echo 1 >/proc/dev_ns/active_ns_pid' 2>/dev/null ||
   nsenter -t "$a" -p -- sh -c 'echo 1:pwned >/proc/dev_ns/ns_tag' 2>/dev/null; then
	fail persona-proc-denied "a persona wrote /proc/dev_ns"
else
	pass persona-proc-denied
fi
if setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all \
	"$nl" switch 1 2>/dev/null; then
	fail unprivileged-denied "an unprivileged process switched"
else
	pass unprivileged-denied
fi
expect_eq denied-unchanged "$before" "$(state)"
# A persona reads about itself alone (attacks-core tries the rest).
a_id=$("$nl" get-pid "$a" | sed -n 's/^id=\([0-9]*\).*/\1/p')
expect_eq persona-reads-itself "id=$a_id pid=1" \
	"$(nsenter -t "$a" -p -- "$nl" list | sed 's/^\(id=[0-9]* pid=[0-9]*\).*/\1/')"

## pidfds name processes as pids do.
f=$(spawn)
out=$("$progs/nl-pidfd" create "$f" byfd)
f_id=$(field id "$out")
expect_eq pidfd-create "pid=$f tag=byfd" "pid=$(field pid "$out") tag=$(field tag "$out")"
"$progs/nl-pidfd" switch "$f" >/dev/null
expect_eq pidfd-switch "$f" "$(cat /proc/dev_ns/active_ns_pid)"
expect_eq pidfd-get "$f_id" "$(field id "$("$progs/nl-pidfd" get "$f")")"
"$progs/nl-pidfd" destroy "$f" >/dev/null
[ ! -e $sys/devns$f_id ] && pass pidfd-destroy || fail pidfd-destroy "devns $f_id still there"
expect_eq pidfd-destroy-root-active 1 "$(cat /proc/dev_ns/active_ns_pid)"
kill -9 "$f"

## Malformed requests: clear errors, nothing changed.
"$progs/nl-malformed" 1 "$a" >/tmp/malformed 2>&1
while read -r status name rest; do
	case $status in
	PASS) pass "malformed-$name" ;;
	FAIL) fail "malformed-${name%:}" "$rest" ;;
	esac
done </tmp/malformed
grep -q '^PASS still-working' /tmp/malformed || fail malformed-run "$(tail -n3 /tmp/malformed)"

## Hotkey table round trip.
"$nl" hotkeys set 3:125,29,60 0:125,1
expect_eq hotkeys-set "slot=3 keys=125,29,60 slot=0 keys=125,1" "$("$nl" hotkeys | tr '\n' ' ' | sed 's/ $//')"
"$nl" hotkeys default
expect_eq hotkeys-default 13 "$("$nl" hotkeys | wc -l)"
"$nl" hotkeys | grep -qx 'slot=12 keys=125,88' && pass hotkeys-default-f12 ||
	fail hotkeys-default-f12 "$("$nl" hotkeys)"

## The persona's init dies while active: the root becomes active, all say so.
d=$(spawn)
d_id=$(field id "$("$nl" create "$d" dying)")
"$nl" switch "$d_id"
"$nl" monitor --count 2 --timeout 30 -- kill -9 "$d" >/tmp/events 2>&1
cat /tmp/events
expect_eq death-root-active 1 "$(cat /proc/dev_ns/active_ns_pid)"
grep -q "^event=switched id=0 prev_id=$d_id reason=init-exited" /tmp/events &&
	pass death-switch-event || fail death-switch-event "$(cat /tmp/events)"
grep -q "^event=del id=$d_id reason=init-exited" /tmp/events &&
	pass death-del-event || fail death-del-event "$(cat /tmp/events)"
[ ! -e $sys/devns$d_id ] && pass death-sysfs-gone || fail death-sysfs-gone "still there"

## A background persona dies: nothing else changes.
e=$(spawn)
e_id=$(field id "$("$nl" create "$e")")
kill -9 "$e"
wait_for 30 test ! -e $sys/devns$e_id
[ ! -e $sys/devns$e_id ] && pass death-background || fail death-background "devns $e_id not torn down"

## 1,000 back-to-back switches.
s=$(field switches "$("$nl" stats | head -n1)")
for _ in $(seq 500); do
	echo "$a" >/proc/dev_ns/active_ns_pid
	echo "$outer" >/proc/dev_ns/active_ns_pid
done
echo 1 >/proc/dev_ns/active_ns_pid
stats=$("$nl" stats | head -n1)
echo "after 1000 switches: $stats"
expect_eq storm-count $((s + 1001)) "$(field switches "$stats")"
expect_eq storm-consistent 1 "$(cat /proc/dev_ns/active_ns_pid)"

## Unloading with personas registered (one active) tears everything down.
"$nl" switch-pid "$a"
if rmmod devns_core; then
	pass unload-with-personas
else
	fail unload-with-personas "rmmod failed"
fi
[ ! -e /proc/dev_ns ] && [ ! -e $sys ] && pass unload-clean || fail unload-clean "leftovers"
kill -0 "$a" && pass unload-keeps-processes || fail unload-keeps-processes "persona died"
load_devns && expect_eq reload "active: 1 timestamp: 0 tag: root" "$(cat /proc/dev_ns/ns_tag)"
echo "$a" >/proc/dev_ns/active_ns_pid
expect_eq reload-register "$a" "$(cat /proc/dev_ns/active_ns_pid)"
unload_devns && pass unload-final || fail unload-final "devns_core stays loaded"
kill -9 "$a" "$outer" "$c" "$c2" 2>/dev/null
