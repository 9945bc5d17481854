# devns_led: the devns LED trigger and the personas' virtual LEDs, on the
# LEDs of uinput keyboards (whose "hardware" side, the EV_LED events the
# kernel sends them, tests/vm/progs/uinput-leds logs) and of QEMU's PS/2
# keyboard; first with devns_led alone, then with devns_input, which owns
# the keyboards' LEDs (see docs/ARCHITECTURE.md), loaded before and after it.
# devns-vm: timeout 480
. "$DEVNS_TOP/tests/vm/lib.sh"
progs=$DEVNS_TOP/tests/vm/progs
leds=/sys/class/leds
work=$(mktemp -d)

# new_keyboard VAR NAME: a uinput keyboard logging to $work/NAME.log; VAR
# gets its input device name (inputN), VAR_pid its process.
new_keyboard() {
	local log=$work/$2.log

	"$progs/uinput-leds" "$2" >"$log" 2>&1 &
	printf -v "$1_pid" %s $!
	wait_for 10 grep -q '^ready' "$log" || return 1
	printf -v "$1" %s "$(awk '/^ready/ { print $2 }' "$log")"
	# input-leds registers its LEDs with the device.
	wait_for 10 test -e "$leds/${!1}::capslock"
}

# hw NAME CODE: the last state the kernel sent LED CODE of keyboard NAME (0
# before any).
hw() {
	awk -v c="$2" '$1 == "led" && $2 == c { v = $3 } END { print v + 0 }' \
		"$work/$1.log"
}

# events NAME: how many LED events keyboard NAME got so far.
events() {
	grep -c '^led ' "$work/$1.log"
}

# blinks N M: keyboard k1 got at least M LED events since it had N.
blinks() { test $(($(events k1) - $1)) -ge "$2"; }

# k1_sync: every LED event the kernel sent k1 so far is in its log: a scroll
# lock change (scroll lock is free of any trigger where this is used), sent
# after them, is. It is changed back the same way.
k1_sync() {
	local v n

	for v in 0 1; do
		n=$(grep -c '^led 2 ' "$work/k1.log")
		set_led "$scroll" $v
		wait_for 10 test "$(grep -c '^led 2 ' "$work/k1.log")" -gt "$n" ||
			echo "k1_sync: no scroll lock event in $(tail -n 3 "$work/k1.log")"
	done
}

# shows NAME INPUT LED CODE VALUE: that physical LED of keyboard NAME is
# VALUE, in the LED class and on the device.
shows() {
	[ "$(cat "$leds/$2::$3/brightness")" = "$5" ] && [ "$(hw "$1" "$4")" = "$5" ]
}

set_led() { echo "$2" >"$leds/$1/brightness"; }
trigger_is() { grep -q "\[$2\]" "$leds/$1/trigger"; }

modprobe uinput
modprobe ledtrig-timer
check load load_devns devns_led || exit 1
new_keyboard k1 k1 || { fail keyboard "no uinput keyboard"; exit 1; }
caps=$k1::capslock num=$k1::numlock scroll=$k1::scrolllock

check trigger-listed grep -qw devns "$leds/$caps/trigger"

# The root's values from before: capslock on, numlock off.
echo none >"$leds/$caps/trigger"
echo none >"$leds/$num/trigger"
set_led "$caps" 1
check trigger-set sh -c "echo devns >'$leds/$caps/trigger' &&
	echo devns >'$leds/$num/trigger'"
check trigger-shown trigger_is "$caps" devns
check root-value-kept shows k1 "$k1" capslock 1 1

new_persona p1 one && new_persona p2 two ||
	{ fail personas "cannot register personas"; exit 1; }
v1=$p1_id-$caps v2=$p2_id-$caps
check virtual-per-persona wait_for 10 test -e "$leds/$v1" -a -e "$leds/$v2" \
	-a -e "$leds/$p1_id-$num" -a -e "$leds/$p2_id-$num"
check virtual-max-brightness test "$(cat "$leds/$v1/max_brightness")" = \
	"$(cat "$leds/$caps/max_brightness")"
