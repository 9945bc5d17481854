# devns_input benchmark (not a timed test): events/s and per-event latency
# read from a persona's mirror, against the same read from the physical node
# with devns unloaded.  Figures in the log and in $DEVNS_OUT/input-bench.txt.
# devns-vm: bench
# devns-vm: timeout 400
. "$DEVNS_TOP/tests/vm/lib.sh"
tmp=/tmp/input-bench
out=$DEVNS_OUT/input-bench.txt
rm -rf $tmp && mkdir -p $tmp
. "$DEVNS_TOP/tests/vm/input-lib.sh"
modprobe uinput && modprobe evdev || { fail setup "no uinput/evdev"; exit 0; }

# bench KIND [ID]: run input-bench KIND, reading its physical node, or
# persona ID's mirror of it; prints its result line.
bench() {
	local fd node pid kind=$1
	shift
	rm -f $tmp/fifo && mkfifo $tmp/fifo
	"$progs/input-bench" $kind <$tmp/fifo >$tmp/out 2>&1 &
	pid=$!
	exec {fd}>$tmp/fifo
	wait_for 10 grep -q '^ready' $tmp/out
	node=$(sed -n 's/^ready //p' $tmp/out)
	if [ -n "$1" ]; then
		wait_for 10 mirror_node $1 "devns bench kbd"
		node=$(mirror_node $1 "devns bench kbd")
	fi
	echo "$node" >&$fd
	exec {fd}>&-
	wait $pid
	grep '^events_per_s=' $tmp/out || cat $tmp/out >&2
}

field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$2"; }

: >$out
for round in 1 2 3 4 5; do
	phys_b=$(bench button)
	phys_k=$(bench key)
	load_devns devns_input || { fail load "devns_input does not load"; exit 0; }
	pid=$("$progs/pidns-spawn" sleep 1000000)
	id=$("$nl" create $pid bench | sed -n 's/^id=\([0-9]*\) .*/\1/p')
	"$nl" switch $id >/dev/null
	mirror_b=$(bench button $id)
	mirror_k=$(bench key $id)
	kill -9 $pid
	wait_for 10 test ! -e /sys/class/devns/devns$id
	unload_devns
	{
		echo "round $round button, physical (devns unloaded): $phys_b"
		echo "round $round button, persona mirror:            $mirror_b"
		echo "round $round key,    physical (devns unloaded): $phys_k"
		echo "round $round key,    persona mirror:            $mirror_k"
	} | tee -a $out
	if [ -z "$phys_b" ] || [ -z "$mirror_b" ] || [ -z "$phys_k" ] || [ -z "$mirror_k" ]; then
		fail round$round "some figures missing"
		continue
	fi
	pass round$round
	P_EPS+=" $(field events_per_s "$phys_b")" M_EPS+=" $(field events_per_s "$mirror_b")"
	P_LAT+=" $(field lat_median_us "$phys_b")" M_LAT+=" $(field lat_median_us "$mirror_b")"
	P_KEPS+=" $(field events_per_s "$phys_k")" M_KEPS+=" $(field events_per_s "$mirror_k")"
done

# The table's rows, medians over the rounds: BTN_0, read by evdev alone, is the
# devns cost itself; KEY_A is what a keyboard costs (without devns the
# console also takes every key).
med() { tr ' ' '\n' <<<"$1" | sed '/^$/d' | sort -g | awk '{ v[NR] = $1 } END { if (NR) printf "%.1f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
bench_row "input events/s, persona mirror (BTN_0)" "$(med "$M_EPS")" \
	"physical node, devns unloaded" "$(med "$P_EPS")" "events/s" ">= 0.95"
bench_row "input median latency, mirror (BTN_0)" "$(med "$M_LAT")" \
	"physical node, devns unloaded" "$(med "$P_LAT")" "us" "<= 1.05"
bench_row "input events/s, persona mirror (KEY_A)" "$(med "$M_KEPS")" \
	"physical node, devns unloaded" "$(med "$P_KEPS")" "events/s" ">= 0.95"
