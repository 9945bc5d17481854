# Helpers for the VM suites (tests/vm/suites/*.sh), sourced in the guest.
#
# Results: pass NAME, fail NAME WHY, skip NAME WHY, check NAME CMD...,
#          expect_eq NAME WANT GOT
# Waiting: wait_for SECONDS CMD..., bounded SECONDS CMD..., reading PID FD
# Modules: load_devns MOD..., unload_devns
# QEMU:    qemu_monitor CMD (a human-monitor command; prints the reply)
# Personas: new_persona VAR TAG, activate PID, root, inp PID CMD...
# Devices: phys_dev DEVDIR NAMEPATTERN SYSDIR...
# D-Bus:   start_system_bus DIR (for devnsd), bus_subscribed PID N
# Figures: bench_row ... (make bench's table)
# Set by tests/vm/guest-main: DEVNS_TOP (the repository), DEVNS_KVER,
# DEVNS_BUILD (build/<kver>), DEVNS_OUT (writable, shared with the host and
# at the same path there), DEVNS_SUITE (this suite's name).
# DEVNS_DEBUG_KERNEL is "yes" on the debug kernel (scripts/build-debug-kernel),
# where KASAN and lockdep under TCG make everything several times slower:
# skip timing assertions there (e.g. "within a frame"), not behaviour; and
# where DEVNS_STRESS is 1, beside CPU hogs (tests/vm/run).

: "${DEVNS_TOP:?} ${DEVNS_KVER:?} ${DEVNS_BUILD:?} ${DEVNS_OUT:?}"
DEVNS_SUITE=${DEVNS_SUITE:-$(basename "$0" .sh)}
case $DEVNS_KVER in
*-devns-debug) DEVNS_DEBUG_KERNEL=yes ;;
*) DEVNS_DEBUG_KERNEL= ;;
esac