check virtual-parent test "$(readlink -f "$leds/$v1/device")" = \
	"$(readlink -f "/sys/class/devns/$p1_id")"
check no-virtual-for-free-leds test ! -e "$leds/$p1_id-$scroll"

# Background writes are remembered, not shown.
n=$(events k1)
set_led "$v1" 0
set_led "$v2" 1
set_led "$p2_id-$num" 1
sleep 0.3	# a pause, not ordering: nothing may reach the keyboard meanwhile
check background-hidden shows k1 "$k1" capslock 1 1
check background-no-events test "$(events k1)" = "$n"

activate "$p1"
check switch-in-remembered wait_for 10 shows k1 "$k1" capslock 1 0
check switch-in-persona-initial wait_for 10 shows k1 "$k1" numlock 0 0
set_led "$v1" 1
check active-write-shown wait_for 10 shows k1 "$k1" capslock 1 1
set_led "$v1" 0
check active-write-shown-off wait_for 10 shows k1 "$k1" capslock 1 0

activate "$p2"
check persona-to-persona wait_for 10 shows k1 "$k1" capslock 1 1
check persona-to-persona-num wait_for 10 shows k1 "$k1" numlock 0 1
activate "$p1"
check persona-to-persona-back wait_for 10 shows k1 "$k1" capslock 1 0
n=$(events k1)
set_led "$v2" 0
set_led "$v2" 1
sleep 0.3	# a pause, not ordering: nothing may reach the keyboard meanwhile
check other-persona-hidden test "$(events k1)" = "$n"

root
check root-restored wait_for 10 shows k1 "$k1" capslock 1 1
check root-restored-off wait_for 10 shows k1 "$k1" numlock 0 0
# What the root sets under the trigger is its value too.
set_led "$num" 1
activate "$p1"
check root-write-saved-away wait_for 10 shows k1 "$k1" numlock 0 0
root
check root-write-restored wait_for 10 shows k1 "$k1" numlock 0 1

# A root write while a persona is active: the LED class gives a trigger no
# say in it, so it shows at once; it is the root's value from then on (the
# root gets it back instead of the one saved when it left), and the
# persona's next write shows over it. Scroll lock's root value is off.
echo devns >"$leds/$scroll/trigger"
check root-write-virtual wait_for 10 test -e "$leds/$p1_id-$scroll" \
	-a -e "$leds/$p2_id-$scroll"
activate "$p1"
check root-write-persona-shown wait_for 10 shows k1 "$k1" scrolllock 2 0
set_led "$scroll" 1
check root-write-shows-at-once wait_for 10 shows k1 "$k1" scrolllock 2 1
check root-write-keeps-trigger trigger_is "$scroll" devns
set_led "$p1_id-$scroll" 0
check root-write-persona-over wait_for 10 shows k1 "$k1" scrolllock 2 0
root
check root-write-becomes-root wait_for 10 shows k1 "$k1" scrolllock 2 1
# The same when another persona follows: taken on the way out.
echo none >"$leds/$scroll/trigger"
echo devns >"$leds/$scroll/trigger"
check root-write-retrigger-off shows k1 "$k1" scrolllock 2 0
activate "$p1"
set_led "$scroll" 1
activate "$p2"
check root-write-next-persona wait_for 10 shows k1 "$k1" scrolllock 2 0
root
check root-write-next-persona-root wait_for 10 shows k1 "$k1" scrolllock 2 1

# The root takes the LED out of devns while a persona is active, by writing
# 0 (the LED class's rule) or setting another trigger: the LED leaves devns
# at once, is off, every persona's virtual LED of it goes, and the root's
# writes are its own; setting the trigger again brings them back.
wait_for 10 test -e "$leds/$p1_id-$scroll"
set_led "$p1_id-$scroll" 1
activate "$p1"
check removal-persona-shown wait_for 10 shows k1 "$k1" scrolllock 2 1
set_led "$scroll" 0
check removal-zero-trigger-gone sh -c "! grep -q '\[devns\]' '$leds/$scroll/trigger'"
check removal-zero-off shows k1 "$k1" scrolllock 2 0
check removal-zero-virtual-gone wait_for 10 test ! -e "$leds/$p1_id-$scroll" \
	-a ! -e "$leds/$p2_id-$scroll"
