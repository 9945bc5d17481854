# devns-vm: own-boot
# devns-vm: timeout 600
# A hostile persona, started by devnsd with the default configuration
# (a user namespace of its own, Root=/ as a read-only view of the host),
# attacks the host the way its root would: each attack must fail, the
# persona in front must stay in front, and nothing may change on the host.
# Then the persona in front still works: its mirror keyboard delivers keys,
# its framebuffer takes writes. Also: a symlink planted in a persona's own
# root as a mount target is not followed; Network=private; the console and
# devnsctl console; devnsd killed with SIGKILL and restarted.
. "$DEVNS_TOP/tests/vm/lib.sh"
. "$DEVNS_TOP/tests/vm/lib-daemon.sh"
# Seen read-only from the personas; their writable /tmp, /run and /var are
# their own, read here through /proc/PID/root.
t=/srv/devns-containment
kbd='AT Translated Set 2 keyboard'

need_built "$bin"/devnsd "$bin"/devnsctl "$bin"/devns-nl
modprobe evdev && modprobe bochs
wait_for 10 test -e /dev/fb0 || { fail setup "no bochs framebuffer"; exit 0; }
for m in devns_input devns_fb; do
	load_devns $m || { fail setup "$m does not load"; exit 0; }
done
# inside NAME PATH: PATH inside persona NAME's root
inside() { echo "/proc/$(prop "$1" leader)/root$2"; }
trap 'cp $t/devnsd.log "$DEVNS_OUT/devnsd.log" 2>/dev/null; cp -r /run/devns "$DEVNS_OUT/run-devns" 2>/dev/null' EXIT

daemon_dir $t

