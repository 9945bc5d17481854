# devns-vm: own-boot
# devns-vm: ends
# devns-vm: timeout 600
# devnsd and devnsctl end to end: a private system bus, personas from
# configuration files, switching, isolation of /dev, crashes, a daemon
# killed with SIGKILL and restarted, adoption, and refused requests.
. "$DEVNS_TOP/tests/vm/lib.sh"
. "$DEVNS_TOP/tests/vm/lib-daemon.sh"
# Seen read-only by the personas (Root=/); what they write stays in their
# own /tmp, read here through /proc/PID/root.
t=/srv/devns-daemon
kbd='AT Translated Set 2 keyboard'

need_built "$bin"/devnsd "$bin"/devnsctl "$bin"/devns-nl
load_input
load_devns || { fail load "devns_core does not load"; exit 0; }

# devnsd's log goes home with the suite's.
trap 'cp $t/devnsd.log "$DEVNS_OUT/devnsd.log" 2>/dev/null' EXIT

# seen NAME: what persona NAME's probe recorded, in its own /tmp
seen() { echo "/proc/$(prop "$1" leader)/root/tmp/seen-$1"; }

## A system bus of our own, with devnsd's policy.
daemon_dir $t && pass bus

## Two personas, and broken files.
# The personas' init records what it sees, then sleeps.
cat >$t/probe.sh <<'PROBE'
#!/bin/sh
out=/tmp/seen-$1
mkdir -p $out
ls -1 /dev >$out/dev
ls -1 /dev/input >$out/input 2>/dev/null
hostname >$out/hostname
ls -1 / >$out/root
echo $$ >$out/pid
grep CapBnd /proc/self/status | cut -f2 >$out/capbnd
if mknod $out/node c 1 3 2>$out/mknod.err; then
	echo allowed >$out/mknod
else
	echo denied >$out/mknod
fi
touch $out/ready
exec sleep 100000
PROBE
chmod +x $t/probe.sh
cat >$t/personas.d/alpha.conf <<CONF
# the first persona
[Persona]
Root=/
Init=/bin/sh $t/probe.sh alpha
HotkeySlot=1
StopTimeoutSec=1
CONF
cat >$t/personas.d/beta.conf <<CONF
[Persona]
Root=/
Init=/bin/sh $t/probe.sh beta
Tag=beta-tag
HotkeySlot=2
Devices=input fb
Restart=on-failure
StopTimeoutSec=1
CONF
# gamma has a root file system of its own: /usr and /etc of the host, and
# this directory where it is here.
r=/tmp/devns-gamma-root
mkdir -p $r/dev $r/proc $r/sys $r/usr $r/etc $r$t
install -d -m 1777 $r/tmp
for d in usr etc; do mount --bind /$d $r/$d; done
mount --bind $t $r$t
for d in bin lib lib64 sbin; do ln -s usr/$d $r/$d; done
touch $r/gamma-root
cat >$t/personas.d/gamma.conf <<CONF
[Persona]
Root=$r
Init=/bin/sh $t/probe.sh gamma
StopTimeoutSec=1
CONF
printf '[Persona]\nRoot=/\nBogus=1\n' >$t/personas.d/broken.conf
printf '[Persona]\nRoot=/\nInit=/bin/true\nHotkeySlot=1\n' >$t/personas.d/clash.conf
printf '[Persona]\nRoot=/\nInit=/bin/true\n' >"$t/personas.d/bad name.conf"

out=$("$bin/devnsd" --check-config --config-dir $t/personas.d 2>&1)
rc=$?
echo "$out"
expect_eq check-config-status 1 $rc
while IFS=: read -r name want; do
	grep -qF "$want" <<<"$out" && pass "check-config-$name" ||
		fail "check-config-$name" "no '$want' in: $out"
done <<'WANT'
unknown-key:broken.conf:3: unknown key 'Bogus'
slot-clash:clash.conf: HotkeySlot=1 is taken by 'alpha'
bad-name:'bad name' is not a valid persona name
summary:3 personas ok, 3 bad files
WANT