set_led "$scroll" 1
check removal-root-own-write wait_for 10 shows k1 "$k1" scrolllock 2 1
echo devns >"$leds/$scroll/trigger"
check removal-again-virtual wait_for 10 test -e "$leds/$p1_id-$scroll" \
	-a -e "$leds/$p2_id-$scroll"
check removal-again-persona-shown wait_for 10 shows k1 "$k1" scrolllock 2 0
set_led "$p1_id-$scroll" 1
check removal-again-persona-write wait_for 10 shows k1 "$k1" scrolllock 2 1
root
check removal-again-root wait_for 10 shows k1 "$k1" scrolllock 2 1
activate "$p1"
echo timer >"$leds/$scroll/trigger"
check removal-other-trigger-virtual-gone wait_for 10 \
	test ! -e "$leds/$p1_id-$scroll" -a ! -e "$leds/$p2_id-$scroll"
echo none >"$leds/$scroll/trigger"
root
check removal-no-dangling sh -c "! ls '$leds' | grep -q -- '-$scroll\$'"

# Out-of-range values are clamped to max_brightness, as on the physical
# LED; what is not a number is rejected, as there.
activate "$p1"
set_led "$v1" 7
check clamp-virtual test "$(cat "$leds/$v1/brightness")" = 1
check clamp-virtual-shown wait_for 10 shows k1 "$k1" capslock 1 1
set_led "$scroll" 7
check clamp-like-physical test "$(cat "$leds/$scroll/brightness")" = 1
check reject-negative sh -c "! echo -1 >'$leds/$v1/brightness' &&
	! echo -1 >'$leds/$scroll/brightness'"
check reject-garbage sh -c "! echo abc >'$leds/$v1/brightness' &&
	! echo abc >'$leds/$scroll/brightness'"
check rejected-changes-nothing shows k1 "$k1" capslock 1 1

# devns never takes over its own LEDs.
echo devns >"$leds/$v1/trigger"
check refuse-virtual sh -c "! grep -q '\[devns\]' '$leds/$v1/trigger'"
check refuse-virtual-no-nested test ! -e "$leds/$p1_id-$v1"

# Blinking (the timer trigger on a virtual LED) reaches the physical LED
# only while the persona is active.
echo timer >"$leds/$v1/trigger"
echo 50 >"$leds/$v1/delay_on"
echo 50 >"$leds/$v1/delay_off"
k1_sync
n=$(events k1)
check blink-active wait_for 10 blinks $n 6
root
check blink-root-restored wait_for 10 shows k1 "$k1" capslock 1 1
k1_sync
n=$(events k1)
sleep 1	# a pause, not ordering: nothing may reach the keyboard meanwhile
check blink-background-hidden test "$(events k1)" = "$n"
activate "$p2"
k1_sync
n=$(events k1)
sleep 1	# a pause, not ordering: nothing may reach the keyboard meanwhile
check blink-other-persona-hidden test "$(events k1)" = "$n"
activate "$p1"
k1_sync
n=$(events k1)
check blink-resumes wait_for 10 blinks $n 6
echo none >"$leds/$v1/trigger"
check blink-stopped wait_for 10 shows k1 "$k1" capslock 1 0

# A new LED put under the trigger while personas exist, one of them active:
# it shows that persona's (initial, off) value, the root's comes back.
new_keyboard k2 k2 || fail keyboard2 "no second uinput keyboard"
echo none >"$leds/$k2::capslock/trigger"
set_led "$k2::capslock" 1
echo devns >"$leds/$k2::capslock/trigger"
check hotplug-virtual wait_for 10 test -e "$leds/$p1_id-$k2::capslock" \
	-a -e "$leds/$p2_id-$k2::capslock"
