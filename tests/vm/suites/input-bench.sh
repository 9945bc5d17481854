# devns_input benchmark (not a timed test): events/s and per-event latency
# read from a persona's mirror, against the same read from the physical node
# with devns unloaded, in wall-clock time under TCG.  Figures in the log and
# in $DEVNS_OUT/input-bench.txt; input-cost.sh counts instructions instead.
#
# Under TCG the same work runs at speeds up to 1.6 apart, set mostly by
# where a module load puts its code (TCG's caches of translated code), and
# for a second or more at a time by the host.  So input-bench times 50 ms
# slices, each phase counts as the median of its slices, the mirror is
# measured on many loads of devns_input (bench_round, input-lib.sh), and
# each side's figure is the upper quartile of its phases' events/s (the
# lower of their latency): what the work costs where TCG places it well.
# devns-vm: bench
# devns-vm: timeout 600
. "$DEVNS_TOP/tests/vm/lib.sh"
tmp=/tmp/input-bench
out=$DEVNS_OUT/input-bench.txt
rm -rf $tmp && mkdir -p $tmp
. "$DEVNS_TOP/tests/vm/input-lib.sh"
bench_setup || exit 0

# BTN_0, read by evdev alone, is the devns cost itself: 12 loads.  KEY_A is
# what a keyboard costs (without devns the console also takes every key).
bench_rounds button 4 3 $tmp/button
bench_rounds key 2 2 $tmp/key

bench_row "input events/s, persona mirror (BTN_0)" \
	"$(bench_figure mirror events_per_s 75 $tmp/button)" \
	"physical node, devns unloaded" "$(bench_figure phys events_per_s 75 $tmp/button)" \
	"events/s" ">= 0.95"
bench_row "input median latency, mirror (BTN_0)" \
	"$(bench_figure mirror lat_us 25 $tmp/button)" \
	"physical node, devns unloaded" "$(bench_figure phys lat_us 25 $tmp/button)" \
	"us" "<= 1.05"
bench_row "input events/s, persona mirror (KEY_A)" \
	"$(bench_figure mirror events_per_s 75 $tmp/key)" \
	"physical node, devns unloaded" "$(bench_figure phys events_per_s 75 $tmp/key)" \
	"events/s" ">= 0.95"
