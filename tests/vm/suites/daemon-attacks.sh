# devns-vm: own-boot
# devns-vm: timeout 600
# A hostile persona against devnsd: from inside a persona devnsd started,
# as its root, the attacks of issue 19 that go through devnsd or the devns
# family (netlink switch, forged multicast events, D-Bus calls from inside
# and from an orphaned connection, a hanging FUSE mount on its /dev/input,
# adoption by a stale pidfd, a start that never execs). Each asserts that
# the attack fails and that the persona in front stays in front.  The
# personas have the default configuration: a user namespace each, the host
# read-only (Root=/) with /tmp, /run and /var of their own.
. "$DEVNS_TOP/tests/vm/lib.sh"
. "$DEVNS_TOP/tests/vm/lib-daemon.sh"
# Seen read-only from the personas (their /tmp is their own).
t=/srv/devns-attacks
attack=$progs/persona-attacks.py

need_built "$bin"/devnsd "$bin"/devnsctl "$bin"/devns-nl
load_input
load_devns || { fail load "devns_core does not load"; exit 0; }
modprobe fuse 2>/dev/null

trap 'cp $t/devnsd.log "$DEVNS_OUT/attacks-devnsd.log" 2>/dev/null' EXIT

daemon_dir $t && pass bus

## Two personas with the default configuration but for their init: the
## victim "front" and the attacker "mallory". mallory's init runs, as its
## root, each job the suite hands it through a FIFO; it answers in its /tmp.
cat >$t/agent.sh <<AGENT
#!/bin/sh
# the bus the suite runs (the persona's /run is its own)
export DBUS_SYSTEM_BUS_ADDRESS=$DBUS_SYSTEM_BUS_ADDRESS
touch /tmp/ready
while :; do
	read -r job <$t/jobs-\$1 || continue
	out=/tmp/\${job##*/}
	sh "\$job" >"\$out.out" 2>&1
	echo \$? >"\$out.rc.tmp"
	mv "\$out.rc.tmp" "\$out.rc"
done
AGENT
for name in front:1 mallory:2; do
	mkfifo $t/jobs-${name%:*}
	printf '[Persona]\nRoot=/\nInit=/bin/sh %s %s\nHotkeySlot=%s\n' \
		$t/agent.sh "${name%:*}" "${name#*:}" >$t/personas.d/${name%:*}.conf
done
# its init sits on a FUSE mount that never answers (mounted below)
mkdir -p $t/hang
printf '[Persona]\nRoot=/\nInit=%s/hang/init\n' $t >$t/personas.d/slow.conf

start_devnsd $t && pass devnsd-starts || { fail devnsd-starts "$(cat $t/devnsd.log)"; exit 0; }
check start ctl start front mallory
f_pid=$(prop front leader)
f_id=$(prop front id)
m_pid=$(prop mallory leader)
m_id=$(prop mallory id)
wait_for 30 test -f /proc/$f_pid/root/tmp/ready -a -f /proc/$m_pid/root/tmp/ready ||
	{ fail agents "$(tail $t/devnsd.log)"; exit 0; }
check mallory-uid-not-root sh -c "[ \$(stat -c %u /proc/$m_pid) -ne 0 ]"
check front-in-front ctl switch front

# as_mallory SCRIPT: runs SCRIPT with sh as mallory's root; $out is its
# output; returns its status.
jobs=0
as_mallory() {
	jobs=$((jobs + 1))
	local job=$t/job-$jobs.sh answer=/proc/$m_pid/root/tmp/job-$jobs.sh
	printf '%s\n' "$1" >$job
	echo $job >$t/jobs-mallory
	wait_for 60 test -f $answer.rc || { out="(mallory never answered)"; return 124; }
	out=$(cat $answer.out)
	return "$(cat $answer.rc)"
}
as_mallory "readlink /proc/self/ns/pid" &&
	expect_eq mallory-is-inside "$(readlink /proc/$m_pid/ns/pid)" "$out"

# front_stays ATTACK: after ATTACK, front is in front for the kernel and
# for devnsd (if not, it is put back for the next attack).
front_stays() {
	local got="$(cat /proc/dev_ns/active_ns_pid) $(prop front active) $(busctl get-property org.devns.Manager1 /org/devns/Manager1 org.devns.Manager1 ActivePersona | cut -d'"' -f2)"

	expect_eq "$1-front-stays" "$f_pid true front" "$got"
	[ "$got" = "$f_pid true front" ] || ctl switch front
}
# refused_with ATTACK WANT: the attack failed and said WANT.
refused_with() {
	grep -qF -- "$2" <<<"$out" && pass "$1" || fail "$1" "wanted '$2', got: $out"
}

## Netlink: the switch request is the kernel's to refuse.
as_mallory "'$bin/devns-nl' switch $m_id"
refused_with nl-switch-self "Operation not permitted"
as_mallory "'$bin/devns-nl' switch 0"
refused_with nl-switch-root "Operation not permitted"
as_mallory "'$bin/devns-nl' switch-pid 1"
refused_with nl-switch-pid "Operation not permitted"
as_mallory "/usr/bin/python3 '$attack' nl-switch $m_id"
expect_eq nl-switch-raw "errno=1" "$out"
front_stays nl-switch

## Forged events on the multicast group: devnsd must act only on the kernel's.
# A real event after the forged ones (a devns created from the host, which
# devnsd names after its tag) shows devnsd has read past them.
as_mallory "/usr/bin/python3 '$attack' nl-forge hotkey 2"
echo "forge hotkey: $out"
as_mallory "/usr/bin/python3 '$attack' nl-forge switched $m_id"
echo "forge switched: $out"
marker=$("$progs/pidns-spawn")
"$bin/devns-nl" create "$marker" marker >/dev/null
wait_for 30 ctl status marker >/dev/null && pass forged-events-read ||
	fail forged-events-read "devnsd never saw the marker devns"
front_stays forged-multicast
kill -9 "$marker"
wait_for 30 sh -c "! '$bin/devnsctl' status marker" >/dev/null

## D-Bus from inside the persona: its root is an unprivileged host uid
## claiming to be uid 0, so the bus refuses it a connection at all (devnsd's
## own refusal of callers inside a persona: the daemon suite's
## bad-from-persona, by the host's root in a persona's pid namespace).
as_mallory "'$bin/devnsctl' switch mallory"
refused_with dbus-switch-inside "Transport endpoint is not connected"
as_mallory "busctl call org.devns.Manager1 /org/devns/Manager1 org.devns.Manager1 SwitchNext"
refused_with dbus-busctl-inside "Transport endpoint is not connected"
as_mallory "'$bin/devnsctl' console front"
refused_with dbus-console-inside "Transport endpoint is not connected"
as_mallory "'$bin/devnsctl' reload"
refused_with dbus-reload-inside "Transport endpoint is not connected"
as_mallory "'$bin/devnsctl' kill front --signal KILL"
refused_with dbus-kill-inside "Transport endpoint is not connected"
as_mallory "/usr/bin/python3 '$attack' orphan mallory"
refused_with dbus-orphan-inside "no connection"
front_stays dbus-inside

## An unprivileged user of the host, no polkit on this bus: the D-Bus policy
## lets it call (polkit decides for such callers), devnsd refuses, nothing
## changes: no new persona read, front's init not signalled.
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
printf '[Persona]\nRoot=/\nInit=/bin/true\n' >$t/personas.d/intruder.conf
out=$(nobody "$bin/devnsctl" reload 2>&1)
refused_with host-user-reload "polkit cannot be asked"
ctl status intruder >/dev/null 2>&1 && fail host-user-reload-nothing "$(ctl list)" ||
	pass host-user-reload-nothing
rm $t/personas.d/intruder.conf
out=$(nobody "$bin/devnsctl" kill front --signal KILL 2>&1)
refused_with host-user-kill "polkit cannot be asked"
sleep 1
expect_eq host-user-kill-nothing "running $f_pid" "$(prop front state) $(prop front leader)"
front_stays host-user

## The orphaned caller from the host, as root: the process that connected is
## gone, so who calls cannot be told.
out=$(/usr/bin/python3 "$attack" orphan mallory)
refused_with dbus-orphan-host "the calling process is gone"
# ... and with its pid reused by another root process on the host.
mkfifo $t/orphan-in $t/orphan-out
exec 7<>$t/orphan-in 8<>$t/orphan-out
/usr/bin/python3 "$attack" orphan mallory --wait-go <&7 >&8 &
read -r ready gone <&8
echo $((gone - 1)) >/proc/sys/kernel/ns_last_pid
sleep 1000 &
reuser=$!
echo go >&7
read -r out <&8
if [ "$ready" = ready ] && [ "$reuser" = "$gone" ]; then
	refused_with dbus-orphan-recycled "the calling process is not the one that connected"
else
	refused_with dbus-orphan-recycled-not "refused org.freedesktop.DBus.Error.AccessDenied"
	skip dbus-orphan-recycled "pid $gone went to another process than $reuser"
fi
kill $reuser
exec 7>&- 8>&-
front_stays dbus-orphan

## Adoption by a pidfd whose process exited (its pid maybe reused).
out=$(/usr/bin/python3 "$attack" adopt-stale stale)
echo "$out"
read -r stale new result <<<"$out"
refused_with adopt-stale-refused "the process to adopt has exited"
ctl status stale >/dev/null 2>&1 && fail adopt-stale-nothing "$(ctl status stale)" ||
	pass adopt-stale-nothing
"$bin/devns-nl" get-pid "$new" 2>/dev/null | grep -q '^id=[1-9]' &&
	fail adopt-stale-not-reused "pid $new was registered" || pass adopt-stale-not-reused
kill -9 "$new" 2>/dev/null

## A FUSE file system that never answers, on mallory's /dev/input.
if [ -n "$have_input" ] && [ -c /dev/fuse ] && modprobe uinput; then
	coproc FUSE { /usr/bin/python3 "$attack" fuse-hang "$m_pid" /dev/input 2>&1; }
	read -r mounted <&"${FUSE[0]}"
	expect_eq fuse-mounted mounted "$mounted"
	before=$(nsenter -t "$f_pid" -m ls /dev/input | wc -l)
	"$progs/uinput-leds" devns-attack-hotplug >$t/uinput 2>&1 &
	uin=$!
	# front gets its node: hot-plug goes on for the others
	wait_for 30 sh -c "[ \$(nsenter -t $f_pid -m ls /dev/input | wc -l) -gt $before ]" &&
		pass fuse-others-hotplug || fail fuse-others-hotplug "$(tail $t/devnsd.log)"
	# devnsd works on the /dev it built, as mounted in a mount namespace
	# of its own: what mallory mounts over it is never on its way
	wait_for 30 grep -q "mallory: added /dev/input/" $t/devnsd.log &&
		! grep -q "mallory: its /dev hangs" $t/devnsd.log &&
		pass fuse-mallory-not-entered || fail fuse-mallory-not-entered "$(tail $t/devnsd.log)"
	check fuse-dbus-answers timeout 5 "$bin/devnsctl" list
	qemu_monitor sendkey meta_l-esc >/dev/null
	wait_for 30 sh -c "[ \$(cat /proc/dev_ns/active_ns_pid) = 1 ]" &&
		pass fuse-hotkey-answers || fail fuse-hotkey-answers "active $(cat /proc/dev_ns/active_ns_pid)"
	qemu_monitor sendkey meta_l-f1 >/dev/null
	wait_for 30 sh -c "[ \$(cat /proc/dev_ns/active_ns_pid) = $f_pid ]"
	front_stays fuse
	kill "$uin"
	wait "$uin"
	kill $FUSE_PID
else
	skip fuse "no devns_input, /dev/fuse or uinput"
fi

## A start whose init never execs (a hanging FUSE mount under its Init=):
## devnsd answers meanwhile, gives up after 10 s and kills it.
if [ -c /dev/fuse ]; then
	coproc HANG { /usr/bin/python3 "$attack" fuse-hang 0 $t/hang 2>&1; }
	read -r mounted <&"${HANG[0]}"
	ctl start slow >$t/slow.out 2>&1 &
	slow=$!
	wait_for 30 sh -c "'$bin/devnsctl' status --json slow | grep -q '\"state\":\"starting\"'" &&
		pass start-async-starting || fail start-async-starting "$(ctl status slow)"
	check start-async-dbus-answers timeout 5 "$bin/devnsctl" switch front
	wait $slow
	expect_eq start-async-fails 1 $?
	out=$(cat $t/slow.out)
	refused_with start-async-timeout "init did not start within 10 s"
	wait_for 30 sh -c "'$bin/devnsctl' status --json slow | grep -q '\"state\":\"failed\"'" &&
		pass start-async-failed || fail start-async-failed "$(ctl status slow)"
	front_stays start-async
	umount -l $t/hang
	kill $HANG_PID
else
	skip start-async "no /dev/fuse"
fi

kill -9 "$f_pid" "$m_pid"
wait_for 30 sh -c "[ -z \"\$('$bin/devns-nl' list | grep -v '^id=0 ')\" ]"
kill $devnsd_pid
wait $devnsd_pid
kill $DEVNS_BUS_PID
wait $DEVNS_BUS_PID 2>/dev/null
unload_devns
