# devns_input: mirrors (the physical device's very name, phys, uniq and ids),
# routing to the active persona and to a mirror's own nodes only, key repeat,
# switches without stuck keys, secure switch keys, gated LED output, hot-plug
# and unload.  The uinput devices here are made by the root, so devns routes
# them like hardware; attacks-input.sh has the devices it must not trust.
# devns-vm: timeout 900
. "$DEVNS_TOP/tests/vm/lib.sh"
at='AT Translated Set 2 keyboard'
tmp=/tmp/input
rm -rf $tmp && mkdir -p $tmp
. "$DEVNS_TOP/tests/vm/input-lib.sh"

input_setup || exit 0
pass load

## Mirrors appear, match their physical device, and follow hot-plug.

new_dev kbd "devns test kbd" || { fail setup "no uinput keyboard"; exit 0; }
KBD_FD=$DEV_FD KBD=$DEV_NODE
persona alpha || { fail setup "cannot create a persona"; exit 0; }
A_PID=$P_PID A=$P_ID
check mirror-appears wait_for 10 mirror_node $A "devns test kbd"
MA=$(mirror_node $A "devns test kbd")
persona beta
B_PID=$P_PID B=$P_ID
MB=$(mirror_node $B "devns test kbd")
check mirror-per-persona test -n "$MB" -a "$MB" != "$MA"
check mirror-of-at-keyboard mirror_node $A "$at"
case $(readlink -f /sys/class/input/$(basename $MA)/device) in
*/devns$A/input*) pass mirror-parent-is-devns ;;
*) fail mirror-parent-is-devns "$(readlink -f /sys/class/input/$(basename $MA)/device)" ;;
esac

# Same name, phys, uniq, ids, capabilities and properties: what a persona's
# name-matched configuration (udev rules, hwdb, .kl/.idc files) looks at.
"$evt" info $KBD >$tmp/info.phys
"$evt" info $MA >$tmp/info.mirror
check mirror-name grep -qx "name devns test kbd" $tmp/info.mirror
check mirror-phys grep -qx "phys devns-test/input0" $tmp/info.mirror
check mirror-caps-kbd diff $tmp/info.phys $tmp/info.mirror
AT=$(phys_node "$at")
"$evt" info $AT >$tmp/info.at
"$evt" info $(mirror_node $A "$at") >$tmp/info.atm
check mirror-name-phys-uniq-id-ps2 diff $tmp/info.at $tmp/info.atm

# A udev rule matching the physical keyboard by name matches its mirror too.
mkdir -p /run/udev/rules.d
echo 'SUBSYSTEM=="input", KERNEL=="event*", ATTRS{name}=="devns test kbd", ENV{DEVNS_TEST_KBD}="1"' \
	>/run/udev/rules.d/50-devns-test.rules
udev_matches() {
	udevadm test --action=add /sys/class/input/$(basename $1) 2>&1 | grep -qx 'DEVNS_TEST_KBD=1'
}
check udev-rule-matches-phys udev_matches $KBD
check udev-rule-matches-mirror udev_matches $MA
rm /run/udev/rules.d/50-devns-test.rules

# A device plugged in after the personas, with axes and properties.
new_dev touch "devns test touch"
TOUCH_FD=$DEV_FD TOUCH=$DEV_NODE TOUCH_PID=$DEV_PID
check hotplug-device-after-persona wait_for 10 mirror_node $A "devns test touch"
MT_A=$(mirror_node $A "devns test touch")
"$evt" info $TOUCH >$tmp/info.tphys
"$evt" info $MT_A >$tmp/info.tmirror
check mirror-caps-touch diff $tmp/info.tphys $tmp/info.tmirror

# No mirror of a mirror, and mirrors stay out of other personas.
# named() NAME: how many input devices are named NAME.
named() { grep -cx "N: Name=\"$1\"" /proc/bus/input/devices; }
check no-mirror-of-mirror test "$(named 'devns test kbd')" = 3

## Routing

# Root active: the physical node gets the keys, no mirror does.
reader phys $KBD
reader ma $MA $A_PID
echo "key 30 1" >&$KBD_FD; echo "key 30 0" >&$KBD_FD
readers_done
check root-active-phys got phys "1 30 1" "1 30 0"
check root-active-no-mirror none ma

# A active: only A's mirror.
switch $A
reader phys $KBD
reader ma $MA $A_PID
reader mb $MB $B_PID
echo "key 31 1" >&$KBD_FD; echo "key 31 0" >&$KBD_FD
readers_done
check persona-active-mirror got ma "1 31 1" "0 0 0" "1 31 0"
check persona-active-no-root none phys
check persona-active-no-other-persona none mb

