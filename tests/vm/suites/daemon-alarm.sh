# devns-vm: own-boot
# devns-vm: ends
# devns-vm: timeout 400
# WakeAlarm= (issue 22): a contained persona's CLOCK_*_ALARM timerfds
# through devnsd's broker (daemon/devnsd/alarm.h).  Its processes make the
# calls, so they are under its seccomp filter: each persona's init serves
# commands from the host on a fifo in its own /tmp (nsenter would leave the
# filter behind).  Alarms fire, relative and absolute with a boottime
# offset; plain timerfds work; its root's tricks (other fds, another
# process's, garbage pointers, a flood) get the kernel's answers and harm
# nothing; devnsd killed with SIGKILL comes back with the alarms.  And a
# benchmark line: a plain timerfd_settime with the broker against without.
. "$DEVNS_TOP/tests/vm/lib.sh"
. "$DEVNS_TOP/tests/vm/lib-daemon.sh"
t=/srv/devns-alarm
probe=$progs/alarm-probe

need_built "$bin/devnsd" "$bin/devnsctl" "$probe"
load_devns || { fail load "devns_core does not load"; exit 0; }

cmds() { echo "/proc/$(prop "$1" leader)/root/tmp/cmd"; }
# run_in NAME CMD: CMD run by NAME's init (sh -c), its output; waits 60 s
# at most.  Called in $(...): a counter would not survive, the time does.
run_in() {
	local d n
	d=$(cmds "$1")
	n=$(date +%s%N)
	echo "$n $2" >"$d/in"
	wait_for 60 test -e "$d/$n.rc" || echo "no answer from $1 to '$2'"
	cat "$d/$n.out"
}
# fired NAME OUT MIN MAX: OUT is "fired after MS ms" with MIN <= MS <= MAX
fired() {
	local ms
	ms=$(sed -n 's/^fired after \([0-9]*\) ms$/\1/p' <<<"$2")
	[ -n "$ms" ] && [ "$ms" -ge "$3" ] && [ "$ms" -le "$4" ] && pass "$1" ||
		fail "$1" "$2"
}
trap 'cp $t/devnsd.log "$DEVNS_OUT/devnsd.log" 2>/dev/null' EXIT

daemon_dir $t

cat >$t/serve.sh <<'SERVE'
#!/bin/sh
d=/tmp/cmd
mkdir -p $d && mkfifo $d/in || exit 1
while :; do
	read -r id cmd <$d/in || continue
	sh -c "$cmd" >$d/$id.out 2>&1 </dev/null
	echo $? >$d/$id.rc
done
SERVE
persona() {
	local name=$1
	shift
	{
		echo '[Persona]'
		echo 'Root=/'
		echo "Init=/bin/sh $t/serve.sh"
		echo 'StopTimeoutSec=1'
		printf '%s\n' "$@"
	} >$t/personas.d/$name.conf
}
persona wake WakeAlarm=yes TimeNamespace=yes TimeOffsetBoottime=172800
persona other WakeAlarm=yes
# the default: no broker
persona nowake TimeNamespace=yes TimeOffsetBoottime=3600

# devnsd as its unit runs it: systemd's fd store and Restart=on-failure
coproc SM { JOURNAL_STREAM=8:1234 INVOCATION_ID=0123456789abcdef \
	/usr/bin/python3 "$progs/service-manager.py" $t/notify \
	"$bin/devnsd" --config-dir $t/personas.d --state-file $t/state 2>>$t/devnsd.log; }
read -r -t 30 devnsd_pid <&"${SM[0]}"
wait_for 30 ctl list >/dev/null && pass devnsd-starts ||
	{ fail devnsd-starts "$(cat $t/devnsd.log)"; exit 0; }
check start ctl start wake other nowake
for p in wake other nowake; do
	wait_for 30 test -p "$(cmds $p)/in" || fail "$p-serves" "$(tail $t/devnsd.log)"
done
w_pid=$(prop wake leader)
[ "$(readlink /proc/$w_pid/ns/user)" != "$(readlink /proc/1/ns/user)" ] &&
	pass contained || fail contained "wake has the host's user namespace"