start_devnsd $t && pass devnsd-starts || { fail devnsd-starts "$(cat $t/devnsd.log)"; exit 0; }

out=$(ctl list --no-legend)
echo "$out"
expect_eq list-initial "alpha stopped|beta stopped|broken invalid|clash invalid|gamma stopped|root running" \
	"$(awk '{print $1, $2}' <<<"$out" | sort | paste -sd'|')"
grep -q '^root .* yes$' <<<"$out" && pass list-root-active || fail list-root-active "$out"
ctl list --json | grep -q '^\[{"name":"root","state":"running","id":0,"leader":1,' &&
	pass list-json || fail list-json "$(ctl list --json)"

## Start both.
check start ctl start alpha beta
wait_for 30 sh -c "test -f $(seen alpha)/ready -a -f $(seen beta)/ready" &&
	pass inits-ran || fail inits-ran "$(ls -R $t)"
a_pid=$(prop alpha leader)
b_pid=$(prop beta leader)
a_id=$(prop alpha id)
b_id=$(prop beta id)
expect_eq state-running "running running" "$(prop alpha state) $(prop beta state)"
expect_eq kernel-registered "tag=alpha tag=beta-tag" \
	"$("$bin/devns-nl" get "$a_id" | sed 's/.* \(tag=.*\)/\1/') $("$bin/devns-nl" get "$b_id" | sed 's/.* \(tag=.*\)/\1/')"
expect_eq kernel-init-pid "pid=$a_pid" "$("$bin/devns-nl" get "$a_id" | grep -o 'pid=[0-9]*')"
expect_eq init-is-pid1 1 "$(cat $(seen alpha)/pid)"
expect_eq uts-namespace alpha "$(cat $(seen alpha)/hostname)"

