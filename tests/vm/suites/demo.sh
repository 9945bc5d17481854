# devns-vm: qemu-args -device bochs-display,id=kmsdisplay
# devns-vm: ends
# devns-vm: timeout 300
# The demo (demo/run shows it; make check tests it): three personas from
# demo/personas/ share QEMU's real bochs displays and PS/2 keyboard under
# devnsd: two painters on their framebuffers (devns_fb, the first display)
# and libdrm's modetest on its DRM card (devns_kms, on the second display,
# kmsdisplay: one devns subsystem owns a display). The session is driven
# through QEMU's keyboard, a screenshot of the display the step is about is
# taken after each step, and a table says what happened.
# Outputs in $DEVNS_OUT: step-N-NAME.png (and .ppm), table.txt.
. "$DEVNS_TOP/tests/vm/lib.sh"
. "$DEVNS_TOP/tests/vm/lib-kms.sh"	# smpte; its shot is replaced below
progs=$DEVNS_TOP/tests/vm/progs
bin=$DEVNS_TOP/daemon/build
painter=$DEVNS_TOP/demo/personas/painter
t=/run/devns-demo
shots=$DEVNS_OUT
kbd='AT Translated Set 2 keyboard'

mkdir -p $t/personas.d "$shots"
ctl() { "$bin/devnsctl" "$@"; }
say() { echo "demo: $*"; }

## The machine: real display and keyboard, the modules, devnsd.
modprobe evdev && modprobe bochs
wait_for 10 test -e /dev/fb0 || { fail setup "no bochs framebuffer"; exit 0; }
# kms_card: the second display's card (a bochs-display: PCI class 0x038000,
# not VGA).
kms_card() {
	local c

	for c in /sys/class/drm/card[0-9]; do
		[ "$(cat "$c/device/class" 2>/dev/null)" = 0x038000 ] && echo "${c##*/}"
	done
}
wait_for 10 test -n "$(kms_card)" || { fail setup "no second bochs display"; exit 0; }
# The root's own screen: its text console.
printf '\033[2J\033[H%s\n' "devns demo: the root (host) console on tty1" \
	"Left Meta+F1: red persona, Left Meta+F2: blue persona, Left Meta+F3: KMS persona" \
	"(on the second display), Left Meta+Esc: back here" >/dev/tty1
# devns_kms first: it claims the second display, so devns_fb leaves it alone.
modprobe drm_shmem_helper
say "loading devns_kms on $(kms_card)"
load_devns devns_kms card="$(kms_card)" || { fail setup "devns_kms does not load"; exit 0; }
for m in devns_input devns_fb devns_led; do
	say "loading $m"
	load_devns $m || { fail setup "$m does not load"; exit 0; }
done
[ -x "$painter" ] && [ -x "$bin/devnsd" ] || { fail setup "demo/personas or daemon not built"; exit 0; }

start_system_bus $t || { fail setup "dbus: $(cat $t/bus.log)"; exit 0; }

# The example personas, with this checkout's paths.
for f in "$DEVNS_TOP"/demo/personas/*.conf; do
	sed "s|@TOP@|$DEVNS_TOP|g" "$f" >$t/personas.d/"$(basename "$f")"
done
"$bin/devnsd" --config-dir $t/personas.d --state-file $t/state >$shots/devnsd.log 2>&1 &
say "devnsd started"
wait_for 20 sh -c "'$bin/devnsctl' list --no-legend | grep -q '^blue .*running'" &&
	wait_for 20 sh -c "'$bin/devnsctl' list --no-legend | grep -q '^red .*running'" &&
	wait_for 20 sh -c "'$bin/devnsctl' list --no-legend | grep -q '^pattern .*running'" ||
	{ fail setup "personas do not start: $(ctl list 2>&1; cat $shots/devnsd.log)"; exit 0; }
say "personas running"

## Driving the session.
active() { ctl list --no-legend | awk '$NF == "yes" { print $1 }'; }
# keys_file NAME: what persona NAME logs in its own /run
keys_file() {
	echo "/proc/$(ctl status --json "$1" | sed -n 's/.*"leader":\([0-9]*\).*/\1/p')/root/run/$1.keys"
}
keys() { wc -l <"$(keys_file "$1")" 2>/dev/null || echo 0; }
typed() { test "$(keys $1)" -ge $2; }
capslock() { cat /sys/class/leds/input*::capslock/brightness 2>/dev/null | head -n1; }
latency_ms() {
	"$bin/devns-nl" stats | sed -n '1s/.*last_ns=\([0-9]*\).*/\1/p' |
		awk '{ printf "%.2f", $1 / 1e6 }'
}

