# devns-vm: own-boot
# devns-vm: ends
# devns-vm: timeout 300
# Binder=yes and TimeNamespace=yes (issue 22): binder contexts of a
# persona's own from binder_linux (two personas' clients each reach their
# own context manager, never the other's), time namespace offsets that stay
# in their persona, no /dev/rtc* in a persona, CLOCK_BOOTTIME_ALARM timers.
# Its own boot: binder_linux cannot be unloaded (it has no module_exit).
. "$DEVNS_TOP/tests/vm/lib.sh"
. "$DEVNS_TOP/tests/vm/lib-daemon.sh"
t=/srv/devns-binder-time
conf=/etc/modprobe.d/devns-binder.conf

need_built "$bin"/devnsd "$bin"/devnsctl "$progs"/binder-ctx "$progs"/time-probe "$progs"/alarm-probe
modinfo binder_linux >/dev/null 2>&1 || { skip binder "no binder_linux"; exit 0; }
[ -d /sys/module/binder_linux ] && { fail binder "binder_linux is loaded already"; exit 0; }
load_devns || { fail load "devns_core does not load"; exit 0; }

seen() { echo "/proc/$(prop "$1" leader)/root/tmp/seen-$1"; }
# as NAME CMD...: CMD as persona NAME's root, in its namespaces (time too;
# its user namespace unless it is the host's)
as() {
	local pid user=
	pid=$(prop "$1" leader)
	shift
	[ "$(readlink /proc/"$pid"/ns/user)" = "$(readlink /proc/self/ns/user)" ] || user=-U
	nsenter -t "$pid" $user -m -p -T -- "$@"
}
# rdev NAME NODE: a node of NAME's /dev as "major:minor" (hex, stat's %t:%T)
rdev() { as "$1" stat -c %t:%T "/dev/$2"; }
started() {
	wait_for 30 sh -c "'$bin/devnsctl' status --json $1 | grep -q '\"state\":\"running\"' && test -f $(seen "$1")/ready"
}
stopped() {
	wait_for 30 sh -c "'$bin/devnsctl' status --json $1 | grep -q '\"state\":\"stopped\"'"
}
trap 'cp $t/devnsd.log "$DEVNS_OUT/devnsd.log" 2>/dev/null; rm -f $conf' EXIT

daemon_dir $t