check hotplug-persona-shown wait_for 10 shows k2 "$k2" capslock 1 0
set_led "$p1_id-$k2::capslock" 1
check hotplug-persona-write wait_for 10 shows k2 "$k2" capslock 1 1
set_led "$p1_id-$k2::capslock" 0
root
check hotplug-root-restored wait_for 10 shows k2 "$k2" capslock 1 1

# The keyboard goes away while its LED is under the trigger and a persona
# is active.
activate "$p1"
kill "$k2_pid"
wait "$k2_pid"
check unplug-virtual-gone wait_for 10 test ! -e "$leds/$p1_id-$k2::capslock" \
	-a ! -e "$leds/$p2_id-$k2::capslock"
check unplug-others-stay test -e "$leds/$v1" -a -e "$leds/$v2"

# A persona whose init dies while active: its LEDs go, the root's come back.
new_persona p3 three || fail persona3 "cannot register a third persona"
check third-persona-virtual wait_for 10 test -e "$leds/$p3_id-$caps"
set_led "$p3_id-$caps" 0
activate "$p3"
check third-persona-shown wait_for 10 shows k1 "$k1" capslock 1 0
kill -KILL "$p3"
check persona-exit-virtual-gone wait_for 10 test ! -e "$leds/$p3_id-$caps"
check persona-exit-root-restored wait_for 10 shows k1 "$k1" capslock 1 1
check persona-exit-root-active test "$(cat /proc/dev_ns/active_ns_pid)" = 1

# The LED class's rule: writing 0 to an LED's brightness removes its
# trigger, devns's included; the LED is then free and its virtual LEDs go.
set_led "$num" 0
check zero-releases sh -c "! grep -q '\[devns\]' '$leds/$num/trigger'"
check zero-release-virtual-gone wait_for 10 test ! -e "$leds/$p1_id-$num"
check zero-release-stays-off shows k1 "$k1" numlock 0 0

# Unloaded while a persona is active and one of its LEDs blinks: every
# virtual LED goes, the physical ones leave the trigger.
activate "$p1"
n=$(events k1)
echo timer >"$leds/$v1/trigger"
wait_for 10 blinks $n 1
check unload-while-active rmmod devns_led
check unload-virtual-gone sh -c "! ls '$leds' | grep -q '^devns'"
check unload-trigger-gone sh -c "! grep -qw devns '$leds/$caps/trigger'"
check reload load_devns devns_led
echo devns >"$leds/$caps/trigger"
check reload-virtual wait_for 10 test -e "$leds/$v1" -a -e "$leds/$v2"
check reload-persona-shown wait_for 10 shows k1 "$k1" capslock 1 0
set_led "$v1" 1
check reload-persona-write wait_for 10 shows k1 "$k1" capslock 1 1

# QEMU's PS/2 keyboard.
atkbd=
for l in "$leds"/input*::capslock; do
	[ "$(cat "$l/device/name")" = "AT Translated Set 2 keyboard" ] &&
		atkbd=$(basename "$l")
done
# Its trigger (kbd-capslock: the host's Caps Lock) is given back at the end:
# suites after this one press Caps Lock through QEMU.
[ -z "$atkbd" ] ||
	atkbd_was=$(sed -n 's/.*\[\([^]]*\)\].*/\1/p' "$leds/$atkbd/trigger")
if [ -z "$atkbd" ]; then
	fail ps2-led "no LED of the PS/2 keyboard"
else
	root
	echo none >"$leds/$atkbd/trigger"
	set_led "$atkbd" 1
	echo devns >"$leds/$atkbd/trigger"
	check ps2-virtual wait_for 10 test -e "$leds/$p1_id-$atkbd" \
		-a -e "$leds/$p2_id-$atkbd"
	set_led "$p1_id-$atkbd" 0
	set_led "$p2_id-$atkbd" 1
	activate "$p1"
	check ps2-persona-shown test "$(cat "$leds/$atkbd/brightness")" = 0
	activate "$p2"
	check ps2-other-persona-shown test "$(cat "$leds/$atkbd/brightness")" = 1
	set_led "$p2_id-$atkbd" 0
	check ps2-active-write test "$(cat "$leds/$atkbd/brightness")" = 0
	root
	check ps2-root-restored test "$(cat "$leds/$atkbd/brightness")" = 1
	echo none >"$leds/$atkbd/trigger"
