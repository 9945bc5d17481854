# devns_led: the devns LED trigger and the personas' virtual LEDs, on the
# LEDs of uinput keyboards (whose "hardware" side, the EV_LED events the
# kernel sends them, tests/vm/progs/uinput-leds logs) and of QEMU's PS/2
# keyboard. devns_input stays unloaded: while a persona is active it grabs
# the physical keyboards, and the input core then drops what their LED class
# devices inject (see docs/ARCHITECTURE.md).
# devns-vm: timeout 300
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
sleep 0.3
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
sleep 0.3
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
sleep 0.3
n=$(events k1)
sleep 1
check blink-active test $(($(events k1) - n)) -ge 6
root
check blink-root-restored wait_for 10 shows k1 "$k1" capslock 1 1
sleep 0.2
n=$(events k1)
sleep 1
check blink-background-hidden test "$(events k1)" = "$n"
activate "$p2"
sleep 0.2
n=$(events k1)
sleep 1
check blink-other-persona-hidden test "$(events k1)" = "$n"
activate "$p1"
sleep 0.2
n=$(events k1)
sleep 1
check blink-resumes test $(($(events k1) - n)) -ge 6
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
echo timer >"$leds/$v1/trigger"
sleep 0.2
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
rm -rf "$work"