rtc=$(cat /sys/class/rtc/rtc0/dev 2>/dev/null)
# The init records what it sees from inside, then sleeps.
cat >$t/probe.sh <<PROBE
#!/bin/sh
out=/tmp/seen-\$1
mkdir -p \$out
ls -1 /dev >\$out/dev
$progs/time-probe clocks >\$out/clocks
$progs/alarm-probe fire abs >\$out/alarm 2>&1
rtc=$rtc
if [ -n "\$rtc" ] && mknod \$out/rtc c \${rtc%:*} \${rtc#*:} 2>/dev/null; then
	echo allowed >\$out/rtc-mknod
else
	echo denied >\$out/rtc-mknod
fi
touch \$out/ready
exec sleep 100000
PROBE
persona() {
	local name=$1
	shift
	{
		echo '[Persona]'
		echo 'Root=/'
		echo "Init=/bin/sh $t/probe.sh $name"
		echo 'StopTimeoutSec=1'
		printf '%s\n' "$@"
	} >$t/personas.d/$name.conf
}
persona alpha Binder=yes TimeNamespace=yes TimeOffsetMonotonic=86400 TimeOffsetBoottime=172800 WakeAlarm=yes
persona beta Binder=yes TimeNamespace=yes
persona gamma PrivateUsers=no TimeNamespace=yes TimeOffsetBoottime=3600
persona delta Binder=yes
persona epsilon Binder=yes

start_devnsd $t && pass devnsd-starts || { fail devnsd-starts "$(cat $t/devnsd.log)"; exit 0; }

## make install's modprobe.d file: binder_linux with 24 devices for personas.
cp "$DEVNS_TOP/daemon/modprobe.d/devns-binder.conf" $conf
out=$(modprobe -n -v binder_linux)
grep -q 'devices=binder,binder-devns0,' <<<"$out" &&
	expect_eq binder-modprobe-conf "$(seq -f 'binder-devns%g' 0 23)" \
		"$(grep -o 'binder-devns[0-9]*' <<<"$out")" ||
	fail binder-modprobe-conf "$out"
# Nine of them here (three personas' worth), to run out; devnsd loads it.
sed -i 's/,binder-devns9,.*//' $conf
check start ctl start alpha beta gamma
started alpha && started beta && started gamma && pass inits-ran ||
	fail inits-ran "$(ctl list; tail $t/devnsd.log)"
check binder-module-loaded test -c /dev/binder-devns8 -a ! -e /dev/binder-devns9
a_uid=$(awk '/^Uid:/ {print $2}' /proc/"$(prop alpha leader)"/status)

## /dev: binder, hwbinder, vndbinder of their own; no RTC anywhere.
for n in alpha beta; do
	expect_eq "binder-nodes-$n" "binder hwbinder vndbinder" \
		"$(grep -xE '(hw|vnd)?binder.*' $(seen $n)/dev | paste -sd' ')"
done
expect_eq binder-none-without "" "$(grep binder $(seen gamma)/dev)"
expect_eq binder-node-owner "$a_uid 666" "$(nsenter -t "$(prop alpha leader)" -m stat -c '%u %a' /dev/binder)"
a_devs=$(for n in binder hwbinder vndbinder; do rdev alpha $n; done | sort -u)
b_devs=$(for n in binder hwbinder vndbinder; do rdev beta $n; done | sort -u)
expect_eq binder-three-contexts 3 "$(wc -l <<<"$a_devs")"
expect_eq binder-not-shared "" "$(comm -12 <(echo "$a_devs") <(echo "$b_devs"))"
expect_eq binder-not-the-hosts "" "$(grep -x "$(stat -c %t:%T /dev/binder)" <<<"$a_devs
$b_devs")"
if [ -n "$rtc" ]; then
	for n in alpha beta gamma; do
		expect_eq "rtc-none-$n" "" "$(grep '^rtc' $(seen $n)/dev)"
		expect_eq "rtc-mknod-denied-$n" denied "$(cat $(seen $n)/rtc-mknod)"
	done
else
	skip rtc "the guest has no RTC"
fi

## Each persona's client reaches its own context manager.
for n in alpha beta; do
	as $n "$progs/binder-ctx" manager /dev/binder "$n-manager" >$t/mgr-$n 2>&1 &
	eval "mgr_$n=\$!"
	wait_for 30 grep -qx ready $t/mgr-$n || fail "binder-manager-$n" "$(cat $t/mgr-$n)"
done
expect_eq binder-alpha-reaches-own alpha-manager "$(as alpha "$progs/binder-ctx" call /dev/binder)"
expect_eq binder-beta-reaches-own beta-manager "$(as beta "$progs/binder-ctx" call /dev/binder)"
# hwbinder is another context: no manager there
expect_eq binder-hwbinder-apart dead "$(as alpha "$progs/binder-ctx" call /dev/hwbinder)"

## alpha's root goes for beta's context: a node of beta's device.
b_bin=$(rdev beta binder)
as alpha mknod /dev/stolen c $((16#${b_bin%:*})) $((16#${b_bin#*:})) 2>$t/mknod.err
grep -q 'Operation not permitted' $t/mknod.err && pass binder-mknod-other ||
	fail binder-mknod-other "$(cat $t/mknod.err)"
as alpha test ! -e /dev/stolen && pass binder-mknod-nothing-made ||
	fail binder-mknod-nothing-made "/dev/stolen exists"
expect_eq binder-beta-still-own beta-manager "$(as beta "$progs/binder-ctx" call /dev/binder)"

## Stopped, a persona keeps its devices: a context keeps its manager's user.
a_bin=$(rdev alpha binder)
kill "$mgr_alpha"
check binder-stop ctl stop alpha
stopped alpha || fail binder-stopped "$(ctl status alpha)"
a_node=$(basename "$(grep -l "^$((16#${a_bin%:*})):$((16#${a_bin#*:}))\$" /sys/class/misc/binder-devns*/dev | xargs dirname)")
# the host's root, once alpha's manager is gone (EBUSY until then)
host_manager() {
	out=$(timeout 10 "$progs/binder-ctx" manager "/dev/$a_node" host 2>&1 | head -n1)
	[ "$out" = "BINDER_SET_CONTEXT_MGR: Operation not permitted" ]
}
wait_for 30 host_manager && pass binder-context-keeps-user ||
	fail binder-context-keeps-user "$out"
check start-delta ctl start delta
started delta || fail delta-ran "$(tail $t/devnsd.log)"
d_devs=$(for n in binder hwbinder vndbinder; do rdev delta $n; done | sort -u)
expect_eq binder-delta-own "" "$(comm -12 <(printf '%s\n' "$a_devs" "$b_devs" | sort) <(echo "$d_devs"))"
check start-alpha-again ctl start alpha
started alpha || fail alpha-ran-again "$(tail $t/devnsd.log)"
expect_eq binder-same-again "$a_devs" "$(for n in binder hwbinder vndbinder; do rdev alpha $n; done | sort -u)"
as alpha "$progs/binder-ctx" manager /dev/binder alpha-again >$t/mgr-alpha2 2>&1 &
mgr_alpha=$!
wait_for 30 grep -qx ready $t/mgr-alpha2 || fail binder-manager-again "$(cat $t/mgr-alpha2)"
expect_eq binder-alpha-own-again alpha-again "$(as alpha "$progs/binder-ctx" call /dev/binder)"
kill "$mgr_alpha" "$mgr_beta"

## All nine are bound now: a clear refusal, nothing left running.
out=$(ctl start epsilon 2>&1)
grep -qF "0 of binder_linux's 9 binder-devns* devices are free, 3 needed" <<<"$out" &&
	pass binder-run-out-refused || fail binder-run-out-refused "$out"
expect_eq binder-run-out-nothing-runs "failed 0" "$(prop epsilon state) $(prop epsilon leader)"
expect_eq binder-bindings "alpha alpha alpha beta beta beta delta delta delta" \
	"$(awk '{print $2}' $t/state.binder | sort | paste -sd' ')"

## Time namespaces: offsets of one persona's own.
# offset NAME CLOCK: NAME's clock minus the host's, read between two host reads
offset() {
	local before after in
	before=$("$progs/time-probe" clocks)
	in=$(as "$1" "$progs/time-probe" clocks)
	after=$("$progs/time-probe" clocks)
	field() { sed -n "s/.*$2 \([0-9]*\).*/\1/p" <<<"$1"; }
	echo "$(($(field "$in" $2) - $(field "$before" $2))) $(($(field "$in" $2) - $(field "$after" $2)))"
}
# near NAME CLOCK SECONDS [TEST]: NAME's clock is SECONDS ahead of the host's
near() {
	local test=${4:-time-$1-$2} o
	o=$(offset "$1" "$2")
	set -- "$1" "$2" "$3" $o
	[ "$4" -ge $(($3 - 1)) ] && [ "$5" -le $(($3 + 1)) ] && pass "$test" ||
		fail "$test" "$*"
}
near alpha monotonic 86400
near alpha boottime 172800
near beta monotonic 0
near beta boottime 0
near gamma monotonic 0
near gamma boottime 3600
up=$(sed -n 's/.*boottime \([0-9]*\).*/\1/p' $(seen alpha)/clocks)
[ "${up:-0}" -ge 172800 ] && pass time-init-sees-offset || fail time-init-sees-offset "$(cat $(seen alpha)/clocks)"
# alpha's root would move its clocks (or the host's)
as alpha sh -c 'echo "monotonic 0 0" >/proc/1/timens_offsets' 2>/dev/null &&
	fail time-offsets-frozen "alpha rewrote its offsets" || pass time-offsets-frozen
expect_eq time-offsets-unchanged "monotonic 86400 0|boottime 172800 0" \
	"$(tr -s ' ' </proc/"$(prop alpha leader)"/timens_offsets | paste -sd'|')"
near alpha monotonic 86400 time-alpha-monotonic-unchanged
host=$(date +%s)
as alpha date -s @0 >/dev/null 2>&1 && fail time-settime-refused "alpha set the clock" ||
	pass time-settime-refused
[ $(($(date +%s) - host)) -lt 60 ] && pass time-host-clock-unchanged ||
	fail time-host-clock-unchanged "$(date)"

## Alarm timers: CLOCK_BOOTTIME_ALARM asks CAP_WAKE_ALARM of the initial
## user namespace (capable() in timerfd_create()): a trusted persona's
## timer fires, in absolute time of its own namespace; under a user
## namespace devnsd's broker arms it if the persona asks (WakeAlarm=yes:
## the daemon-alarm suite), else (the default) the kernel refuses it.
for n in gamma alpha; do
	fired=$(sed -n 's/^fired after \([0-9]*\) ms$/\1/p' $(seen $n)/alarm)
	[ -n "$fired" ] && [ "$fired" -ge 900 ] && pass alarm-fires-$n ||
		fail alarm-fires-$n "$(cat $(seen $n)/alarm)"
done
expect_eq alarm-userns-refused "timerfd_create: Operation not permitted" "$(cat $(seen beta)/alarm)"

check stop-all ctl stop alpha beta gamma delta
for n in alpha beta gamma delta; do stopped $n || fail "stopped-$n" "$(ctl status $n)"; done
kill $devnsd_pid
wait $devnsd_pid
kill $DEVNS_BUS_PID
unload_devns
