# devns-vm: bench
# devns-vm: timeout 900
# Switch latency figures, written to the log and $DEVNS_OUT/switch-bench.txt
# as NAME=VALUE lines (milliseconds, medians of 200 switches measured from
# userspace, p99 alongside), on QEMU's display with every devns module:
#  - vt: switching virtual terminals (VT_ACTIVATE + VT_WAITACTIVE), the
#    baseline of what users know as an instant switch;
#  - between two personas, with 2 and 31 registered and every module (fbdev
#    has 32 minors: the physical framebuffer and 31 personas' virtual ones);
#  - between two personas, with 2 and 64 registered, without devns_fb.
. "$DEVNS_TOP/tests/vm/lib.sh"
progs=$DEVNS_TOP/tests/vm/progs
nl=$DEVNS_TOP/daemon/build/devns-nl
figures=$DEVNS_OUT/switch-bench.txt
n=200

modprobe evdev && modprobe bochs
wait_for 30 test -e /dev/fb0
# figure NAME OUTPUT: records switch-bench's median and p99 as NAME_*.
figure() {
	local median p99
	median=$(sed -n 's/.*median_ms=\([0-9.]*\).*/\1/p' <<<"$2")
	p99=$(sed -n 's/.*p99_ms=\([0-9.]*\).*/\1/p' <<<"$2")
	if [ -n "$median" ]; then
		echo "${1}_median_ms=$median" | tee -a "$figures"
		echo "${1}_p99_ms=$p99" | tee -a "$figures"
		pass "$1"
	else
		fail "$1" "$2"
	fi
}

figure vt "$("$progs/switch-bench" vt $n 2>&1)"

load_devns devns_input devns_led || { fail load "devns_input, devns_led do not load"; exit 0; }
# bench_switch NAME: switch between the first two personas.
bench_switch() {
	figure "$1" "$("$progs/switch-bench" devns $n "${ids[0]}" "${ids[1]}" 2>&1)"
}
ids=()
for i in $(seq 64); do
	pid=$("$progs/pidns-spawn" sleep 100000)
	id=$("$nl" create "$pid" "bench$i" | sed -n 's/^id=\([0-9]*\).*/\1/p')
	[ -n "$id" ] || { fail personas "persona $i could not be registered"; exit 0; }
	ids+=("$id")
	case $i in
	2)	bench_switch nofb2
		load_devns devns_fb || { fail load "devns_fb does not load"; exit 0; }
		bench_switch devns2 ;;
	31)	bench_switch devns31
		rmmod devns_fb ;;
	esac
done
bench_switch nofb64
"$nl" stats | tee -a "$DEVNS_OUT/switch-bench-stats.txt"

# value NAME: a figure recorded above.
value() { sed -n "s/^$1=//p" "$figures"; }
vt=$(value vt_median_ms)
bench_row "switch, 2 personas" "$(value devns2_median_ms)" "VT switch (chvt)" "$vt" ms "-"
bench_row "switch, 31 personas (fbdev's most)" "$(value devns31_median_ms)" "switch, 2 personas" "$(value devns2_median_ms)" ms "-"
bench_row "switch, 64 personas, no devns_fb" "$(value nofb64_median_ms)" "switch, 2 personas, no devns_fb" "$(value nofb2_median_ms)" ms "-"
"$nl" stats | tee -a "$DEVNS_OUT/switch-bench-stats.txt"