## The victim: in front, reading its mirror keyboard and drawing.
cat >$t/victim.sh <<VICTIM
#!/bin/sh
trap 'exit 0' 37	# SIGRTMIN+3 (glibc's): the default KillSignal
mkdir -p /tmp/v
# its mirror of the keyboard: "devnsID NAME", the one keyboard in its /dev
for e in /dev/input/event*; do
	n=\$(cat /sys/class/input/\${e##*/}/device/name)
	case \$n in *"$kbd") name=\$n ;; esac
done
"$progs/evdev-keys" "\$name" 6 900000 >/tmp/v/keys 2>&1 &
dd if=/dev/zero of=/dev/fb0 bs=4096 count=16 2>/tmp/v/fb.err && echo ok >/tmp/v/fb
touch /tmp/v/ready
sleep 100000 &
wait
VICTIM
## The attacker: every attack as its root, each result one line.
cat >$t/attack.sh <<'ATTACK'
#!/bin/sh
trap 'exit 0' 37
r=/tmp/results
mkdir -p $r /tmp/mnt
# try NAME CMD...: records NAME, CMD's status and its last words
try() {
	name=$1
	shift
	out=$("$@" 2>&1)
	echo "$name $? $(echo "$out" | tail -n1)" >>$r/list
}
id -u >$r/uid
env >$r/env
echo "attacker: on its console"
try devtmpfs mount -t devtmpfs none /tmp/mnt
try sysfs-fresh mount -t sysfs none /tmp/mnt
try led-physical sh -c "echo 1 >/sys/class/leds/$LED/brightness"
try proc-fresh mount -t proc none /tmp/mnt
try proc-sys-drop-caches sh -c 'echo 3 >/proc/sys/vm/drop_caches'
try proc-sys-core-pattern sh -c 'echo "|/bin/false" >/proc/sys/kernel/core_pattern'
try sysrq sh -c 'echo h >/proc/sysrq-trigger'
try kcore head -c 16 /proc/kcore
try remount-root mount -o remount,rw /
try remount-sys mount -o remount,rw /sys
try remount-proc-sys mount -o remount,rw /proc/sys
try umount-proc-mask umount /proc/sysrq-trigger
try umount-dev umount -l /dev
try mknod-physical mknod /tmp/kbd c 13 "$KBD_MINOR"
try mknod-null mknod /tmp/null c 1 3
try init-module insmod "$LED_KO"
try clock-settime date -s @86400
echo own-cgroup-mkdir $(mkdir /sys/fs/cgroup/sub 2>&1; echo $?) >>$r/positive
try cgroup-host-mkdir sh -c 'umount /sys/fs/cgroup && mkdir /sys/fs/cgroup/devns-evil'
try cgroup-host-procs sh -c 'echo $$ >/sys/fs/cgroup/cgroup.procs'
python3 "$SYSCALLS" >>$r/list 2>&1
touch $r/done
sleep 100000 &
wait
ATTACK
# Raw system calls: the seccomp filter's (and the kernel's) answers.
cat >$t/syscalls.py <<'PY'
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
calls = {
    "kexec_load": (246, 0, 0, 0, 0),
    "keyctl": (250, 0, 0, 0, 0),
    "add_key": (248, b"user", b"devns", b"x", 1, -3),
    "bpf": (321, 0, 0, 0),
    "perf_event_open": (298, 0, 0, -1, -1, 0),
    "open_by_handle_at": (304, 3, 0, 0),
    "swapon": (167, b"/tmp/x", 0),
    "settimeofday": (164, 0, 0),
    "clock_adjtime": (305, 0, 0),
    "finit_module": (313, 0, b"", 0),
    "syslog": (103, 3, 0, 0),
    "delete_module": (176, b"devns_fb", 0o4000),
    "init_module": (175, b"\0" * 64, 64, b""),
}
for name, args in calls.items():
    r = libc.syscall(*args)
    e = ctypes.get_errno()
    print("sys-%s %d %s" % (name, 0 if r >= 0 else 1, os.strerror(e) if r < 0 else "succeeded"))
PY
cat >$t/personas.d/victim.conf <<CONF
[Persona]
Root=/
Init=/bin/sh $t/victim.sh
HotkeySlot=1
CONF
# The LED, the keyboard node and the module it would load.
led=$(cd /sys/class/leds && ls -d input*::capslock 2>/dev/null | head -n1)
kbd_event=$(grep -A5 "N: Name=\"$kbd\"" /proc/bus/input/devices | sed -n 's/.*\(event[0-9]*\).*/\1/p' | head -n1)
kbd_minor=$(($(cat /sys/class/input/$kbd_event/dev | cut -d: -f2)))
led_ko=$DEVNS_BUILD/modules/devns_led/devns_led.ko
cat >$t/personas.d/attacker.conf <<CONF
[Persona]
Root=/
Init=/usr/bin/env LED=$led KBD_MINOR=$kbd_minor LED_KO=$led_ko SYSCALLS=$t/syscalls.py /bin/sh $t/attack.sh
HotkeySlot=2
CONF
cat >$t/personas.d/netpriv.conf <<CONF
[Persona]
Root=/
Init=/usr/bin/env LED=$led /bin/sh $t/netpriv.sh
Network=private
CONF

# A persona with a root of its own (for the planted symlink).
r=$t/own-root
mkdir -p $r/dev $r/proc $r/sys $r/usr $r/etc
install -d -m 1777 $r/tmp
mount --bind -o ro /usr $r/usr
mount --bind -o ro /etc $r/etc
for d in bin lib lib64 sbin; do ln -s usr/$d $r/$d; done
cat >$t/personas.d/own.conf <<CONF
[Persona]
Root=$r
Init=/bin/sh -c 'trap "exit 0" 37; rmdir /dev 2>/tmp/rmdir.err; echo \$? >/tmp/rmdir; sleep 100000 & wait'
CONF

# Reads its console, says what it read.
cat >$t/personas.d/echo.conf <<CONF
[Persona]
Root=/
Init=/bin/sh $t/echo.sh
CONF
cat >$t/echo.sh <<'ECHO'
trap "exit 0" 37
echo "echo: ready"
while read -r line; do echo "echo: got $line"; done
ECHO

# Its own network namespace owns a fresh sysfs: the LEDs stay the host's.
cat >$t/netpriv.sh <<'NETPRIV'
trap "exit 0" 37
mkdir -p /tmp/sys
mount -t sysfs none /tmp/sys 2>/tmp/sysfs.err; echo $? >/tmp/sysfs
sh -c "echo 1 >/tmp/sys/class/leds/$LED/brightness" 2>/tmp/led.err; echo $? >/tmp/led
ip -o link >/tmp/links
sleep 100000 &
wait
NETPRIV
# What the host looks like before; devnsd with a systemd service's variables.
snap() {
	{
		cat /proc/sys/kernel/core_pattern /proc/sys/kernel/hostname
		cat "/sys/class/leds/$led/brightness" 2>/dev/null
		grep -c . /proc/self/mountinfo
		ls /sys/fs/cgroup
		grep -o '^devns_[a-z_]*' /proc/modules | sort
		date +%Y
	} 2>&1
}
before=$(snap)
# devnsd as its unit runs it: systemd's fd store and Restart=on-failure
# (the fake service manager prints each devnsd's pid)
coproc SM { JOURNAL_STREAM=8:1234 INVOCATION_ID=0123456789abcdef \
	/usr/bin/python3 "$progs/service-manager.py" $t/notify \
	"$bin/devnsd" --config-dir $t/personas.d --state-file $t/state 2>>$t/devnsd.log; }
sm_pid=$SM_PID
read -r -t 30 devnsd_pid <&"${SM[0]}"
wait_for 30 ctl list >/dev/null || { fail devnsd-starts "$(cat $t/devnsd.log)"; exit 0; }

check victim-start ctl start victim
v_pid=$(prop victim leader)
wait_for 30 test -e "$(inside victim /tmp/v/ready)" && pass victim-ready ||
	fail victim-ready "$(tail $t/devnsd.log; cat /run/devns/victim/console)"
check victim-front ctl switch victim
check attacker-start ctl start attacker
a_pid=$(prop attacker leader)
wait_for 120 test -e "$(inside attacker /tmp/results/done)" && pass attacker-ran ||
	fail attacker-ran "$(tail $t/devnsd.log; cat /run/devns/attacker/console)"
res=$(inside attacker /tmp/results)
cat $res/list

## The persona's root is not the host's.
uid=$(awk '/^Uid:/ {print $2}' /proc/$a_pid/status)
expect_eq persona-root-inside 0 "$(cat $res/uid)"
[ "$uid" -ge 65536 ] && pass persona-root-unprivileged-on-host ||
	fail persona-root-unprivileged-on-host "host uid $uid"
[ "$(readlink /proc/$a_pid/ns/user)" != "$(readlink /proc/1/ns/user)" ] &&
	pass user-namespace || fail user-namespace "the host's"
expect_eq uid-map "0 $uid 65536" "$(awk '{print $1, $2, $3}' /proc/$a_pid/uid_map)"
[ "$(readlink /proc/$a_pid/ns/cgroup)" != "$(readlink /proc/1/ns/cgroup)" ] &&
	pass cgroup-namespace || fail cgroup-namespace "the host's"
cg=$(sed -n 's/^0:://p' /proc/$a_pid/cgroup)
own=$(sed -n 's/^0:://p' /proc/$devnsd_pid/cgroup)/persona-attacker
expect_eq cgroup-own "$own" "$cg"
expect_eq cgroup-delegated "$uid" "$(stat -c %u /sys/fs/cgroup$own)"
expect_eq cgroup-own-mkdir "0" "$(cut -d' ' -f2 $res/positive)"

## Every attack fails.
for a in devtmpfs sysfs-fresh led-physical proc-fresh proc-sys-drop-caches \
	proc-sys-core-pattern sysrq kcore remount-root remount-sys \
	remount-proc-sys umount-proc-mask umount-dev mknod-physical mknod-null \
	init-module clock-settime cgroup-host-mkdir \
	cgroup-host-procs sys-kexec_load sys-keyctl sys-add_key \
	sys-bpf sys-perf_event_open sys-open_by_handle_at sys-swapon \
	sys-settimeofday sys-clock_adjtime sys-finit_module sys-syslog \
	sys-delete_module sys-init_module; do
	line=$(grep "^$a " $res/list)
	rc=$(cut -d' ' -f2 <<<"$line")
	[ -n "$line" ] && [ "$rc" != 0 ] && pass "attack-$a" ||
		fail "attack-$a" "${line:-not run}"
done
# The filter's answer, not an argument's: EPERM for every one.
bad=$(grep '^sys-' $res/list | grep -v ' 1 Operation not permitted$')
expect_eq seccomp-eperm "" "$bad"

[ -e /sys/fs/cgroup/devns-evil ] &&
	fail cgroup-host-unchanged "devns-evil exists" || pass cgroup-host-unchanged

## Nothing changed on the host; the victim stayed in front.
after=$(snap)
expect_eq host-unchanged "$before" "$after"
[ "$before" = "$after" ] || diff <(echo "$before") <(echo "$after")
expect_eq victim-still-front "$v_pid" "$(cat /proc/dev_ns/active_ns_pid)"
expect_eq victim-still-running running "$(prop victim state)"

## A clean environment, a console of its own.
grep -qx container=devns $res/env && pass env-container || fail env-container "$(cat $res/env)"
grep -q '^JOURNAL_STREAM=\|^INVOCATION_ID=' $res/env &&
	fail env-clean "$(cat $res/env)" || pass env-clean
grep -q 'attacker: on its console' /run/devns/attacker/console && pass console-log ||
	fail console-log "$(ls -l /run/devns/attacker)"
grep -q 'attacker: on its console' $t/devnsd.log && fail console-not-devnsd "in devnsd's log" ||
	pass console-not-devnsd
nsenter -t $a_pid -m test -c /dev/console && pass console-pty || fail console-pty "no /dev/console"

## devnsctl console: keys in, output out, ^] three times within 1 s to leave
## (the first two reach the persona, as with machinectl: hence ".*").
# session OUT KEYS [script]: devnsctl console echo, typing KEYS (a shell
# command's output) into a stdin that stays open; its status (124: it
# did not leave). With "script", on a terminal.
session() {
	local out=$1 keys=$2 cmd="'$bin/devnsctl' console echo" w rc
	rm -f $t/keys && mkfifo $t/keys
	(eval "$keys"; exec sleep 60) >$t/keys &
	w=$!
	if [ -n "${3:-}" ]; then
		timeout 20 script -qec "$cmd" /dev/null <$t/keys >$out 2>&1
	else
		timeout 20 sh -c "$cmd" <$t/keys >$out 2>&1
	fi
	rc=$?
	kill $w
	return $rc
}
check echo-start ctl start echo
wait_for 30 grep -q 'echo: ready' /run/devns/echo/console ||
	fail echo-ready "$(cat /run/devns/echo/console)"
session $t/console.out "echo hello; wait_for 30 grep -q 'echo: got .*hello' $t/console.out; printf '\035\035\035'"
expect_eq console-escape-leaves 0 $?
grep -q 'echo: got .*hello' $t/console.out && pass console-relays ||
	fail console-relays "$(cat $t/console.out)"
grep -q 'echo: got .*hello' /run/devns/echo/console && pass console-still-logged ||
	fail console-still-logged "$(cat /run/devns/echo/console)"
# on a terminal: raw, keys go through as they are (^C, which would
# interrupt devnsctl on a cooked terminal; a CR, which the persona's pty
# turns into a newline)
session $t/console-tty.out "wait_for 30 grep -q Connected $t/console-tty.out; printf '\003raw\r'; wait_for 30 grep -q 'echo: got .*raw' $t/console-tty.out; printf '\035\035\035'" tty
expect_eq console-tty-escape-leaves 0 $?
grep -q 'echo: got .*raw' $t/console-tty.out && pass console-tty-relays ||
	fail console-tty-relays "$(cat -v $t/console-tty.out)"
# two ^], more than the 1 s window (what is tested: a time), one more:
# still attached
session $t/console2.out "wait_for 30 grep -q Connected $t/console2.out; printf '\035\035'; sleep 1.5; printf '\035'; echo after; wait_for 30 grep -q 'echo: got .*after' $t/console2.out; printf '\035\035\035'"
expect_eq console-escape-window 0 $?
grep -q 'echo: got .*after' $t/console2.out && pass console-escape-needs-three ||
	fail console-escape-needs-three "$(cat -v $t/console2.out)"
out=$(ctl console root 2>&1) && fail console-root-refused "$out" || pass console-root-refused
check echo-stop ctl stop echo

## The victim still works.
if [ -n "$kbd_event" ]; then
	wait_for 30 grep -q ready "$(inside victim /tmp/v/keys)"
	qemu_monitor sendkey a >/dev/null
	qemu_monitor sendkey b >/dev/null
	qemu_monitor sendkey c >/dev/null
	wait_for 30 sh -c "[ \$(grep -c '^key .* 1\$' $(inside victim /tmp/v/keys)) -ge 3 ]" &&
		pass victim-keys || fail victim-keys "$(cat "$(inside victim /tmp/v/keys)")"
else
	skip victim-keys "no keyboard"
fi
expect_eq victim-fb ok "$(cat "$(inside victim /tmp/v/fb)" 2>/dev/null || cat "$(inside victim /tmp/v/fb.err)")"

## Network=private: a network namespace of its own with lo up.
led_before=$(cat "/sys/class/leds/$led/brightness" 2>&1)
check netpriv-start ctl start netpriv
wait_for 30 test -s "$(inside netpriv /tmp/links)"
links=$(cat "$(inside netpriv /tmp/links)")
echo "$links"
grep -q '^1: lo:.*UP' <<<"$links" && [ "$(grep -c . <<<"$links")" = 1 ] &&
	pass network-private || fail network-private "$links"
echo "netpriv: fresh sysfs $(cat "$(inside netpriv /tmp/sysfs)") $(cat "$(inside netpriv /tmp/sysfs.err)")"
[ "$(cat "$(inside netpriv /tmp/led)")" != 0 ] && pass network-private-led-physical ||
	fail network-private-led-physical "wrote $led through a fresh sysfs"
expect_eq network-private-led-unchanged "$led_before" "$(cat "/sys/class/leds/$led/brightness" 2>&1)"
check netpriv-stop ctl stop netpriv

## The default KillSignal (SIGRTMIN+3) stops an init that handles it.
check stop-attacker ctl stop attacker
wait_for 20 sh -c "'$bin/devnsctl' status --json attacker | grep -q '\"state\":\"stopped\"'" &&
	pass kill-signal-clean-stop || fail kill-signal-clean-stop "$(ctl status attacker)"
expect_eq kill-signal-exit-status 0 "$(prop attacker exit_status)"
[ -e /sys/fs/cgroup$own ] && fail cgroup-removed "$own is left" || pass cgroup-removed

## A symlink planted as a mount target in a persona's own root.
check own-start ctl start own
wait_for 30 test -s "$(inside own /tmp/rmdir)"
expect_eq own-rmdir-dev-refused 1 "$(cat "$(inside own /tmp/rmdir)")"
o_uid=$(awk '/^Uid:/ {print $2}' /proc/$(prop own leader)/status)
check own-stop ctl stop own
wait_for 20 sh -c "'$bin/devnsctl' status --json own | grep -q '\"state\":\"stopped\"'"
# What its root could do to its own files while stopped: dev -> /etc.
chown "$o_uid:$o_uid" $r
setpriv --reuid="$o_uid" --regid="$o_uid" --clear-groups sh -c "rmdir $r/dev && ln -s /etc $r/dev" &&
	pass own-planted || fail own-planted "could not plant the symlink"
etc_before=$(ls -la /etc | md5sum; grep -c . /proc/self/mountinfo)
out=$(ctl start own 2>&1) && fail symlink-target-refused "started: $out" ||
	{ grep -q 'symlink' <<<"$out" && pass symlink-target-refused ||
		fail symlink-target-refused "$out"; }
expect_eq symlink-host-etc-unchanged "$etc_before" "$(ls -la /etc | md5sum; grep -c . /proc/self/mountinfo)"
rm $r/dev && mkdir $r/dev
check own-start-again ctl start own
expect_eq own-same-uid "$o_uid" "$(awk '/^Uid:/ {print $2}' /proc/$(prop own leader)/status)"
check own-stop-again ctl stop own
wait_for 20 sh -c "'$bin/devnsctl' status --json own | grep -q '\"state\":\"stopped\"'"

## devnsd killed with SIGKILL and restarted: every persona, its cgroup and
## the one in front stay; the new devnsd knows them as its own (not
## adopted), with their consoles and /dev (kept in the fd store).
check echo-start-again ctl start echo
e_pid=$(prop echo leader)
v_cg=/sys/fs/cgroup$(sed -n 's/^0:://p' /proc/$v_pid/cgroup)
e_cg=/sys/fs/cgroup$(sed -n 's/^0:://p' /proc/$e_pid/cgroup)
old_pid=$devnsd_pid
kill -9 $devnsd_pid
read -r -t 30 devnsd_pid <&"${SM[0]}"
[ "$devnsd_pid" != "$old_pid" ] && pass sigkill-restarted || fail sigkill-restarted "no new devnsd"
wait_for 30 ctl list >/dev/null
expect_eq sigkill-victim-kept "running $v_pid" "$(prop victim state) $(prop victim leader)"
grep -qx "$v_pid" "$v_cg/cgroup.procs" && pass sigkill-cgroup-kept ||
	fail sigkill-cgroup-kept "$v_cg: $(cat "$v_cg/cgroup.procs" 2>&1)"
expect_eq sigkill-echo-kept "running $e_pid false" "$(prop echo state) $(prop echo leader) $(prop echo adopted)"
expect_eq sigkill-victim-not-adopted false "$(prop victim adopted)"
grep -qx "$e_pid" "$e_cg/cgroup.procs" && pass sigkill-echo-cgroup-kept ||
	fail sigkill-echo-cgroup-kept "$e_cg: $(cat "$e_cg/cgroup.procs" 2>&1)"
expect_eq sigkill-victim-front "$v_pid" "$(cat /proc/dev_ns/active_ns_pid)"
session $t/console3.out "echo again; wait_for 30 grep -q 'echo: got .*again' $t/console3.out; printf '\035\035\035'"
grep -q 'echo: got .*again' $t/console3.out && pass sigkill-console-kept ||
	fail sigkill-console-kept "$(cat -v $t/console3.out)"
if modprobe uinput; then
	before=$(nsenter -t $e_pid -m ls /dev/input | wc -l)
	"$progs/uinput-leds" devns-after-restart >$t/uinput 2>&1 &
	uin=$!
	wait_for 30 sh -c "[ \$(nsenter -t $e_pid -m ls /dev/input | wc -l) -gt $before ]" &&
		pass sigkill-hotplug-kept || fail sigkill-hotplug-kept "$(tail $t/devnsd.log)"
	kill $uin
	wait $uin
else
	skip sigkill-hotplug-kept "no uinput"
fi
check stop-echo ctl stop echo
wait_for 20 sh -c "'$bin/devnsctl' status --json echo | grep -q '\"state\":\"stopped\"'" &&
	pass echo-stopped || fail echo-stopped "$(ctl status echo)"
[ -e "$e_cg" ] && fail echo-cgroup-removed "$e_cg is left" || pass echo-cgroup-removed
check stop-victim ctl stop victim
wait_for 20 sh -c "'$bin/devnsctl' status --json victim | grep -q '\"state\":\"stopped\"'" &&
	pass victim-stopped || fail victim-stopped "$(ctl status victim)"
[ -e "$v_cg" ] && fail victim-cgroup-removed "$v_cg is left" || pass victim-cgroup-removed
kill $devnsd_pid
wait $sm_pid
umount $r/usr $r/etc
kill $DEVNS_BUS_PID
wait $DEVNS_BUS_PID 2>/dev/null
