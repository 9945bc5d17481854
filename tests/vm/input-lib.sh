# Helpers shared by the devns_input suites (input.sh, input-ff.sh and the
# benchmarks input-bench.sh, input-cost.sh), sourced after lib.sh by a suite
# that has set $tmp, its scratch directory.
#
# input_setup: uinput, evdev and devns_input loaded, or a failed test said so
# phys_node NAME, mirror_node ID NAME: event nodes
# new_dev KIND NAME [PREFIX...]: a uinput device driven by tests/vm/progs/input-dev
# devs_sync: every command sent to those devices so far has been carried out
# persona TAG: a new persona; switch ID: make it active (0: the root)
# reader, readers_done, got, none, lacks: what readers of a node saw
# hotkey NAME CMD...: the multicast events while CMD runs
# bench_setup, bench_rounds, bench_figure: the input benchmarks' rounds

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
		[ -e "$d/name" ] && [ "$(cat $d/name)" = "$2" ] || continue
		echo /dev/input/$(basename $d/event*)
		return 0
	done
	return 1
}
no_mirror() { ! mirror_node "$@"; }

# new_dev KIND NAME [PREFIX...]: a uinput device, made by input-dev run
# under PREFIX (e.g. nsenter into a persona); commands go to fd $DEV_FD.
# Sets DEV_NODE and DEV_PID; its output lines land in $tmp/dev.NAME (spaces
# in NAME as underscores).
new_dev() {
	local f=$tmp/fifo.${2// /_}
	mkfifo $f
	"${@:3}" "$progs/input-dev" "$1" "$2" <$f >"$tmp/dev.${2// /_}" &
	DEV_PID=$!
	exec {DEV_FD}>$f
	wait_for 10 grep -q '^ready' "$tmp/dev.${2// /_}" || return 1
	DEV_NODE=$(sed -n 's/^ready //p' "$tmp/dev.${2// /_}")
}

# devs_sync: each new_dev device still there has carried out every command
# sent to it so far, so the events it sent have reached every reader's
# buffer (the input core hands them over within the write). A line
# "sync N" through its command pipe comes back on its output once done.
devs_sync() {
	local f out

	for f in $tmp/fifo.*; do
		out=$tmp/dev.${f#$tmp/fifo.}
		DEVS_SYNC=$((${DEVS_SYNC:-0} + 1))
		# Nobody reads the pipe: the device is gone (ENXIO).
		echo "echo sync $DEVS_SYNC" | dd of=$f oflag=nonblock status=none 2>/dev/null ||
			continue
		wait_for 30 sh -c "grep -qx 'sync $DEVS_SYNC' $out ||
			! dd of=$f oflag=nonblock status=none </dev/null 2>/dev/null" ||
			{ echo "devs_sync: no 'sync $DEVS_SYNC' from $out: $(tail -n 3 $out)"; return 1; }
	done
}

# persona TAG: a new pid namespace registered as a devns; sets P_PID, P_ID.
persona() {
	P_PID=$("$progs/pidns-spawn" sleep 1000000)
	P_ID=$("$nl" create "$P_PID" "$1" | sed -n 's/^id=\([0-9]*\) .*/\1/p')
	[ -n "$P_ID" ]
}

switch() { "$nl" switch "$1" >/dev/null; }

# reader NAME NODE [PID]: read NODE in the background (inside PID's pid
# namespace if given) until readers_done; output in $tmp/r.NAME.
reader() {
	rm -f $tmp/stop $tmp/r.$1
	if [ -n "$3" ]; then
		nsenter -t "$3" -p -- "$evt" read "$2" $tmp/stop >$tmp/r.$1 2>&1 &
	else
		"$evt" read "$2" $tmp/stop >$tmp/r.$1 2>&1 &
	fi
	READERS+=" $!"
	wait_for 10 grep -q '^ready' $tmp/r.$1
}
readers_done() {
	devs_sync
	touch $tmp/stop
	wait $READERS
	READERS=
}

# got NAME "TYPE CODE VALUE"... / none NAME: what a reader saw.
got() {
	local r=$1 ev
	shift
	for ev in "$@"; do
		grep -qx "$ev" $tmp/r.$r || { echo "$r: no '$ev' in: $(tr '\n' ',' <$tmp/r.$r)"; return 1; }
	done
}
none() {
	[ "$(grep -vc '^ready' $tmp/r.$1)" = 0 ] || { echo "$1 saw: $(tr '\n' ',' <$tmp/r.$1)"; return 1; }
}
lacks() {
	! grep -qx "$2" $tmp/r.$1 || { echo "$1 saw '$2'"; return 1; }
}

# hotkey NAME CMD...: run CMD under devns-nl monitor, keep its events: it
# ends at the first one, or after $hk_timeout seconds (30; a test that wants
# none sets it shorter: that wait is the test).
hotkey() {
	local name=$1
	shift
	"$nl" monitor --count 1 --timeout ${hk_timeout:-30} -- "$@" >$tmp/hk.$name 2>/dev/null
}

# bench_setup: uinput and evdev loaded, $out (the suite's figures file)
# emptied; a failed test if not.
bench_setup() {
	modprobe uinput && modprobe evdev ||
		{ fail setup "no uinput/evdev"; return 1; }
	: >$out
}

# bench_round KIND LOADS: one tests/vm/progs/input-bench KIND process that
# measures the physical node with devns unloaded, then LOADS times a
# persona's mirror of it (devns_input loaded afresh each time: under TCG a
# load's speed depends on where its code lands) followed by the physical
# node again.  Prints its result lines, each prefixed "phys " or "mirror ".
bench_round() {
	local node bench pid id mirror i
	rm -f $tmp/in $tmp/out && mkfifo $tmp/in $tmp/out
	"$progs/input-bench" $1 <$tmp/in >$tmp/out 2>$tmp/err &
	bench=$!
	exec {BENCH_IN}>$tmp/in {BENCH_OUT}<$tmp/out
	read -r -t 10 node <&$BENCH_OUT || { cat $tmp/err >&2; return 1; }
	node=${node#ready }
	echo "phys $(bench_measure $node)"
	for i in $(seq $2); do
		load_devns devns_input || return 1
		pid=$("$progs/pidns-spawn" sleep 1000000)
		id=$("$nl" create $pid bench | sed -n 's/^id=\([0-9]*\) .*/\1/p')
		switch $id
		wait_for 10 mirror_node $id "devns bench"
		mirror=$(mirror_node $id "devns bench")
		echo "mirror $(bench_measure $mirror)"
		kill -9 $pid
		wait_for 10 test ! -e /sys/class/devns/devns$id
		unload_devns || return 1
		echo "phys $(bench_measure $node)"
	done
	exec {BENCH_IN}>&- {BENCH_OUT}<&-
	wait $bench
	cat $tmp/err >&2
}

# bench_measure NODE: the running input-bench's next result line, reading
# NODE; read from its pipe, no polling while it measures.
bench_measure() {
	local line
	echo "$1" >&$BENCH_IN
	read -r -t 60 line <&$BENCH_OUT && echo "$line"
}

# bench_rounds KIND ROUNDS LOADS FILE: ROUNDS bench_rounds, their lines
# appended to FILE and to $out (prefixed with round and kind), a test each.
bench_rounds() {
	local r
	for r in $(seq $2); do
		bench_round $1 $3 >$tmp/round
		sed "s/^/round $r $1 /" $tmp/round >>$out
		if [ "$(grep -cE '^(phys|mirror) lat_us=[0-9.,]+ events_per_s=[0-9,]+$' $tmp/round)" != $((2 * $3 + 1)) ]; then
			fail $1-round$r "some figures missing"
			continue
		fi
		pass $1-round$r
		cat $tmp/round >>$4
	done
}

# bench_figure SIDE FIELD P FILE: each of SIDE's phases in FILE reduced to
# the median of its slices of FIELD, then the P-th percentile of those.
bench_figure() {
	awk -v side=$1 -v f=$2 '$1 == side {
		for (i = 2; i <= NF; i++) if (split($i, kv, "=") == 2 && kv[1] == f) print kv[2]
	}' $4 | while read -r slices; do
		tr , '\n' <<<"$slices" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
	done | sort -g | awk -v p=$3 '{ v[NR] = $1 } END { if (NR) print v[int((NR - 1) * p / 100 + 1.5)] }'
}