fi

# All at once: switches, virtual writes, and an LED leaving and re-entering
# the trigger. Afterwards every persona has exactly one virtual LED for it
# (none renamed after a leftover) and the state is consistent.
(for _ in $(seq 30); do activate "$p1"; activate "$p2"; root; done) &
switcher=$!
(for _ in $(seq 30); do set_led "$v1" 0; set_led "$v2" 1; set_led "$v1" 1
	set_led "$v2" 0; done) &
writer=$!
for _ in $(seq 15); do
	echo devns >"$leds/$num/trigger"
	echo none >"$leds/$num/trigger"
done
wait $switcher $writer
# For the record: what switches cost devns_led (90 of them just now).
[ -x "$DEVNS_TOP/daemon/build/devns-nl" ] &&
	"$DEVNS_TOP/daemon/build/devns-nl" stats | grep -E '^(switches|subsys=led)'
echo devns >"$leds/$num/trigger"
check stress-virtual wait_for 10 test -e "$leds/$p1_id-$num" -a -e "$leds/$p2_id-$num"
# (A pause, not ordering: no such LED may appear meanwhile.)
check stress-no-leftovers sh -c "sleep 0.5; ! ls '$leds' | grep -q '^devns.*_[0-9][0-9]*$'"
# (The root's capslock is off since the reload.)
check stress-root wait_for 10 shows k1 "$k1" capslock 1 0
activate "$p1"
check stress-persona-caps wait_for 10 shows k1 "$k1" capslock 1 1
check stress-persona-num wait_for 10 shows k1 "$k1" numlock 0 0
set_led "$p1_id-$num" 1
check stress-persona-write wait_for 10 shows k1 "$k1" numlock 0 1
activate "$p2"
check stress-other-persona wait_for 10 shows k1 "$k1" capslock 1 0
check stress-other-persona-num wait_for 10 shows k1 "$k1" numlock 0 0
root

# The LEDs input-leds would give devns_input's mirrors descend from a
# persona's devns device like the virtual LEDs, and are refused by the same
# check (refuse-virtual above); devns_input keeps input-leds off its mirrors,
# so there are none to try here.

# Personas gone first, then the modules, devns_led before devns_core.
# (The root's capslock value is off since it was put under the trigger again
# after the reload; the active persona's is on.)
activate "$p1"
kill -KILL "$p1" "$p2"
check personas-gone-virtual wait_for 10 sh -c "! ls '$leds' | grep -q '^devns'"
check personas-gone-root-restored wait_for 10 shows k1 "$k1" capslock 1 0
check unload-after-personas rmmod devns_led
check unload-core rmmod devns_core
kill "$k1_pid"
wait "$k1_pid"
check keyboard-destroyed test ! -e "$leds/$caps"

## With devns_input. A keyboard's LEDs are devns_input's: each persona has
# them through its mirror of the keyboard (EV_LED), and devns_input switches
# them. devns_led leaves the LEDs of an input device devns_input handles
# alone, whichever loads first: they stay under the trigger, get no virtual
# LEDs and devns_led never writes them; when devns_input lets the device go,
# devns_led takes them (back) as if the trigger had just been set.

# mirror_node PERSONA NAME: the event node of PERSONA's (devnsN) mirror of
# input device NAME.
mirror_node() {
	local d

	for d in /sys/class/devns/$1/input*; do
		[ "$(cat "$d/name" 2>/dev/null)" = "$2" ] || continue
		echo "/dev/input/$(basename "$d"/event*)"
		return 0
	done
	return 1
}