# Each packet reaches the mirror stamped with the time it happened (not an
# earlier packet's: none for a second), one time for all its events.
nsenter -t $A_PID -p -- "$evt" stamp $MA >$tmp/stamp 2>&1 &
wait_for 10 grep -q '^ready' $tmp/stamp
sleep 1	# a pause, not ordering: no packet for a second before this one
echo "ev 4 4 458757" >&$KBD_FD; echo "key 33 1" >&$KBD_FD; echo "key 33 0" >&$KBD_FD
wait $!
check mirror-timestamp awk '/^age_us/ { ok = $2 >= 0 && $2 < 500000 && $4 == 1 } END { if (!ok) print; exit !ok }' $tmp/stamp

# Scancodes (EV_MSC) follow the keys; a grab by the persona's reader works.
reader ma $MA $A_PID
echo "ev 4 4 458756" >&$KBD_FD; echo "key 32 1" >&$KBD_FD; echo "key 32 0" >&$KBD_FD
readers_done
check persona-msc got ma "4 4 458756" "1 32 1"

# The mirror's state follows what it was fed: a held key shows in EVIOCGKEY.
echo "key 31 1" >&$KBD_FD
check mirror-state-key-held wait_for 5 sh -c "test \"\$('$evt' keys $MA)\" = 'keys 31'"
echo "key 31 0" >&$KBD_FD
check mirror-state-key-released wait_for 5 sh -c "test \"\$('$evt' keys $MA)\" = keys"

# Touch goes to the persona with its slots.
reader ta $MT_A $A_PID
echo "touch 1 7 100 200" >&$TOUCH_FD; echo "untouch 1" >&$TOUCH_FD
readers_done
check persona-touch got ta "3 47 1" "3 57 7" "3 53 100" "3 54 200" "1 330 1" "3 57 -1" "1 330 0"

## Switches leave no key held

# A holds a key and a touch; switching to B releases both in A, and B never
# sees the key, not even when it is released.
reader ma $MA $A_PID
reader ta $MT_A $A_PID
reader mb $MB $B_PID
echo "key 30 1" >&$KBD_FD; echo "touch 0 9 50 60" >&$TOUCH_FD
devs_sync
switch $B
echo "key 30 0" >&$KBD_FD; echo "untouch 0" >&$TOUCH_FD
echo "key 33 1" >&$KBD_FD; echo "key 33 0" >&$KBD_FD
readers_done
check switch-releases-keys got ma "1 30 1" "1 30 0"
check switch-releases-touch got ta "3 57 9" "3 57 -1" "1 330 0"
check switch-incoming-no-held-key lacks mb "1 30 0"
check switch-incoming-no-repeat lacks mb "1 30 2"
check switch-incoming-gets-new-keys got mb "1 33 1" "1 33 0"
check switch-no-key-left-in-mirror sh -c "test \"\$('$evt' keys $MA)\" = keys"

# The root holds a key when a persona takes over: root readers see it released.
switch 0
reader phys $KBD
echo "key 34 1" >&$KBD_FD
devs_sync
switch $A
echo "key 34 0" >&$KBD_FD
readers_done
check switch-from-root-releases got phys "1 34 1" "1 34 0"

## Key repeat: a held key repeats in the active persona as it does for the
## root (the physical device's software autorepeat, 250 ms then every 33 ms).

reader ma $MA $A_PID
echo "key 35 1" >&$KBD_FD
wait_for 10 got ma "1 35 2"
echo "key 35 0" >&$KBD_FD
readers_done
check persona-key-repeats got ma "1 35 1" "1 35 2" "1 35 0"
switch 0
reader phys $KBD
echo "key 35 1" >&$KBD_FD
wait_for 10 got phys "1 35 2"
echo "key 35 0" >&$KBD_FD
readers_done
check root-key-repeats got phys "1 35 1" "1 35 2" "1 35 0"

## Secure switch keys: on the root's uinput keyboard only as the
## administrator allows it (virtual_switch_keys); attacks-input.sh has it off.

"$nl" hotkeys default >/dev/null
echo 1 >/sys/module/devns_input/parameters/virtual_switch_keys
switch $A
reader ma $MA $A_PID
reader phys $KBD
hotkey uinput bash -c "echo 'key 125 1' >&$KBD_FD; echo 'key 59 1' >&$KBD_FD
	echo 'key 59 0' >&$KBD_FD; echo 'key 125 0' >&$KBD_FD"
readers_done
check hotkey-announced grep -qx "event=hotkey slot=1" $tmp/hk.uinput
check hotkey-modifier-not-stuck got ma "1 125 1" "1 125 0"
check hotkey-not-delivered lacks ma "1 59 1"
check hotkey-release-not-delivered lacks ma "1 59 0"
check hotkey-not-to-root none phys

