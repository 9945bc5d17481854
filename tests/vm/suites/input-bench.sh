# devns_input benchmark (not a timed test): events/s and per-event latency
# read from a persona's mirror, against the same read from the physical node
# with devns unloaded.  Figures in the log and in $DEVNS_OUT/input-bench.txt.
#
# Under TCG the same work runs at one of a few speeds, up to 1.5 apart, for
# a second or more at a time, so input-bench times 50 ms slices
# (tests/vm/progs/input-bench.c), and each side's figure is the speed of its
# fastest slices: the 90th percentile of events/s, the 10th of latency,
# pooled over every round.  A round is one input-bench process measuring
# both sides in turn against one device: physical, mirror, mirror, physical.
# devns-vm: bench
# devns-vm: timeout 500
. "$DEVNS_TOP/tests/vm/lib.sh"
tmp=/tmp/input-bench
out=$DEVNS_OUT/input-bench.txt
rm -rf $tmp && mkdir -p $tmp
. "$DEVNS_TOP/tests/vm/input-lib.sh"
modprobe uinput && modprobe evdev || { fail setup "no uinput/evdev"; exit 0; }

ROUNDS=5

# measure NODE: the running input-bench's next result line, reading NODE.
# Read from its pipe: no polling while it measures.
measure() {
	local line
	echo "$1" >&$BENCH_IN
	read -r -t 30 line <&$BENCH_OUT && echo "$line"
}

# round KIND: one input-bench KIND process, both sides; its four result
# lines, each prefixed "phys " or "mirror ".
round() {
	local node bench pid id mirror
	rm -f $tmp/in $tmp/out && mkfifo $tmp/in $tmp/out
	"$progs/input-bench" $1 <$tmp/in >$tmp/out 2>$tmp/err &
	bench=$!
	exec {BENCH_IN}>$tmp/in {BENCH_OUT}<$tmp/out
	read -r -t 10 node <&$BENCH_OUT || { cat $tmp/err >&2; return 1; }
	node=${node#ready }
	echo "phys $(measure $node)"
	load_devns devns_input || return 1
	pid=$("$progs/pidns-spawn" sleep 1000000)
	id=$("$nl" create $pid bench | sed -n 's/^id=\([0-9]*\) .*/\1/p')
	"$nl" switch $id >/dev/null
	wait_for 10 mirror_node $id "devns bench kbd"
	mirror=$(mirror_node $id "devns bench kbd")
	echo "mirror $(measure $mirror)"
	echo "mirror $(measure $mirror)"
	kill -9 $pid
	wait_for 10 test ! -e /sys/class/devns/devns$id
	unload_devns || return 1
	echo "phys $(measure $node)"
	exec {BENCH_IN}>&- {BENCH_OUT}<&-
	wait $bench
	cat $tmp/err >&2
}

# pct SIDE FIELD P FILE: the P-th percentile of the slices of FIELD in
# FILE's lines of SIDE.
pct() {
	awk -v side=$1 -v f=$2 '$1 == side {
		for (i = 2; i <= NF; i++) if (split($i, kv, "=") == 2 && kv[1] == f) print kv[2]
	}' $4 | tr , '\n' | sort -g | awk -v p=$3 '{ v[NR] = $1 }
		END { if (NR) print v[int((NR - 1) * p / 100 + 1.5)] }'
}

: >$out
for kind in button key; do
	: >$tmp/$kind
	for r in $(seq $ROUNDS); do
		round $kind >$tmp/round
		sed "s/^/round $r $kind /" $tmp/round >>$out
		for side in phys mirror; do
			echo "round $r $kind $side: events/s $(pct $side events_per_s 90 $tmp/round)," \
				"median latency $(pct $side lat_us 10 $tmp/round) us"
		done
		if [ "$(grep -c '^[a-z]* lat_us=[0-9.,]* events_per_s=[0-9,]*$' $tmp/round)" != 4 ]; then
			fail $kind-round$r "some figures missing"
			continue
		fi
		pass $kind-round$r
		cat $tmp/round >>$tmp/$kind
	done
done

# BTN_0, read by evdev alone, is the devns cost itself; KEY_A is what a
# keyboard costs (without devns the console also takes every key).
bench_row "input events/s, persona mirror (BTN_0)" \
	"$(pct mirror events_per_s 90 $tmp/button)" \
	"physical node, devns unloaded" "$(pct phys events_per_s 90 $tmp/button)" \
	"events/s" ">= 0.95"
bench_row "input median latency, mirror (BTN_0)" \
	"$(pct mirror lat_us 10 $tmp/button)" \
	"physical node, devns unloaded" "$(pct phys lat_us 10 $tmp/button)" \
	"us" "<= 1.05"
bench_row "input events/s, persona mirror (KEY_A)" \
	"$(pct mirror events_per_s 90 $tmp/key)" \
	"physical node, devns unloaded" "$(pct phys events_per_s 90 $tmp/key)" \
	"events/s" ">= 0.95"
