# devns_input against hostile local users and personas (issue 18): input
# devices devns must not trust (an unprivileged user's uinput keyboard, a
# persona's uinput and uhid devices), the overflow of a mirror's feed, the
# host's lock LEDs, a root reader's grab.  Each attack must fail and leave
# things as they were.
# devns-vm: timeout 600
. "$DEVNS_TOP/tests/vm/lib.sh"
at='AT Translated Set 2 keyboard'
tmp=/tmp/attacks-input
rm -rf $tmp && mkdir -p $tmp
. "$DEVNS_TOP/tests/vm/input-lib.sh"

input_setup || exit 0
# Every hotkey here is one that must not come: 4 s without one is the test.
hk_timeout=4
param=/sys/module/devns_input/parameters
check switch-keys-param-off-by-default test "$(cat $param/virtual_switch_keys)" = N
check switch-keys-param-root-writable test "$(stat -c %a:%u $param/virtual_switch_keys)" = 644:0

persona alpha || { fail setup "cannot create a persona"; exit 0; }
A_PID=$P_PID A=$P_ID
persona beta
B_PID=$P_PID B=$P_ID
"$nl" hotkeys default >/dev/null
AT=$(phys_node "$at")
wait_for 10 mirror_node $B "$at"
AT_A=$(mirror_node $A "$at") AT_B=$(mirror_node $B "$at")
new_dev kbd "root kbd" || { fail setup "no uinput keyboard"; exit 0; }
RK_FD=$DEV_FD RK=$DEV_NODE
check root-virtual-mirrored wait_for 10 mirror_node $B "root kbd"

# active: the active devns's id.
active() { "$nl" list | sed -n 's/^id=\([0-9]*\) .* active=1 .*/\1/p'; }
# handlers NAME: the handlers bound to the input device NAME (not a mirror).
handlers() {
	awk -v n="N: Name=\"$1\"" '$0 == n { m = 1 } /^S: Sysfs=/ && m { ok = $0 !~ /\/devns\// }
		/^H: / && m && ok { print; exit } /^$/ { m = 0 }' /proc/bus/input/devices
}
# unrouted NAME: devns_input left the device NAME alone: no handle, no mirror.
unrouted() {
	handlers "$1" | grep -q . && ! handlers "$1" | grep -qw devns_input &&
		! grep -qx "$1" /sys/class/devns/devns*/input*/name
}
has_input() { handlers "$1" | grep -q event; }
# meta_f1 FD: a command line pressing and releasing Left Meta+F1 on the
# input-dev device of fd FD, for hotkey.
meta_f1() {
	echo "for k in '125 1' '59 1' '59 0' '125 0'; do echo \"key \$k\" >&$1; done; sleep 1"
}
# quiet NAME: no hotkey event in what hotkey NAME saw.
quiet() { ! grep -q event=hotkey $tmp/hk.$1; }
# typed FD OUT TAG: input-dev (fd FD, output OUT) has run what it was sent.
typed() { echo "echo $3" >&$1; wait_for 10 grep -qx "$3" $2; }

## An unprivileged local user with /dev/uinput at 0666 (as udev's uaccess
## or steam-devices give it) makes a keyboard: devns leaves it alone.

chmod 666 /dev/uinput
switch $A
new_dev kbd "evil kbd" setpriv --reuid=65534 --regid=65534 --clear-groups \
	--inh-caps=-all --bounding-set=-all --
EVIL_FD=$DEV_FD
check unpriv-device-made test -n "$DEV_NODE"
check unpriv-not-routed unrouted "evil kbd"
for allowed in 0 1; do
	echo $allowed >$param/virtual_switch_keys
	reader front $AT_A $A_PID
	reader front-root-kbd $(mirror_node $A "root kbd") $A_PID
	hotkey unpriv$allowed bash -c "$(meta_f1 $EVIL_FD)"
	echo "key 30 1" >&$EVIL_FD; echo "key 30 0" >&$EVIL_FD
	typed $EVIL_FD $tmp/dev.evil_kbd typed$allowed
	readers_done
	check unpriv-no-hotkey-allowed$allowed quiet unpriv$allowed
	check unpriv-not-typed-into-front-allowed$allowed none front
	check unpriv-not-typed-into-front-mirrors-allowed$allowed none front-root-kbd
	check unpriv-active-unchanged-allowed$allowed test "$(active)" = $A