## What a persona sees and may do.
std="console fd full null ptmx pts random shm stderr stdin stdout tty urandom zero"
missing=$(comm -23 <(tr ' ' '\n' <<<"$std" | sort) <(sort $(seen alpha)/dev) | paste -sd' ')
expect_eq dev-standard "" "$missing"
extra=$(grep -vxE "$(tr ' ' '|' <<<"$std")|input|fb[0-9]+" $(seen alpha)/dev | paste -sd' ')
expect_eq dev-nothing-else "" "$extra"
expect_eq mknod-denied denied "$(cat $(seen alpha)/mknod)"
[ ! -e "$(seen alpha)/node" ] && pass mknod-nothing-made || fail mknod-nothing-made "node exists"
capbnd=$((16#$(cat $(seen alpha)/capbnd)))
for cap in 27:MKNOD 16:SYS_MODULE 17:SYS_RAWIO 25:SYS_TIME 22:SYS_BOOT; do
	[ $(((capbnd >> ${cap%%:*}) & 1)) = 0 ] && pass "cap-dropped-${cap#*:}" ||
		fail "cap-dropped-${cap#*:}" "CapBnd $(cat $(seen alpha)/capbnd)"
done
[ $(((capbnd >> 21) & 1)) = 1 ] && pass cap-sys-admin-kept || fail cap-sys-admin-kept "CapBnd $(cat $(seen alpha)/capbnd)"

# The event nodes of a persona's own mirrors (children of its devns device).
own_events() {
	find /sys/class/devns/devns$1/ -path '*/input*/event*' -name 'event*' 2>/dev/null |
		xargs -rn1 basename | sort | paste -sd' '
}
if [ -n "$have_input" ]; then
	want=$(own_events "$a_id")
	got=$(sort $(seen alpha)/input | paste -sd' ')
	[ -n "$want" ] && expect_eq dev-own-mirrors "$want" "$got" ||
		fail dev-own-mirrors "alpha has no mirrors in sysfs"
	# Physical nodes: every event node not below a devns device (a mirror
	# has its device's very name, so names can't tell them apart).
	phys_events=$(for e in /sys/class/input/event*; do
		case $(readlink -f "$e") in */devns/*) ;; *) basename "$e" ;; esac
	done)
	leaked=$(grep -xFf <(echo "$phys_events") $(seen alpha)/input | paste -sd' ')
	[ -n "$leaked" ] && fail dev-no-physical "alpha sees $leaked" ||
		pass dev-no-physical
	others=$(comm -12 <(sort $(seen alpha)/input) <(own_events "$b_id" | tr ' ' '\n' | sort))
	expect_eq dev-not-other-persona "" "$others"
else
	skip dev-own-mirrors "devns_input is not built"
fi

## sysfs: read-only, but for the persona's own devns device (its LEDs).
caps=$(cd /sys/class/leds && ls -d input*::capslock 2>/dev/null | head -n1)
if [ -n "$caps" ]; then
	# try_write NAME FILE: from inside alpha's mount namespace
	try_write() { nsenter -t "$a_pid" -m sh -c "echo 1 >'$2'" 2>"$t/$1.err"; }
	if try_write sys-physical "/sys/class/leds/$caps/brightness"; then
		fail sys-physical-led-readonly "alpha wrote $caps"
	else
		grep -q 'Read-only file system' $t/sys-physical.err &&
			pass sys-physical-led-readonly ||
			fail sys-physical-led-readonly "$(cat $t/sys-physical.err)"
	fi
	# A keyboard's LEDs are devns_input's while it is loaded (its mirrors
	# carry them) and get virtual LEDs only without it; this guest has no
	# other LED. devns_input is away meanwhile.
	[ -z "$have_input" ] || rmmod devns_input
	if [ -f "$DEVNS_BUILD/modules/devns_led/devns_led.ko" ] && load_devns devns_led &&
	   echo devns >"/sys/class/leds/$caps/trigger"; then
		wait_for 30 test -e "/sys/class/leds/devns$a_id-$caps" -a -e "/sys/class/leds/devns$b_id-$caps"
		try_write sys-own "/sys/class/leds/devns$a_id-$caps/brightness" &&
			pass sys-own-led-writable || fail sys-own-led-writable "$(cat $t/sys-own.err)"
		try_write sys-other "/sys/class/leds/devns$b_id-$caps/brightness" &&
			fail sys-other-led-readonly "alpha wrote beta's LED" ||
			pass sys-other-led-readonly
		# beta's Devices= leaves out led: its own LEDs are read-only too
		nsenter -t "$b_pid" -m sh -c "echo 1 >/sys/class/leds/devns$b_id-$caps/brightness" 2>/dev/null &&
			fail sys-no-led-device "beta wrote its LED" || pass sys-no-led-device
		echo none >"/sys/class/leds/$caps/trigger"
	else
		skip sys-own-led-writable "devns_led is not available"
	fi
	[ -z "$have_input" ] || check input-reloaded load_devns devns_input
else
	skip sys-physical-led-readonly "no keyboard LED"
fi

## Hot-plug: a device that appears later reaches the personas' /dev.
if [ -n "$have_input" ] && modprobe uinput; then
	before=$(own_events "$a_id")
	"$progs/uinput-leds" devns-hotplug >$t/uinput 2>&1 &
	uin=$!
	wait_for 30 sh -c "[ \"\$(find /sys/class/devns/devns$a_id/ -path '*/input*/event*' -name 'event*' | wc -l)\" -gt $(wc -w <<<"$before") ]"
	new=$(comm -13 <(tr ' ' '\n' <<<"$before") <(own_events "$a_id" | tr ' ' '\n'))
	wait_for 30 nsenter -t "$a_pid" -m test -c "/dev/input/$new" &&
		pass hotplug-add || fail hotplug-add "no /dev/input/'$new' in alpha: $(nsenter -t "$a_pid" -m ls /dev/input)"
	# its root's, as the nodes made at its start: its udev can set it up
	expect_eq hotplug-owner "$(awk '/^Uid:/ {print $2}' /proc/$a_pid/status)" \
		"$(nsenter -t "$a_pid" -m stat -c %u "/dev/input/$new")"
	expect_eq hotplug-owner-dir "$(awk '/^Uid:/ {print $2}' /proc/$a_pid/status)" \
		"$(nsenter -t "$a_pid" -m stat -c %u /dev/input)"
	expect_eq hotplug-only-own "$(own_events "$a_id")" \
		"$(nsenter -t "$a_pid" -m ls -1 /dev/input | sort | paste -sd' ')"
	kill "$uin"
	wait "$uin"
	wait_for 30 nsenter -t "$a_pid" -m test ! -e "/dev/input/$new" &&
		pass hotplug-remove || fail hotplug-remove "alpha still has /dev/input/$new"
fi

## Switching with devnsctl.
check switch-alpha ctl switch alpha
expect_eq switch-alpha-kernel "$a_pid" "$(cat /proc/dev_ns/active_ns_pid)"
expect_eq switch-alpha-active "true false" "$(prop alpha active) $(prop beta active)"
ctl switch next && expect_eq switch-next "$b_pid" "$(cat /proc/dev_ns/active_ns_pid)"
ctl switch next && expect_eq switch-next-wraps 1 "$(cat /proc/dev_ns/active_ns_pid)"
ctl switch prev && expect_eq switch-prev "$b_pid" "$(cat /proc/dev_ns/active_ns_pid)"
ctl switch root && expect_eq switch-root 1 "$(cat /proc/dev_ns/active_ns_pid)"
expect_eq status-default-is-active root "$(ctl status --json | sed -n 's/^{"name":"\([^"]*\)".*/\1/p')"

## Signals: Switched and PropertiesChanged reach a monitor.
ctl monitor >$t/monitor 2>&1 &
mon=$!
# It says nothing once subscribed; the bus knows its two match rules.
wait_for 30 bus_subscribed $mon 2
ctl switch beta
wait_for 30 grep -q '^switched to=beta from=root' $t/monitor
kill $mon
cat $t/monitor
grep -q "^switched to=beta from=root id=$b_id previous_id=0 latency_ns=[0-9]* reason=request" $t/monitor &&
	pass monitor-switched || fail monitor-switched "$(cat $t/monitor)"
grep -q '^changed name=beta Active: yes' $t/monitor && pass monitor-properties ||
	fail monitor-properties "$(cat $t/monitor)"
ctl switch root

## Secure switch keys: the kernel announces, devnsd switches.
if [ -n "$have_input" ]; then
	qemu_monitor sendkey meta_l-f1 >/dev/null
	wait_for 30 sh -c "[ \$(cat /proc/dev_ns/active_ns_pid) = $a_pid ]" &&
		pass hotkey-slot-1 || fail hotkey-slot-1 "active $(cat /proc/dev_ns/active_ns_pid)"
	qemu_monitor sendkey meta_l-f2 >/dev/null
	wait_for 30 sh -c "[ \$(cat /proc/dev_ns/active_ns_pid) = $b_pid ]" &&
		pass hotkey-slot-2 || fail hotkey-slot-2 "active $(cat /proc/dev_ns/active_ns_pid)"
	qemu_monitor sendkey meta_l-esc >/dev/null
	wait_for 30 sh -c "[ \$(cat /proc/dev_ns/active_ns_pid) = 1 ]" &&
		pass hotkey-root || fail hotkey-root "active $(cat /proc/dev_ns/active_ns_pid)"
else
	skip hotkeys "devns_input is not built"
fi

## Refused requests, with clear errors and exit status 1.
# refused NAME CMD... WANT: CMD fails with status 1 and says WANT.
refused() {
	local name=$1 want=${!#} out rc
	out=$("${@:2:$#-2}" 2>&1)
	rc=$?
	if [ $rc = 1 ] && grep -qF -- "$want" <<<"$out"; then
		pass "$name"
	else
		fail "$name" "status $rc, '$out' (wanted '$want')"
	fi
}
refused bad-no-such ctl start nosuch "no persona named 'nosuch'"
refused bad-invalid-config ctl start broken "broken.conf:3: unknown key 'Bogus'"
refused bad-clash ctl start clash "HotkeySlot=1 is taken by 'alpha'"
refused bad-already-running ctl start alpha "persona 'alpha' is already running"
refused bad-adopt-no-process ctl adopt ext 999999 "no process 999999"
refused bad-tag-kernel ctl tag alpha 'has space' "Invalid argument"
refused bad-root-not-startable busctl call org.devns.Manager1 /org/devns/Manager1 \
	org.devns.Manager1 StartPersona s root "the root cannot be started or stopped"
refused bad-arg-type busctl call org.devns.Manager1 /org/devns/Manager1 \
	org.devns.Manager1 SwitchTo u 5 "Invalid argument"
refused bad-unprivileged setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$bin/devnsctl" switch alpha "access denied"
out=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$bin/devnsctl" list 2>&1) &&
	pass unprivileged-may-list || fail unprivileged-may-list "$out"
refused bad-from-persona nsenter -t "$a_pid" -p -- "$bin/devnsctl" switch root \
	"callers inside a persona"
ctl frobnicate 2>/dev/null
expect_eq usage-exit-2 2 $?
ctl stop root 2>/dev/null
expect_eq usage-stop-root 2 $?
expect_eq refused-changed-nothing 1 "$(cat /proc/dev_ns/active_ns_pid)"
check tag ctl tag alpha alpha-2
expect_eq tag-kernel alpha-2 "$("$bin/devns-nl" get "$a_id" | sed 's/.*tag=//')"

## The active persona crashes: the root becomes active, devnsd says so.
ctl switch alpha
kill -9 "$a_pid"
wait_for 30 sh -c "'$bin/devnsctl' status --json alpha | grep -q '\"state\":\"failed\"'" &&
	pass crash-state-failed || fail crash-state-failed "$(ctl status alpha)"
expect_eq crash-exit-status 137 "$(prop alpha exit_status)"
expect_eq crash-root-active 1 "$(cat /proc/dev_ns/active_ns_pid)"
expect_eq crash-root-active-dbus "true" "$(prop root active)"
expect_eq crash-not-registered 0 "$(prop alpha id)"
"$bin/devns-nl" list | grep -q "pid=$a_pid " && fail crash-kernel-gone "still registered" ||
	pass crash-kernel-gone

## Restart=on-failure brings beta back.
kill -9 "$b_pid"
wait_for 30 sh -c "p=\$('$bin/devnsctl' status --json beta | sed -n 's/.*\"leader\":\([0-9]*\).*/\1/p'); [ -n \"\$p\" ] && [ \"\$p\" != 0 ] && [ \"\$p\" != $b_pid ]" &&
	pass restart-on-failure || fail restart-on-failure "$(ctl status beta)"
b_pid=$(prop beta leader)
b_id=$(prop beta id)
expect_eq restart-running running "$(prop beta state)"

## Adopt a container started by someone else.
ext=$("$progs/pidns-spawn")
check adopt ctl adopt ext "$ext"
expect_eq adopt-status "running true $ext" "$(prop ext state) $(prop ext adopted) $(prop ext leader)"
ext_id=$(prop ext id)
"$bin/devns-nl" get "$ext_id" | grep -q "pid=$ext .*tag=ext$" && pass adopt-kernel ||
	fail adopt-kernel "$("$bin/devns-nl" list)"
refused bad-adopt-twice ctl adopt ext "$ext" "already running"
# The pid variant opens a pidfd at once; the init is watched either way.
ext2=$("$progs/pidns-spawn")
check adopt-by-pid busctl call org.devns.Manager1 /org/devns/Manager1 \
	org.devns.Manager1 AdoptPersonaByPid su ext2 "$ext2"
expect_eq adopt-by-pid-status "running true $ext2" "$(prop ext2 state) $(prop ext2 adopted) $(prop ext2 leader)"
kill -9 "$ext2"
wait_for 30 sh -c "! '$bin/devnsctl' status ext2" && pass adopt-by-pid-watched ||
	fail adopt-by-pid-watched "$(ctl list)"
# Which way devnsd named processes to the kernel: by pidfd where devns_core
# takes DEVNS_A_PIDFD (the probe), else by pid checked against the pidfd.
if "$bin/devns-nl" get-pidfd "$ext" 2>&1 | grep -q "Operation not supported"; then
	grep -q "knows no DEVNS_A_PIDFD" $t/devnsd.log && pass pidfd-fallback-used ||
		fail pidfd-fallback-used "$(grep -i pidfd $t/devnsd.log)"
	skip pidfd-path "devns_core predates DEVNS_A_PIDFD (the pid fallback was tested)"
else
	expect_eq pidfd-probe-devns "$ext_id" "$("$bin/devns-nl" get-pidfd "$ext" | sed -n 's/^id=\([0-9]*\).*/\1/p')"
	grep -q "takes processes by pidfd" $t/devnsd.log && pass pidfd-path ||
		fail pidfd-path "$(grep -i pidfd $t/devnsd.log)"
fi

## devnsd killed with SIGKILL: personas live on, a new devnsd finds them.
before=$(ctl list --no-legend | awk '{print $1, $2, $3, $4, $5}' | sort)
echo "$before"
kill -9 $devnsd_pid
wait $devnsd_pid 2>/dev/null
kill -0 "$b_pid" && kill -0 "$ext" && pass sigkill-personas-survive ||
	fail sigkill-personas-survive "a persona died with devnsd"
start_devnsd $t && pass restart-devnsd || fail restart-devnsd "$(tail $t/devnsd.log)"
after=$(ctl list --no-legend | awk '{print $1, $2, $3, $4, $5}' | sort)
echo "$after"
# Running personas come back as they were; alpha, dead, is just "stopped"
# now (its failure was the old devnsd's memory).
expect_eq recovered-list "$(grep -v '^alpha ' <<<"$before")" "$(grep -v '^alpha ' <<<"$after")"
expect_eq recovered-alpha "alpha stopped 0 0 alpha" "$(grep '^alpha ' <<<"$after")"
check recovered-switch ctl switch beta
expect_eq recovered-switch-kernel "$b_pid" "$(cat /proc/dev_ns/active_ns_pid)"
kill -9 "$ext"
wait_for 30 sh -c "! '$bin/devnsctl' status ext" && pass recovered-watch ||
	fail recovered-watch "$(ctl list)"
check recovered-stop ctl stop beta
wait_for 30 sh -c "'$bin/devnsctl' status --json beta | grep -q '\"state\":\"stopped\"'" &&
	pass stop-stopped || fail stop-stopped "$(ctl status beta)"
kill -0 "$b_pid" 2>/dev/null && fail stop-init-gone "still alive" || pass stop-init-gone
expect_eq stop-root-active 1 "$(cat /proc/dev_ns/active_ns_pid)"
expect_eq stop-kernel-empty "0" "$("$bin/devns-nl" list | sed -n 's/^id=\([0-9]*\).*/\1/p' | paste -sd' ')"

## A persona in a root file system of its own.
check gamma-start ctl start gamma
wait_for 30 test -f "$(seen gamma)/ready" && pass gamma-ran || fail gamma-ran "$(tail $t/devnsd.log)"
expect_eq gamma-root "bin dev etc gamma-root lib lib64 proc sbin srv sys tmp usr" \
	"$(paste -sd' ' $(seen gamma)/root)"
missing=$(comm -23 <(tr ' ' '\n' <<<"$std" | sort) <(sort $(seen gamma)/dev) | paste -sd' ')
expect_eq gamma-dev-standard "" "$missing"
expect_eq gamma-mknod-denied denied "$(cat $(seen gamma)/mknod)"
expect_eq gamma-uts gamma "$(cat $(seen gamma)/hostname)"
check gamma-stop ctl stop gamma
wait_for 30 sh -c "'$bin/devnsctl' status --json gamma | grep -q '\"state\":\"stopped\"'" &&
	pass gamma-stopped || fail gamma-stopped "$(ctl status gamma)"
umount $r$t $r/usr $r/etc

## SIGTERM: devnsd leaves cleanly.
kill $devnsd_pid
wait $devnsd_pid
expect_eq sigterm-exit 0 $?
refused ctl-without-devnsd ctl list "devnsd is not running"
kill $DEVNS_BUS_PID
wait $DEVNS_BUS_PID 2>/dev/null
unload_devns
