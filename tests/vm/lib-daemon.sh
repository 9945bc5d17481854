# Helpers of the devnsd suites, sourced after lib.sh: devnsd, devnsctl and
# devns-nl from daemon/build ($bin), on a system bus of the suite's own.
progs=$DEVNS_TOP/tests/vm/progs
bin=$DEVNS_TOP/daemon/build

# need_built FILE...: every FILE is built, or the suite ends (fail build).
need_built() {
	local f

	for f; do
		[ -x "$f" ] || { fail build "$f is not built"; exit 0; }
	done
}

# load_input: devns_input (and evdev) where it is built; have_input=yes
# once it is loaded.
load_input() {
	have_input=
	[ -f "$DEVNS_BUILD/modules/devns_input/devns_input.ko" ] || return 0
	modprobe evdev
	load_devns devns_input && have_input=yes
}

ctl() { "$bin/devnsctl" "$@"; }

# system_up PID: the systemd whose PID (as the host sees it) is given has
# booted: is-system-running says running or degraded.
system_up() {
	local s

	s=$(nsenter -t "$1" -a systemctl is-system-running 2>/dev/null)
	[ "$s" = running ] || [ "$s" = degraded ]
}

# prop NAME PROPERTY: one property of a persona, from devnsctl status --json.
prop() {
	ctl status --json "$1" | sed -n "s/.*\"$2\":\(\"[^\"]*\"\|[^,}]*\).*/\1/p" | tr -d '"'
}

# daemon_dir DIR: DIR afresh, with an empty DIR/personas.d, and a system bus
# there (start_system_bus); without one the suite ends (fail bus).
daemon_dir() {
	rm -rf "$1" && mkdir -p "$1/personas.d"
	start_system_bus "$1" || { fail bus "$(cat "$1/bus.log")"; exit 0; }
}

# start_devnsd DIR: devnsd with DIR/personas.d and DIR/state in the
# background (devnsd_pid), its log appended to DIR/devnsd.log; succeeds once
# it answers, within 30 s.
start_devnsd() {
	"$bin/devnsd" --config-dir "$1/personas.d" --state-file "$1/state" \
		>>"$1/devnsd.log" 2>&1 &
	devnsd_pid=$!
	wait_for 30 ctl list
}