done
echo 0 >$param/virtual_switch_keys
exec {EVIL_FD}>&-
chmod 600 /dev/uinput

# The root's own uinput keyboard carries no switch keys unless allowed.
hotkey rootvirt bash -c "$(meta_f1 $RK_FD)"
check root-virtual-no-switch-keys-by-default quiet rootvirt
check root-virtual-active-unchanged test "$(active)" = $A

## A persona's own uinput keyboard is its alone: mirrored into it only, fed
## to it whoever is active, never to the root or another persona, no
## switch keys even where the root's virtual devices may have them.

new_dev kbd "persona kbd" nsenter -t $A_PID -p --
PK_FD=$DEV_FD PK=$DEV_NODE
check persona-dev-own-mirror wait_for 10 mirror_node $A "persona kbd"
check persona-dev-no-other-mirror no_mirror $B "persona kbd"
PM=$(mirror_node $A "persona kbd")
check persona-dev-name-phys-id diff <("$evt" info $PK) <("$evt" info $PM)
echo 1 >$param/virtual_switch_keys
for front in $B 0; do
	switch $front
	reader own $PM $A_PID
	reader front $AT_B $B_PID
	reader root $PK
	hotkey persona$front bash -c "$(meta_f1 $PK_FD)"
	echo "key 30 1" >&$PK_FD; echo "key 30 0" >&$PK_FD
	typed $PK_FD $tmp/dev.persona_kbd typed$front
	readers_done
	check persona-dev-reaches-own-front$front got own "1 30 1" "1 30 0" "1 125 1" "1 59 1"
	check persona-dev-not-other-front$front none front
	check persona-dev-not-root-front$front none root
	check persona-dev-no-hotkey-front$front quiet persona$front
	check persona-dev-active-unchanged-front$front test "$(active)" = $front
done
echo 0 >$param/virtual_switch_keys

# Once the persona is gone (its devns destroyed, its processes alive) its
# device reaches nobody.
persona gamma
C_PID=$P_PID C=$P_ID
"$nl" destroy $A >/dev/null
check persona-gone wait_for 10 test ! -e /sys/class/devns/devns$A
reader root $PK
echo "key 31 1" >&$PK_FD; echo "key 31 0" >&$PK_FD
typed $PK_FD $tmp/dev.persona_kbd typed-gone
readers_done
check persona-gone-dev-not-root none root
check persona-gone-dev-no-mirror sh -c "! grep -qx 'persona kbd' /sys/class/devns/devns*/input*/name"
exec {PK_FD}>&-
kill -9 $A_PID

## uhid: its devices are made by a kernel worker, so their maker is
## unknown; devns leaves them alone, whoever opened /dev/uhid.

modprobe uhid; modprobe hid-generic
if [ -e /dev/uhid ]; then
	mkfifo $tmp/uhid.in
	nsenter -t $B_PID -p -- "$progs/uhid-kbd" "persona uhid" <$tmp/uhid.in >$tmp/uhid.out 2>&1 &
	UH_PID=$!
	exec {UH_FD}>$tmp/uhid.in
	check uhid-device-made wait_for 10 grep -qx ready $tmp/uhid.out
	check uhid-has-input wait_for 10 has_input "persona uhid"
	check uhid-not-routed unrouted "persona uhid"
	echo 1 >$param/virtual_switch_keys
	switch $C
	reader front $(mirror_node $C "$at") $C_PID
	# Left GUI (modifier bit 3) + F1 (usage 0x3a), then nothing held; A (30).
	hotkey uhid sh -c "echo 'report 8 0' >&$UH_FD; echo 'report 8 58' >&$UH_FD
		echo 'report 0 0' >&$UH_FD; echo 'report 0 4' >&$UH_FD; echo 'report 0 0' >&$UH_FD
		sleep 1"
	readers_done
	check uhid-no-hotkey quiet uhid
	check uhid-not-typed-into-front none front
	check uhid-active-unchanged test "$(active)" = $C
	echo 0 >$param/virtual_switch_keys
	exec {UH_FD}>&-
	wait $UH_PID
else
	skip uhid "no /dev/uhid"
fi

## The heap overflow of issue 18 item 3: a persona's multitouch device,
## ABS_MT_SLOT 2 written into its mirror, a packet the input core cuts at
## max_vals.  The kernel log (KASAN on the debug kernel) must stay silent.