# mirror_led PID NODE CODE VALUE: the persona of PID sets LED CODE of its
# mirror NODE.
mirror_led() {
	nsenter -t "$1" -p -- "$progs/input-evt" write "$2" 17 "$3" "$4" 0 0 0
}

# logged TEXT: the kernel log has TEXT since the last "logged" mark.
logged() { dmesg | sed -n "/devns-led-test-mark $mark/,\$p" | grep -qF -- "$1"; }
mark=0
next_mark() { mark=$((mark + 1)); echo "devns-led-test-mark $mark" >/dev/kmsg; }

modprobe evdev
atkbd_trigger() { [ -z "$atkbd" ] || echo "$1" >"$leds/$atkbd/trigger"; }

# devns_led first: its LEDs are handed over to devns_input when it loads.
check led-first load_devns devns_led
new_keyboard k3 k3 || { fail keyboard3 "no uinput keyboard"; exit 1; }
c3=$k3::capslock n3=$k3::numlock
echo none >"$leds/$c3/trigger"
set_led "$c3" 1
echo devns >"$leds/$c3/trigger"
atkbd_trigger devns
new_persona q1 qone || { fail persona-q1 "cannot register a persona"; exit 1; }
check led-first-virtual wait_for 10 test -e "$leds/$q1_id-$c3"
set_led "$q1_id-$c3" 1
activate "$q1"
check led-first-persona-shown wait_for 10 shows k3 "$k3" capslock 1 1
next_mark
check input-second load_devns devns_input
check handover-virtual-gone wait_for 10 test ! -e "$leds/$q1_id-$c3"
check handover-trigger-stays trigger_is "$c3" devns
check handover-logged logged "$c3: its device is virtualized by another devns module now"
if [ -n "$atkbd" ]; then
	check ps2-handover-virtual-gone wait_for 10 test ! -e "$leds/$q1_id-$atkbd"
	check ps2-handover-trigger-stays trigger_is "$atkbd" devns
fi
# The persona's LEDs are its mirror's now (off: not written yet).
check handover-mirror-shown wait_for 10 shows k3 "$k3" capslock 1 0
wait_for 10 mirror_node "$q1_id" k3 >/dev/null
m3=$(mirror_node "$q1_id" k3)
check handover-mirror test -n "$m3"
mirror_led "$q1" "$m3" 1 1
check handover-mirror-write wait_for 10 shows k3 "$k3" capslock 1 1
mirror_led "$q1" "$m3" 1 0
check handover-mirror-write-off wait_for 10 shows k3 "$k3" capslock 1 0
# The root's value, given back by devns_led on the way, is devns_input's to
# restore.
root
check handover-root-value wait_for 10 shows k3 "$k3" capslock 1 1
activate "$q1"
check handover-mirror-again wait_for 10 shows k3 "$k3" capslock 1 0

# Both loaded: an LED of a handled device put under the trigger is taken,
# but gets no virtual LED, nor does a new persona.
next_mark
echo devns >"$leds/$n3/trigger"
check claimed-trigger-taken trigger_is "$n3" devns
check claimed-logged logged "$n3: its device is virtualized by another devns module: no virtual LEDs"
new_persona q2 qtwo || { fail persona-q2 "cannot register a persona"; exit 1; }
# (A pause, not ordering: no such LED may appear meanwhile.)
check claimed-no-virtual sh -c "sleep 0.5; ! ls '$leds' | grep -q -- '-$k3::'"

# A keyboard plugged in while both are loaded and a persona is active.
new_keyboard k4 k4 || { fail keyboard4 "no uinput keyboard"; exit 1; }
c4=$k4::capslock
echo devns >"$leds/$c4/trigger"
check hotplug-both-trigger trigger_is "$c4" devns
# (A pause, not ordering: no such LED may appear meanwhile.)
check hotplug-both-no-virtual sh -c "sleep 0.5; ! ls '$leds' | grep -q -- '-$c4\$'"
wait_for 10 mirror_node "$q1_id" k4 >/dev/null
m4=$(mirror_node "$q1_id" k4)
check hotplug-both-mirror test -n "$m4"
mirror_led "$q1" "$m4" 1 1
check hotplug-both-mirror-write wait_for 10 shows k4 "$k4" capslock 1 1
root
check hotplug-both-root wait_for 10 shows k4 "$k4" capslock 1 0
activate "$q1"
check hotplug-both-persona-again wait_for 10 shows k4 "$k4" capslock 1 1

