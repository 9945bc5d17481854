# devns_input benchmark (not a timed test): instructions per event read from
# a persona's mirror, against the same read from the physical node with
# devns unloaded.  Figures in the log and in $DEVNS_OUT/input-cost.txt.
#
# QEMU counts instructions here (-icount shift=0: the guest clock advances
# 1 ns per instruction, one CPU), so input-bench's events/s are 10^9 over
# the instructions an event costs, whatever TCG makes of them: the same
# figure to 0.1 % from one run to the next, where wall-clock figures
# (input-bench.sh) move by a third with the placement of a module's code.
# The instructions of the writer's and the reader's system calls are in
# both sides' figures, as in an application's.
# devns-vm: bench
# devns-vm: timeout 900
# devns-vm: qemu-args -smp 1 -icount shift=0,sleep=off
. "$DEVNS_TOP/tests/vm/lib.sh"
tmp=/tmp/input-cost
out=$DEVNS_OUT/input-cost.txt
rm -rf $tmp && mkdir -p $tmp
. "$DEVNS_TOP/tests/vm/input-lib.sh"
bench_setup || exit 0

bench_rounds button 1 2 $tmp/button
bench_rounds motion 1 2 $tmp/motion
bench_rounds key 1 2 $tmp/key

# per_event SIDE FILE: instructions per event (10^9 / events per guest second).
per_event() { awk -v e="$(bench_figure $1 events_per_s 50 $2)" 'BEGIN { if (e) printf "%.0f", 1e9 / e }'; }
# per_trip SIDE FILE: instructions per latency round trip (one packet).
per_trip() { awk -v l="$(bench_figure $1 lat_us 50 $2)" 'BEGIN { if (l) printf "%.0f", l * 1000 }'; }

bench_row "input instructions/event, mirror (BTN_0)" "$(per_event mirror $tmp/button)" \
	"physical node, devns unloaded" "$(per_event phys $tmp/button)" \
	"instr." "<= 1.05"
bench_row "input instructions/packet trip, mirror (BTN_0)" "$(per_trip mirror $tmp/button)" \
	"physical node, devns unloaded" "$(per_trip phys $tmp/button)" \
	"instr." "<= 1.05"
# A packet of four events (three axes and SYN_REPORT), for how devns's cost,
# mostly a packet's, spreads over its events: no target, BTN_0's is the one.
bench_row "input instructions/event, mirror (3 axes)" "$(per_event mirror $tmp/motion)" \
	"physical node, devns unloaded" "$(per_event phys $tmp/motion)" \
	"instr." "-"
bench_row "input instructions/event, mirror (KEY_A)" "$(per_event mirror $tmp/key)" \
	"physical node, devns unloaded" "$(per_event phys $tmp/key)" \
	"instr." "<= 1.05"
