# Helpers of the devns_fb suites (fb, fb-bench), sourced after lib.sh.
progs=$DEVNS_TOP/tests/vm/progs
fbtool=$progs/fbtool
graphics=/sys/class/graphics

# physfb NAME: the /dev node of the physical framebuffer called NAME.
physfb() { phys_dev /dev "$1" $graphics/fb*; }

# pfb DEVNS NAME: the /dev node of persona DEVNS's framebuffer called NAME
# (a child of the devns device: a class device sits right under another).
pfb() {
	local d

	for d in /sys/class/devns/$1/fb*; do
		[ -e "$d" ] && [ "$(cat "$d/name")" = "$2" ] || continue
		echo "/dev/${d##*/}"
		return 0
	done
	return 1
}

# var DEV FIELD: one value of fbtool info.
var() { "$fbtool" info "$1" | sed -n "s/^$2=//p"; }

# fixed_info DEV: fbtool info without the pan offsets.
fixed_info() { "$fbtool" info "$1" | grep -v '^[xy]offset='; }

# kill_tree PID: PID and its descendants.
kill_tree() {
	local c

	for c in $(pgrep -P "$1"); do
		kill_tree "$c"
	done
	kill "$1" 2>/dev/null
}

# stop_holder: end the background "fbtool hold" (a subshell running nsenter
# running fbtool).
stop_holder() {
	kill_tree $holder
	wait $holder 2>/dev/null
}

# wait_gone PATH: PATH disappears within 10 s.
wait_gone() { wait_for 10 test ! -e "$1"; }

# other_physfb NAME: the /dev node of a physical framebuffer not called NAME
# (bochs: its name differs between kernels).
other_physfb() { phys_dev /dev "!($1)" $graphics/fb[0-9]*; }

# fbname DEV: the name of framebuffer /dev/fbN.
fbname() { cat "$graphics/${1#/dev/}/name"; }
