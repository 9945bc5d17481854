# Helpers shared by the devns_input suites (input.sh, input-ff.sh,
# input-bench.sh), sourced after lib.sh by a suite that has set $tmp, its
# scratch directory.
#
# input_setup: uinput, evdev and devns_input loaded, or a failed test said so
# phys_node NAME, mirror_node ID NAME: event nodes
# new_dev KIND NAME: a uinput device driven by tests/vm/progs/input-dev
# persona TAG: a new persona; switch ID: make it active (0: the root)

progs=$DEVNS_TOP/tests/vm/progs
nl=$DEVNS_TOP/daemon/build/devns-nl
evt=$progs/input-evt

# input_setup: load uinput, evdev and devns_input; a failed test if not.
input_setup() {
	modprobe uinput && modprobe evdev ||
		{ fail setup "no uinput/evdev"; return 1; }
	load_devns devns_input ||
		{ fail load "devns_input does not load"; return 1; }
}

# phys_node NAME: the event node of the physical device NAME.
phys_node() {
	local d
	for d in /sys/class/input/input*; do
		[ "$(cat $d/name)" = "$1" ] || continue
		case $(readlink -f $d) in */devns*) continue ;; esac
		echo /dev/input/$(basename $d/event*)
		return 0
	done
	return 1
}

# mirror_node ID NAME: the event node of persona ID's mirror of NAME, found
# among the children of its devns device.
mirror_node() {
	local d
	for d in /sys/class/devns/devns$1/input*; do
		[ -e "$d/name" ] && [ "$(cat $d/name)" = "devns$1 $2" ] || continue
		echo /dev/input/$(basename $d/event*)
		return 0
	done
	return 1
}
no_mirror() { ! mirror_node "$@"; }

# new_dev KIND NAME: a uinput device; commands go to fd $DEV_FD.
# Sets DEV_NODE and DEV_PID; its output lines land in $tmp/dev.NAME (spaces
# in NAME as underscores).
new_dev() {
	local f=$tmp/fifo.${2// /_}
	mkfifo $f
	"$progs/input-dev" "$1" "$2" <$f >"$tmp/dev.${2// /_}" &
	DEV_PID=$!
	exec {DEV_FD}>$f
	wait_for 10 grep -q '^ready' "$tmp/dev.${2// /_}" || return 1
	DEV_NODE=$(sed -n 's/^ready //p' "$tmp/dev.${2// /_}")
}

# persona TAG: a new pid namespace registered as a devns; sets P_PID, P_ID.
persona() {
	P_PID=$("$progs/pidns-spawn" sleep 1000000)
	P_ID=$("$nl" create "$P_PID" "$1" | sed -n 's/^id=\([0-9]*\) .*/\1/p')
	[ -n "$P_ID" ]
}

switch() { "$nl" switch "$1" >/dev/null; }