# Root active: Meta+Esc is swallowed there too.
switch 0
reader phys $KBD
hotkey root bash -c "echo 'key 125 1' >&$KBD_FD; echo 'key 1 1' >&$KBD_FD
	echo 'key 1 0' >&$KBD_FD; echo 'key 125 0' >&$KBD_FD"
readers_done
check hotkey-root-slot0 grep -qx "event=hotkey slot=0" $tmp/hk.root
check hotkey-root-swallowed lacks phys "1 1 1"
check hotkey-root-modifier got phys "1 125 1" "1 125 0"

# A persona cannot forge one by writing into its mirror.
switch $A
# (None may come: 4 s without one is the test.)
hk_timeout=4 hotkey forged nsenter -t $A_PID -p -- "$evt" write $MA 1 125 1 0 0 0 1 59 1 0 0 0 1 59 0 1 125 0 0 0 0
check hotkey-not-forgeable sh -c "! grep -q event=hotkey $tmp/hk.forged"

# The real PS/2 keyboard, through QEMU: hardware needs no allowance.
echo 0 >/sys/module/devns_input/parameters/virtual_switch_keys
AT_MA=$(mirror_node $A "$at")
reader atm $AT_MA $A_PID
hotkey ps2 sh -c "'$progs/qemu-monitor' 'sendkey meta_l-f2' >/dev/null"
qemu_monitor sendkey b >/dev/null
wait_for 10 got atm "1 48 0"
readers_done
check hotkey-ps2 grep -qx "event=hotkey slot=2" $tmp/hk.ps2
check hotkey-ps2-swallowed lacks atm "1 60 1"
check ps2-routed got atm "1 48 1" "1 48 0"

## A persona writes into its own mirror: its readers see it, nobody else.
reader ma $MA $A_PID
reader phys $KBD
nsenter -t $A_PID -p -- "$evt" write $MA 1 35 1 0 0 0 1 35 0 0 0 0
readers_done
check persona-writes-own-mirror got ma "1 35 1" "1 35 0"
check persona-writes-not-to-root none phys

## Host-wide handlers (VT keyboard, sysrq...) never see a mirror's events.
echo 1 >/proc/sys/kernel/sysrq
sysrq_help() { dmesg | grep -c 'sysrq: HELP'; }
sysrq_more() { test "$(sysrq_help)" -gt "$1"; }
switch 0
before=$(sysrq_help)
for k in "56 1" "99 1" "35 1" "35 0" "99 0" "56 0"; do echo "key $k" >&$KBD_FD; done
check sysrq-control-root wait_for 10 sysrq_more "$before"
switch $A
before=$(sysrq_help)
nsenter -t $A_PID -p -- "$evt" write $MA 1 56 1 0 0 0 1 99 1 0 0 0 1 35 1 0 0 0 \
	1 35 0 0 0 0 1 99 0 0 0 0 1 56 0 0 0 0
for k in "56 1" "99 1" "35 1" "35 0" "99 0" "56 0"; do echo "key $k" >&$KBD_FD; done
devs_sync
check persona-cannot-reach-sysrq test "$(sysrq_help)" = "$before"

# A mirror's packets reach its own nodes, the joystick's jsN included, and
# never mousedev's /dev/input/mice, which mixes every mouse of the host.
# capture NAME FILE: FILE's bytes in $tmp/cap.NAME, in the background
# (they block), from once the reader waits for them (joydev hands a new
# reader the state first, and a press before it has read that is no event
# of its own); capture_done: once the devices' events are in and each reader
# has read them all, they stop.
capture() {
	dd if="$2" of=$tmp/cap.$1 bs=8 status=none &
	CAPS+=" $!"
	wait_for 30 reading $! 0 || echo "capture: $2 not read"
}
capture_done() {
	local p
	devs_sync
	for p in $CAPS; do wait_for 30 reading $p 0; kill $p; done
	wait $CAPS 2>/dev/null
	CAPS=
}
# A mouse move (REL_X 5) from the device on fd $1.
move() { echo "ev 2 0 5" >&$1; echo "ev 0 0 0" >&$1; }
modprobe joydev || fail setup "no joydev"
new_dev mouse "devns test mouse"
MOUSE_FD=$DEV_FD
new_dev pad "devns test pad"
PAD_FD=$DEV_FD
wait_for 10 mirror_node $A "devns test mouse"
wait_for 10 mirror_node $A "devns test pad"
MMOUSE_A=$(mirror_node $A "devns test mouse")
pad=$(dirname "$(grep -lx "devns test pad" /sys/class/devns/devns$A/input*/name)")
js=$(basename $pad/js*)
switch 0
capture root /dev/input/mice
move $MOUSE_FD
capture_done
check mice-root-moves test -s $tmp/cap.root
switch $A
capture persona /dev/input/mice
move $MOUSE_FD
nsenter -t $A_PID -p -- "$evt" write $MMOUSE_A 2 0 5 0 0 0
capture_done
check mice-never-from-mirror test ! -s $tmp/cap.persona
capture js /dev/input/$js
echo "key 304 1" >&$PAD_FD
capture_done
# js_event: time (4 bytes), value 1 (2), JS_EVENT_BUTTON (1), button 0 (1)
check mirror-js-node sh -c "od -An -tx1 -w8 -v $tmp/cap.js | grep -q ' 01 00 01 00$'"
echo "key 304 0" >&$PAD_FD
exec {MOUSE_FD}>&- {PAD_FD}>&-
wait_for 10 no_mirror $A "devns test pad"
modprobe -r joydev