# One result line, "STATUS [KVER] SUITE/NAME[: WHY]", on stdout (the suite's
# log) and in $DEVNS_OUT/results, which the host reports. WHY is flattened
# to one line and shortened; the suite's log keeps the whole story.
_devns_result() {
	local line="$1 [$DEVNS_KVER] $DEVNS_SUITE/$2" why

	if [ $# -gt 2 ]; then
		why=$(printf '%s' "$3" | tr -s '\n\t' '  ')
		[ ${#why} -le 300 ] || why="${why:0:297}..."
		line+=": $why"
	fi
	echo "$line"
	echo "$line" >>"$DEVNS_OUT/results"
}

pass() { _devns_result PASS "$1"; }
fail() { _devns_result FAIL "$1" "${2:-failed}"; }
skip() { _devns_result SKIP "$1" "${2:-skipped}"; }

# check NAME CMD...: pass if CMD succeeds, else fail with its output.
# Returns CMD's status.
check() {
	local name=$1 out rc
	shift
	out=$("$@" 2>&1)
	rc=$?
	[ -z "$out" ] || printf '%s\n' "$out"
	if [ $rc -eq 0 ]; then
		pass "$name"
	else
		fail "$name" "'$*' exited $rc${out:+: $out}"
	fi
	return $rc
}

# load_devns MOD [PARAM=VALUE]...: insmod $DEVNS_BUILD/modules/MOD/MOD.ko
# for each MOD, with the parameters that follow it, devns_core first;
# modules already loaded are left alone.
load_devns() {
	local mod ko params

	set -- devns_core "$@"
	while [ $# -gt 0 ]; do
		mod=$1 params=()
		shift
		while [ $# -gt 0 ] && [[ $1 == *=* ]]; do
			params+=("$1")
			shift
		done
		grep -q "^$mod " /proc/modules && continue
		ko=$DEVNS_BUILD/modules/$mod/$mod.ko
		if [ ! -f "$ko" ]; then
			echo "load_devns: $ko is not built" >&2
			return 1
		fi
		# What else it needs (devns_fb: DRM's helpers), as modprobe would.
		modinfo -F depends "$ko" | tr , '\n' | { grep -v '^devns_' || :; } |
			xargs -r modprobe -a ||
			{ echo "load_devns: the modules $ko depends on failed" >&2; return 1; }
		insmod "$ko" "${params[@]}" || { echo "load_devns: insmod $ko failed" >&2; return 1; }
		# Where its code lies, to read kmemleak's backtraces once it
		# is unloaded (tests/vm/kmemleak-check).
		grep -H . /sys/module/"$mod"/sections/.*text* \
			>>"$DEVNS_OUT/module-sections" 2>/dev/null || :
	done
}

# unload_devns: rmmod every loaded devns_* module, users before what they
# use. Fails if one stays loaded.
unload_devns() {
	local mods mod progress=1

	while [ $progress = 1 ]; do
		progress=0
		# /proc/modules: name size refcount users...
		mods=$(awk '$1 ~ /^devns_/ && $3 == 0 { print $1 }' /proc/modules)
		for mod in $mods; do
			rmmod "$mod" && progress=1
		done
	done
	! grep -q '^devns_' /proc/modules
}

# expect_eq NAME WANT GOT: pass if GOT is WANT, else fail saying both.
expect_eq() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "wanted '$2', got '$3'"; fi
}

# wait_for SECONDS CMD...: until CMD succeeds (quietly), SECONDS at most
# (6 times more on the debug kernel); then one last try, whose output stays
# in the log. Returns CMD's status. Tests wait for a condition this way,
# never for a time: SECONDS only bounds a failure.
wait_for() {
	local end=$((SECONDS + $1))

	[ -z "$DEVNS_DEBUG_KERNEL" ] || end=$((SECONDS + $1 * 6))
	shift
	while [ $SECONDS -lt $end ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	"$@"
}

# bounded SECONDS CMD...: CMD (in the background), which must end within
# SECONDS (6 times more on the debug kernel): for a step that could hang in
# the kernel. Returns CMD's status; if it is still running, prints the
# kernel stack of every blocked task, keeps the kernel log (sysrq-w's
# report too) in $DEVNS_OUT/SUITE-hang-dmesg and returns 124, CMD left where
# it is.
bounded() {
	local limit=$1 pid p out rc
	shift

	# not on our stdout: a caller's $(...) would wait for a hung CMD too
	out=$(mktemp)
	"$@" >"$out" 2>&1 &
	pid=$!
	if wait_for "$limit" eval "! kill -0 $pid 2>/dev/null"; then
		wait $pid
		rc=$?
		cat "$out"
		rm -f "$out"
		return $rc
	fi
	cat "$out"
	for p in /proc/[0-9]*; do
		grep -q '^State:.*D' "$p/status" 2>/dev/null || continue
		echo "blocked: ${p#/proc/} $(cat "$p/comm")"
		cat "$p/stack"
	done
	echo w >/proc/sysrq-trigger
	# what the console cannot print while a task holds console_lock
	dmesg >"$DEVNS_OUT/$DEVNS_SUITE-hang-dmesg"
	return 124
}

# descendants PID: PID and every process below it.
descendants() {
	local c

	echo "$1"
	for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do
		descendants "$c"
	done
}

# reading PID FD: PID (or a process below it) sleeps in read(2) on FD: it
# has opened what it reads, read all there was, and waits for more; for a
# reader that says nothing when it is ready. /proc/PID/syscall: the x86-64
# system call a process sleeps in and its arguments, or "running". Prints
# what each is doing otherwise.
reading() {
	local p call

	for p in $(descendants "$1"); do
		read -r -a call <"/proc/$p/syscall" 2>/dev/null || continue
		[ "${call[0]}" = 0 ] && [ $((call[1])) = "$2" ] && return 0
		echo "$p ($(cat "/proc/$p/comm" 2>/dev/null)): ${call[*]:0:3}"
	done
	return 1
}

# new_persona VAR TAG: a process in a new pid namespace, registered as a
# persona (without switching to it); VAR gets its pid, VAR_id its devns name.
new_persona() {
	local u pid d

	unshare --pid --fork sleep 1000 </dev/null >/dev/null 2>&1 &
	u=$!
	wait_for 10 pgrep -P $u >/dev/null || return 1
	pid=$(pgrep -P $u)
	echo "$pid:$2" >/proc/dev_ns/ns_tag || return 1
	printf -v "$1" %s "$pid"
	for d in /sys/class/devns/devns*; do
		[ "$(cat "$d/init_pid")" = "$pid" ] &&
			printf -v "$1_id" %s "$(basename "$d")"
	done
	[ -n "${!1}" ]
}

# activate PID: switch to PID's persona; root: back to the root devns.
activate() { echo "$1" >/proc/dev_ns/active_ns_pid; }
root() { echo 1 >/proc/dev_ns/active_ns_pid; }

# inp PID CMD...: run CMD in persona PID's pid namespace.
inp() {
	local pid=$1
	shift
	nsenter -t "$pid" -p -- "$@"
}

# phys_dev DEVDIR NAMEPATTERN SYSDIR...: DEVDIR/N for the first class
# device SYSDIR/N given that is no persona's (not below a devns device) and
# whose name attribute ("" without one) matches NAMEPATTERN (a pattern of
# bash's [[ == ]], extended ones included: "!(NAME)").
phys_dev() {
	local dev=$1 pattern=$2 d
	shift 2

	for d; do
		[ -e "$d" ] || continue
		[[ $(cat "$d/name" 2>/dev/null) == $pattern ]] || continue
		readlink -f "$d" | grep -q /devns/ && continue
		echo "$dev/${d##*/}"
		return 0
	done
	return 1
}

# qemu_monitor CMD...: send one human-monitor command to QEMU, print the
# reply. Screendump paths under $DEVNS_OUT are valid on the host as is.
qemu_monitor() {
	"$DEVNS_TOP/tests/vm/progs/qemu-monitor" "$*"
}

# start_system_bus DIR: a dbus-daemon standing in for the system bus, with
# devnsd's D-Bus policy, listening on DIR/bus; exports
# DBUS_SYSTEM_BUS_ADDRESS, sets DEVNS_BUS_PID. Its log is DIR/bus.log.
start_system_bus() {
	local dir=$1 n=300

	mkdir -p "$dir"
	cat >"$dir/bus.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <auth>EXTERNAL</auth>
  <listen>unix:path=$dir/bus</listen>
  <policy context="default">
    <allow user="*"/>
    <deny own="*"/>
    <deny send_type="method_call"/>
    <allow send_type="signal"/>
    <allow send_requested_reply="true" send_type="method_return"/>
    <allow send_requested_reply="true" send_type="error"/>
    <allow receive_type="method_call"/>
    <allow receive_type="method_return"/>
    <allow receive_type="error"/>
    <allow receive_type="signal"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Introspectable"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Debug.Stats"/>
  </policy>
  <include>$DEVNS_TOP/daemon/dbus/org.devns.Manager1.conf</include>
</busconfig>
CONF
	dbus-daemon --config-file="$dir/bus.conf" --nofork --nopidfile \
		>"$dir/bus.log" 2>&1 &
	DEVNS_BUS_PID=$!
	export DBUS_SYSTEM_BUS_ADDRESS=unix:path=$dir/bus
	while [ ! -S "$dir/bus" ] && [ $n -gt 0 ]; do
		sleep 0.1
		n=$((n - 1))
	done
	[ -S "$dir/bus" ]
}

# bus_subscribed PID N: PID's connection to that bus (or that of a process
# below it) has N match rules or more: a client that says nothing is
# subscribed to the signals it waits for (the bus's own count, which
# knows each rule once the bus has processed its AddMatch).
bus_subscribed() {
	local pids name pid rules bus="busctl --system call org.freedesktop.DBus /org/freedesktop/DBus"

	pids=" $(descendants "$1" | tr '\n' ' ')"
	for name in $($bus org.freedesktop.DBus ListNames | grep -o '":[0-9.]*"' | tr -d '"'); do
		pid=$($bus org.freedesktop.DBus GetConnectionUnixProcessID s "$name" 2>/dev/null | cut -d' ' -f2)
		case $pids in *" $pid "*) ;; *) continue ;; esac
		rules=$($bus org.freedesktop.DBus.Debug.Stats GetConnectionStats s "$name" |
			grep -o '"MatchRules" u [0-9]*' | cut -d' ' -f3)
		echo "$name (pid $pid): ${rules:-?} match rules"
		[ "${rules:-0}" -ge "$2" ] && return 0
	done
	return 1
}

# bench_row WHAT VALUE BASELINE BASE_VALUE UNIT TARGET: one row of make
# bench's table, in $DEVNS_OUT/bench.tsv: WHAT measured with devns against
# BASELINE measured in the same boot; TARGET is the wanted ratio
# VALUE/BASE_VALUE, e.g. ">= 0.95", or "-".
bench_row() {
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$DEVNS_OUT/bench.tsv"
}

# median_of: the median of the numbers on stdin.
median_of() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# alternate_rounds ROUNDS: the suite's draw_round SIDE ROUND for both sides,
# physical and persona, each round, the first one alternating, so that
# neither side always runs warm.
alternate_rounds() {
	local round

	for round in $(seq "$1"); do
		if [ $((round % 2)) = 1 ]; then
			draw_round physical "$round"
			draw_round persona "$round"
		else
			draw_round persona "$round"
			draw_round physical "$round"
		fi
	done
}