# devns_input unloaded first, a persona active: devns_led takes the LEDs
# back, every persona gets virtual LEDs of them, the active one's (not
# written yet: off) show, and the root's value is what devns_input gave back.
next_mark
check input-unload-first rmmod devns_input
check takeback-virtual wait_for 10 test -e "$leds/$q1_id-$c3" \
	-a -e "$leds/$q2_id-$c3" -a -e "$leds/$q1_id-$n3" -a -e "$leds/$q1_id-$c4"
check takeback-logged logged "$c3: its device is no other devns module's now"
check takeback-persona-shown wait_for 10 shows k3 "$k3" capslock 1 0
check takeback-persona-shown-hotplugged wait_for 10 shows k4 "$k4" capslock 1 0
set_led "$q1_id-$n3" 1
check takeback-persona-write wait_for 10 shows k3 "$k3" numlock 0 1
activate "$q2"
check takeback-other-persona wait_for 10 shows k3 "$k3" numlock 0 0
root
check takeback-root-value wait_for 10 shows k3 "$k3" capslock 1 1
check takeback-root-value-num wait_for 10 shows k3 "$k3" numlock 0 0
if [ -n "$atkbd" ]; then
	check ps2-takeback-virtual wait_for 10 test -e "$leds/$q1_id-$atkbd"
	set_led "$q1_id-$atkbd" 1
	activate "$q1"
	check ps2-takeback-persona test "$(cat "$leds/$atkbd/brightness")" = 1
	root
fi

# devns_input first: devns_led, loaded after it, never gives those LEDs
# virtual LEDs. (Unloading devns_led takes its trigger off every LED.)
check led-unload rmmod devns_led
check input-first load_devns devns_input
next_mark
check led-second load_devns devns_led
echo devns >"$leds/$c3/trigger"
atkbd_trigger devns
check input-first-trigger trigger_is "$c3" devns
check input-first-logged logged "$c3: its device is virtualized by another devns module: no virtual LEDs"
activate "$q1"
# (A pause, not ordering: no such LED may appear meanwhile.)
check input-first-no-virtual sh -c "sleep 0.5; ! ls '$leds' | grep -q -- '-input'"
mirror_led "$q1" "$(mirror_node "$q1_id" k3)" 1 1
check input-first-mirror-write wait_for 10 shows k3 "$k3" capslock 1 1
# A keyboard whose LED is under the trigger unplugged while both are loaded.
echo devns >"$leds/$c4/trigger"
kill "$k4_pid"
wait "$k4_pid"
check unplug-both-led-gone wait_for 10 test ! -e "$leds/$c4"
no_mirror() { ! mirror_node "$@" >/dev/null; }
check unplug-both-mirror-gone wait_for 10 no_mirror "$q1_id" k4
root
activate "$q1"

# devns_led unloaded first, a persona active: devns_input keeps switching.
check led-unload-first rmmod devns_led
check led-unload-first-trigger-gone sh -c "! grep -qw devns '$leds/$c3/trigger'"
mirror_led "$q1" "$(mirror_node "$q1_id" k3)" 1 0
check led-unload-first-mirror-write wait_for 10 shows k3 "$k3" capslock 1 0
kill -KILL "$q1" "$q2"
check input-unload-last rmmod devns_input
check core-unload-last rmmod devns_core
kill "$k3_pid"
wait "$k3_pid"
if [ -n "$atkbd" ]; then
	atkbd_trigger "$atkbd_was"
	check ps2-trigger-given-back trigger_is "$atkbd" "$atkbd_was"
fi
rm -rf "$work"