## LED output reaches the hardware only from the active persona.

switch 0
"$evt" write $KBD 17 2 1 0 0 0		# the root's own scroll lock
check led-root-own sh -c "test \"\$('$evt' leds $KBD)\" = 'leds 4'"
switch $A
check led-root-saved-off sh -c "test \"\$('$evt' leds $KBD)\" = 'leds 0'"
nsenter -t $A_PID -p -- "$evt" write $MA 17 1 1 0 0 0
check led-active-reaches-hw wait_for 10 sh -c "test \"\$('$evt' leds $KBD)\" = 'leds 2'"
check led-active-uinput-out wait_for 10 grep -qx "out 17 1 1" "$tmp/dev.devns_test_kbd"
nsenter -t $B_PID -p -- "$evt" write $MB 17 0 1 0 0 0
sleep 0.5	# a pause, not ordering: nothing may reach the keyboard meanwhile
check led-background-gated sh -c "test \"\$('$evt' leds $KBD)\" = 'leds 2'"
switch $B
check led-replayed-b sh -c "test \"\$('$evt' leds $KBD)\" = 'leds 1'"
switch $A
check led-replayed-a sh -c "test \"\$('$evt' leds $KBD)\" = 'leds 2'"
switch 0
check led-root-restored sh -c "test \"\$('$evt' leds $KBD)\" = 'leds 4'"

# Sound likewise: a tone from the active persona sounds, is silenced when
# another persona takes over, and sounds again when it comes back.
# snd_seen TONE N: the keyboard was told to play TONE N times.
snd_seen() { test "$(grep -cx "out 18 2 $1" "$tmp/dev.devns_test_kbd")" = "$2"; }
switch $A
nsenter -t $A_PID -p -- "$evt" write $MA 18 2 440 0 0 0
check snd-active-reaches-hw wait_for 10 snd_seen 440 1
nsenter -t $B_PID -p -- "$evt" write $MB 18 2 880 0 0 0
sleep 0.5	# a pause, not ordering: nothing may reach the keyboard meanwhile
check snd-background-gated snd_seen 880 0
switch $B
check snd-switch-replays wait_for 10 snd_seen 880 1
switch $A
check snd-replayed-on-return wait_for 10 snd_seen 440 2
nsenter -t $A_PID -p -- "$evt" write $MA 18 2 0 0 0 0
switch 0

## Hot-plug: devices and personas going away, in any order.

kill $TOUCH_PID; exec {TOUCH_FD}>&-
check unplug-removes-mirror wait_for 10 no_mirror $A "devns test touch"
check unplug-removes-mirror-b no_mirror $B "devns test touch"
check unplug-keeps-others mirror_node $B "devns test kbd"
kill -9 $B_PID
check persona-death-removes-mirrors wait_for 10 sh -c "! test -e /sys/class/devns/devns$B"
check persona-death-no-mirror-left test "$(named 'devns test kbd')" = 2

## Module load order and unload while events flow.

switch $A
(for i in $(seq 400); do echo "key 30 1"; echo "key 30 0"; done >&$KBD_FD) &
flow=$!
reader ma $MA $A_PID
wait_for 10 got ma "1 30 1"
check unload-while-flowing rmmod devns_input
wait $flow
readers_done
check unload-removes-mirrors test "$(named 'devns test kbd')" = 1
reader after $KBD
echo "key 36 1" >&$KBD_FD; echo "key 36 0" >&$KBD_FD
readers_done
check unload-root-gets-input got after "1 36 1" "1 36 0"
# devns_input loaded after the persona (still active) and the devices.
check load-after-persona load_devns devns_input
check mirrors-after-load wait_for 10 mirror_node $A "devns test kbd"
MA=$(mirror_node $A "devns test kbd")
reader ma $MA $A_PID
reader phys $KBD
echo "key 37 1" >&$KBD_FD; echo "key 37 0" >&$KBD_FD
readers_done
check routed-after-load got ma "1 37 1" "1 37 0"
check root-gated-after-load none phys
switch 0

kill -9 $A_PID
exec {KBD_FD}>&-
wait
check unload-all unload_devns