## Alarms fire, at the right time: relative, absolute in the persona's
## boottime (172800 s ahead of the host's), from another thread.
expect_eq offset-boottime "boottime 172800 0" "$(grep boottime /proc/$w_pid/timens_offsets | tr -s ' ')"
fired alarm-fires-relative "$(run_in wake "$probe fire rel")" 950 10000
fired alarm-fires-absolute "$(run_in wake "$probe fire abs")" 950 10000
fired alarm-fires-thread "$(run_in wake "$probe thread")" 950 10000
expect_eq alarm-create-flags "cloexec nonblock | plain | EINVAL-flags=EINVAL" "$(run_in wake "$probe flags")"
out=$(run_in wake "$probe old-value")
ms=$(sed -n 's/^old \([0-9]*\) guards intact$/\1/p' <<<"$out")
[ -n "$ms" ] && [ "$ms" -gt 5000 ] && [ "$ms" -le 10000 ] && pass alarm-old-value ||
	fail alarm-old-value "$out"
fired plain-fires-relative "$(run_in wake "$probe plain rel")" 950 10000
fired plain-fires-absolute "$(run_in wake "$probe plain abs")" 950 10000
expect_eq nowake-refused "timerfd_create: Operation not permitted" "$(run_in nowake "$probe fire rel")"
fired nowake-plain-fires "$(run_in nowake "$probe plain abs")" 950 10000

## The persona's root against the broker: the kernel's answers, no harm.
# an eventfd: the call goes on to the kernel (EINVAL), old_value untouched
expect_eq attack-not-timerfd "EINVAL guards intact" "$(run_in wake "$probe not-timerfd")"
# a child's own fd with our alarm timerfd's number: an eventfd, then none
expect_eq attack-other-fd "EINVAL EBADF ours unarmed" "$(run_in wake "$probe other-fd")"
# garbage new_value (1, an unmapped page), a kernel address as old_value
expect_eq attack-efault "new EFAULT unmapped EFAULT unarmed old EFAULT armed" "$(run_in wake "$probe efault")"
# timer_create(CLOCK_BOOTTIME_ALARM) signals: not brokered
expect_eq timer-create-refused EPERM "$(run_in wake "$probe timer-create")"
kill -0 $devnsd_pid && pass devnsd-survives || fail devnsd-survives "$(tail $t/devnsd.log)"

## A flood from wake starves neither other's alarms nor devnsd's D-Bus.
run_in wake "$probe flood 20 >/tmp/flood &" >/dev/null
wait_for 10 test -e "$(cmds wake)/../flood" || fail flood-started "no /tmp/flood"
fired flood-other-alarm-fires "$(run_in other "$probe fire rel")" 950 5000
start=$(date +%s%N)
timeout 10 "$bin/devnsctl" list >/dev/null && pass flood-bus-answers ||
	fail flood-bus-answers "no answer in 10 s"
echo "# flood: devnsctl list took $((($(date +%s%N) - start) / 1000000)) ms"
wait_for 60 grep -q calls "$(cmds wake)/../flood" && pass flood-ends ||
	fail flood-ends "$(cat "$(cmds wake)/../flood")"
echo "# flood: $(cat "$(cmds wake)/../flood") in 20 s"

## devnsd killed with SIGKILL: the listener waits in the fd store.
kill -KILL $devnsd_pid
read -r -t 30 devnsd_pid <&"${SM[0]}" && wait_for 30 ctl list >/dev/null &&
	pass devnsd-restarts || fail devnsd-restarts "$(tail $t/devnsd.log)"
fired alarm-after-restart "$(run_in wake "$probe fire abs")" 950 10000
expect_eq attack-other-fd-after-restart "EINVAL EBADF ours unarmed" "$(run_in wake "$probe other-fd")"

## The cost of a plain timerfd_settime through the broker, same boot.
with=$(run_in wake "$probe bench 2000" | sed -n 's/^\([0-9]*\) ns\/call$/\1/p')
without=$(run_in nowake "$probe bench 2000" | sed -n 's/^\([0-9]*\) ns\/call$/\1/p')
if [ -n "$with" ] && [ -n "$without" ]; then
	echo "# bench: plain timerfd_settime in a persona: $with ns with the broker, $without ns without, ratio $(awk -v a=$with -v b=$without 'BEGIN { printf "%.1f", a / b }')"
	bench_row "timerfd_settime ns/call, WakeAlarm=yes" "$with" "WakeAlarm=no" "$without" ns -
	pass bench
else
	fail bench "with '$with' without '$without'"
fi

check stop-all ctl stop wake other nowake
for p in wake other nowake; do
	wait_for 30 sh -c "'$bin/devnsctl' status --json $p | grep -q '\"state\":\"stopped\"'" ||
		fail "stopped-$p" "$(ctl status $p)"
done
kill $devnsd_pid
wait $SM_PID
kill $DEVNS_BUS_PID
unload_devns
