# devns_backlight: the personas' virtual backlights, on the "physical"
# backlight devns-test of tests/vm/modules/devns_test_backlight (whose
# parameters say what its driver was last told): background writes, switches,
# the root's values, root writes while a persona is active, unplug and
# replug, and loading and unloading both modules in every order.
# devns-vm: timeout 480
. "$DEVNS_TOP/tests/vm/lib.sh"
bl=/sys/class/backlight
phys=devns-test
testko=$DEVNS_BUILD/test-modules/devns_test_backlight.ko
params=/sys/module/devns_test_backlight/parameters

plug() { insmod "$testko" "$@" && wait_for 10 test -e "$bl/$phys"; }
unplug() { rmmod devns_test_backlight; }
hw() { cat "$params/hw_$1"; }
set_bl() { echo "$2" >"$bl/$1/brightness"; }
set_power() { echo "$2" >"$bl/$1/bl_power"; }
get_bl() { cat "$bl/$1/brightness"; }

# shows B P: the physical backlight is at brightness B, power P, in the
# backlight class and in its driver.
shows() {
	[ "$(get_bl $phys)" = "$1" ] && [ "$(cat $bl/$phys/bl_power)" = "$2" ] &&
		[ "$(hw brightness)" = "$1" ] && [ "$(hw power)" = "$2" ]
}
# shows_now NAME B P: wait until it shows B P.
shows_now() { check "$1" wait_for 10 shows "$2" "$3"; }

check load load_devns devns_backlight || exit 1
check plug plug || exit 1
check probe-gone test ! -e "$bl/devns-probe"
set_bl $phys 150
shows_now root-write 150 0

new_persona p1 one && new_persona p2 two ||
	{ fail personas "cannot register personas"; exit 1; }
v1=$p1_id-$phys v2=$p2_id-$phys
check virtual-per-persona wait_for 10 test -e "$bl/$v1" -a -e "$bl/$v2"
for a in type max_brightness scale; do
	[ -e "$bl/$phys/$a" ] || continue
	expect_eq "virtual-$a" "$(cat $bl/$phys/$a)" "$(cat $bl/$v1/$a)"
done
check virtual-parent test "$(readlink -f "$bl/$v1/device")" = \
	"$(readlink -f "/sys/class/devns/$p1_id")"
expect_eq virtual-starts-at-root-value 150 "$(get_bl $v1)"

# Background writes change only the persona's virtual backlight.
n=$(hw updates)
set_bl "$v1" 30
set_bl "$v2" 60
set_power "$v2" 4
sleep 0.3	# a pause, not ordering: nothing may reach the hardware meanwhile
check background-hidden shows 150 0
expect_eq background-no-hw-update "$n" "$(hw updates)"
expect_eq background-remembered "30 60 4" \
	"$(get_bl $v1) $(get_bl $v2) $(cat $bl/$v2/bl_power)"
check out-of-range-refused sh -c "! echo 256 >'$bl/$v1/brightness'"
expect_eq out-of-range-nothing-changed "30 150" "$(get_bl $v1) $(hw brightness)"

# Switches show each persona's values, and the root's come back.
activate "$p1"
shows_now switch-in-p1 30 0
set_bl "$v1" 40
shows_now active-write 40 0
set_bl "$v2" 70
sleep 0.3	# a pause, not ordering: nothing may reach the hardware meanwhile
check active-other-hidden shows 40 0
activate "$p2"
shows_now switch-in-p2 70 4
activate "$p1"
shows_now switch-back-p1 40 0
root
shows_now root-value-survives 150 0
expect_eq virtuals-unchanged "40 70 4" \
	"$(get_bl $v1) $(get_bl $v2) $(cat $bl/$v2/bl_power)"

# The root's writes while a persona is active show and are the root's.
activate "$p1"
shows_now root-write-p1 40 0
set_bl $phys 90
shows_now root-write-shows 90 0
expect_eq root-write-not-persona 40 "$(get_bl $v1)"
activate "$p2"
shows_now root-write-p2 70 4
root
shows_now root-write-is-roots 90 0
activate "$p1"
set_bl $phys 95
set_bl "$v1" 45
shows_now persona-write-over-root 45 0
root
shows_now root-write-kept 95 0

# A persona made while another is active starts at the root's values.
activate "$p2"
new_persona p3 three || { fail personas "cannot register p3"; exit 1; }
v3=$p3_id-$phys
check new-persona-virtual wait_for 10 test -e "$bl/$v3"
expect_eq new-persona-root-value 95 "$(get_bl $v3)"
check new-persona-hidden shows 70 4

# An active persona's death gives the root its values back.
activate "$p1"
shows_now dying-persona-shown 45 0
kill -9 "$p1"
check death-to-root wait_for 10 test ! -e "/sys/class/devns/$p1_id"
check death-virtual-gone test ! -e "$bl/$v1"
shows_now death-root-value 95 0

# Unplug while a persona is active, replug with another range.
activate "$p2"
shows_now unplug-p2 70 4
check unplug unplug
check unplug-virtuals-gone wait_for 10 test ! -e "$bl/$v2" -a ! -e "$bl/$v3"
check replug plug max_brightness=100
check replug-virtuals wait_for 10 test -e "$bl/$v2" -a -e "$bl/$v3"
expect_eq replug-max 100 "$(cat $bl/$v2/max_brightness)"
expect_eq replug-root-value "50 0" "$(get_bl $v2) $(cat $bl/$v2/bl_power)"
set_bl "$v2" 20
shows_now replug-active-write 20 0
root
shows_now replug-root 50 0

# Unloading hands the root its values back and removes the virtual ones;
# loading with a persona active shows it.  Every load and unload order.
set_bl $phys 80
activate "$p2"
set_bl "$v2" 10
shows_now before-unload 10 0
check unload-active rmmod devns_backlight
shows_now unload-root-value 80 0
check unload-virtuals-gone test ! -e "$bl/$v2" -a ! -e "$bl/$v3"
check reload-active load_devns devns_backlight
check reload-virtuals test -e "$bl/$v2" -a -e "$bl/$v3"
expect_eq reload-root-value 80 "$(get_bl $v2)"
set_bl "$v2" 15
shows_now reload-active-write 15 0
# Unplugged before devns_backlight goes, plugged after it came.
check unplug-first unplug
check unplug-first-gone wait_for 10 test ! -e "$bl/$v2"
check unload-without-device rmmod devns_backlight
check load-without-device load_devns devns_backlight
check plug-after plug
check plug-after-virtuals wait_for 10 test -e "$bl/$v2" -a -e "$bl/$v3"
set_bl "$v2" 25
shows_now plug-after-write 25 0
# devns_backlight goes first, the device after it.
check unload-then-unplug rmmod devns_backlight
shows_now unload-then-unplug-root 127 0
check unplug-after unplug
root

# Nothing left behind.
check unload unload_devns
check no-virtuals-left sh -c "! ls $bl | grep -q '^devns[0-9]'"