nsenter -t $B_PID -p -- "$progs/mt-overflow" "persona touch" >$tmp/mt 2>&1
check overflow-sequence-ran grep -qx done $tmp/mt
check overflow-mirror-was-persona grep -q "^mirror /dev/input/event" $tmp/mt
check overflow-mirror-gone wait_for 10 no_mirror $B "persona touch"

## The host's lock LEDs never reach a persona: no host handler (console
## keyboard, input-leds, sysrq) is bound to a mirror.

mirrors_clean() {
	! awk '/^S: Sysfs=/ { m = $0 ~ /\/devns\// } /^H: / && m' /proc/bus/input/devices |
		grep -w 'kbd\|leds\|sysrq\|rfkill'
}
check mirrors-no-host-handler mirrors_clean
check mirrors-have-no-led-class sh -c "! ls -d /sys/class/devns/devns*/input*/input*::* 2>/dev/null | grep -q ."
switch 0
qemu_monitor sendkey caps_lock >/dev/null
check host-caps-lock-on wait_for 10 sh -c "test \"\$('$evt' leds $AT)\" = 'leds 2'"
for id in $B $C; do
	check host-caps-lock-not-in-devns$id-ps2 sh -c "test \"\$('$evt' leds $(mirror_node $id "$at"))\" = 'leds 0'"
	check host-caps-lock-not-in-devns$id-kbd sh -c "test \"\$('$evt' leds $(mirror_node $id "root kbd"))\" = 'leds 0'"
done
switch $B
check persona-leds-on-hw wait_for 10 sh -c "test \"\$('$evt' leds $AT)\" = 'leds 0'"
nsenter -t $B_PID -p -- "$evt" write $AT_B 17 0 1 0 0 0
check persona-own-led-in-mirror sh -c "test \"\$('$evt' leds $AT_B)\" = 'leds 1'"
check persona-own-led-on-hw wait_for 10 sh -c "test \"\$('$evt' leds $AT)\" = 'leds 1'"
switch 0
check host-caps-lock-back wait_for 10 sh -c "test \"\$('$evt' leds $AT)\" = 'leds 2'"
check persona-led-kept sh -c "test \"\$('$evt' leds $AT_B)\" = 'leds 1'"
qemu_monitor sendkey caps_lock >/dev/null
check host-caps-lock-off wait_for 10 sh -c "test \"\$('$evt' leds $AT)\" = 'leds 0'"
check host-caps-lock-off-not-in-devns$C sh -c "test \"\$('$evt' leds $(mirror_node $C "$at"))\" = 'leds 0'"

## A root reader holding the grab (EVIOCGRAB) as a persona becomes active
## loses it: the persona's keys never reach it, the switch says so (kernel
## log, devns_input.grabs_taken); back in the root it has the device again.

taken=$(cat $param/grabs_taken)
rm -f $tmp/stop.grab
"$evt" read $RK $tmp/stop.grab grab >$tmp/r.grabber 2>&1 &
GRABBER=$!
wait_for 10 grep -q '^ready' $tmp/r.grabber
switch $B
check grab-switch-done test "$(active)" = $B
reader mb $(mirror_node $B "root kbd") $B_PID
echo "key 36 1" >&$RK_FD; echo "key 36 0" >&$RK_FD
typed $RK_FD $tmp/dev.root_kbd typed36
readers_done
check grab-persona-gets-keys got mb "1 36 1" "1 36 0"
check grab-root-reader-gets-nothing lacks grabber "1 36 1"
check grab-taken-counted test "$(cat $param/grabs_taken)" = $((taken + 1))
check grab-taken-logged sh -c "dmesg | grep -q 'took the grab from a root reader'"
switch 0
reader other $RK
echo "key 37 1" >&$RK_FD; echo "key 37 0" >&$RK_FD
typed $RK_FD $tmp/dev.root_kbd typed37
readers_done
touch $tmp/stop.grab
wait $GRABBER
check grab-back-to-root-reader got grabber "1 37 1" "1 37 0"
check grab-still-exclusive-in-root none other
check grab-persona-keys-never lacks grabber "1 36 0"

kill -9 $B_PID $C_PID
wait_for 10 test ! -e /sys/class/devns/devns$B -a ! -e /sys/class/devns/devns$C
exec {RK_FD}>&-
wait
check unload unload_devns