step=0
printf '%-4s %-22s %-7s %9s %10s %9s %12s\n' step action active "red keys" "blue keys" capslock "switch (ms)" >$shots/table.txt
# shot NAME ACTION [X Y RRGGBB]...: screenshot of the display $display
# (QEMU's device id; empty: the first) once it shows those pixels (within
# 30 s), and a table row.
display=
shot() {
	local f=$shots/step-$step-$1
	say "step $step: $2"
	wait_for 30 shows $f.ppm "${@:3}" || say "step $step: not shown: ${*:3}"
	qemu_monitor "screendump $f.png -f png $display" >/dev/null
	printf '%-4s %-22s %-7s %9s %10s %9s %12s\n' $step "$2" "$(active)" \
		"$(keys red)" "$(keys blue)" "$(capslock)" "$(latency_ms)" >>$shots/table.txt
	step=$((step + 1))
}
# shows FILE [X Y RRGGBB]...: a screendump in FILE has those pixels.
shows() {
	local f=$1
	shift
	qemu_monitor "screendump $f $display" >/dev/null || return 1
	while [ $# -ge 3 ]; do
		[ "$("$progs/fbtool" pixel "$f" "$1" "$2")" = "$3" ] || return 1
		shift 3
	done
}
# shows_smpte FILE: a screendump in FILE shows modetest's SMPTE bars.
shows_smpte() { shows "$1" && smpte "$1"; }
# press KEY...: each through QEMU's PS/2 keyboard.
press() {
	for k in "$@"; do qemu_monitor "sendkey $k" >/dev/null; done
}
# switch_to NAME HOTKEY
switch_to() {
	press "$2"
	wait_for 30 sh -c "[ \"\$('$bin/devnsctl' list --no-legend | awk '\$NF == \"yes\" { print \$1 }')\" = $1 ]" ||
		fail "hotkey-$2" "$1 did not become active"
}

shot root "start: root"
switch_to red meta_l-f1
shot red "Meta+F1" 1270 790 ff0000
press h e l l o
wait_for 10 typed red 5
shot red-typed "type 'hello'" 1270 790 ff0000 $((16 + 4 * 32 + 4)) 20 ffffff
switch_to blue meta_l-f2
press d e v
wait_for 10 typed blue 3
shot blue-typed "Meta+F2, type 'dev'" 1270 790 0000ff $((16 + 2 * 32 + 4)) 20 ffffff
switch_to red meta_l-f1
shot red-again "Meta+F1" 1270 790 ff0000
switch_to root meta_l-esc
shot root-again "Meta+Esc" 1270 790 "$("$progs/fbtool" pixel $shots/step-0-root.ppm 1270 790)"
# The KMS persona, on the second display: modetest's SMPTE bars; then the
# root's screen there again (its fbdev emulation's, no SMPTE bars).
display=kmsdisplay
switch_to pattern meta_l-f3
wait_for 30 shows_smpte $shots/kms.ppm || say "no SMPTE bars on $display"
shot pattern "Meta+F3 (display 2)"
switch_to root meta_l-esc
wait_for 30 eval '! shows_smpte $shots/kms.ppm' || say "SMPTE bars stay on $display"
shot root-kms "Meta+Esc (display 2)"
cat $shots/table.txt

## What the demo must show.
# pixel STEP X Y: the colour of a pixel of a screenshot
pixel() { "$progs/fbtool" pixel "$(ls $shots/step-$1-*.ppm)" $2 $3; }
# The persona's colour, away from its squares and stripes.
expect_pixel() {
	local got
	got=$(pixel $2 1270 790)
	[ "$got" = "$3" ] && pass "$1" || fail "$1" "step $2: pixel 1270,790 is $got, not $3"
}
expect_pixel screen-red 1 ff0000
expect_pixel screen-red-typed 2 ff0000
expect_pixel screen-blue 3 0000ff
expect_pixel screen-red-restored 4 ff0000
[ "$(pixel 2 20 20)" = ffffff ] && pass screen-red-key-squares || fail screen-red-key-squares "no square for the first key"
[ "$(pixel 3 $((16 + 3 * 32 + 4)) 20)" = 0000ff ] && pass screen-blue-own-squares ||
	fail screen-blue-own-squares "blue shows a fourth square"
# The console as it was, but for its blinking cursor.
changed=$(cmp -l "$(ls $shots/step-0-*.ppm)" "$(ls $shots/step-5-*.ppm)" | wc -l)
[ "$changed" -lt 2000 ] && pass screen-root-restored ||
	fail screen-root-restored "$changed bytes of the console differ after the round trip"
grep -q '^5 ' $shots/table.txt && pass table-complete || fail table-complete "$(cat $shots/table.txt)"
awk 'NR > 1 && $NF !~ /^[0-9]+\.[0-9]+$/ { bad = 1 } END { exit bad }' $shots/table.txt &&
	pass table-latencies || fail table-latencies "$(cat $shots/table.txt)"
# Each persona gets what was typed while it was active, plus the Left Meta
# press of the hotkey that switched away from it (a press is delivered before
# the combination is complete, as Ctrl+Alt reach applications before
# Ctrl+Alt+F2 switches VTs); never the F-key or a key of another persona.
expect_keys() {
	local got
	got=$(paste -sd' ' "$(keys_file "$1")")
	[ "$got" = "$2" ] && pass "keys-$1" || fail "keys-$1" "received '$got', wanted '$2'"
}
expect_keys red "35 18 38 38 24 125 125"	# h e l l o, Meta, Meta
expect_keys blue "32 18 47 125"			# d e v, Meta
smpte $shots/step-6-pattern.ppm && pass screen-kms-pattern ||
	fail screen-kms-pattern "step 6: no SMPTE bars on the second display"
! smpte $shots/step-7-root-kms.ppm && pass screen-kms-root-restored ||
	fail screen-kms-root-restored "step 7: the SMPTE bars stay on the second display"
[ -s "$(ls $shots/step-3-*.png)" ] && pass png-written || fail png-written "no PNG screenshot"
