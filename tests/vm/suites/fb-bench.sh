# devns_fb figures on QEMU's display (bochs), written to the log and to
# $DEVNS_OUT/fb-bench.txt:
#  - full-frame updates per second drawn by the active persona on its virtual
#    framebuffer, against the same drawing on the physical framebuffer with
#    devns unloaded (target: ratio >= 0.9), through mmap and write();
#  - switch latency (root <-> persona, persona <-> persona) against the time
#    of copying two framebuffers in memory, each pair measured together
#    (target: <= 1.5 times, on the median of the ratios).
# devns-vm: timeout 300
# devns-vm: bench
. "$DEVNS_TOP/tests/vm/lib.sh"
. "$DEVNS_TOP/tests/vm/lib-fb.sh"
bench=$progs/fb-bench
figures=$DEVNS_OUT/fb-bench.txt
seconds=3

# val KEY OUTPUT: the value of KEY=... in fb-bench's OUTPUT.
val() { sed -n "s/^$1=//p" <<<"$2"; }

# target NAME VALUE OP LIMIT: pass if VALUE OP LIMIT (awk), else fail.
target() {
	echo "$1=$2 (target $3 $4)" | tee -a "$figures"
	if awk "BEGIN { exit !($2 $3 $4) }"; then
		pass "$1"
	else
		fail "$1" "$2, target $3 $4"
	fi
}

: >"$figures"
unload_devns
modprobe bochs
check bochs wait_for 10 other_physfb "Virtual FB" || exit 0
Q=$(other_physfb "Virtual FB") qname=$(fbname "$Q")
"$fbtool" kdmode /dev/tty1 graphics
check load load_devns devns_fb || exit 0
new_persona a A && new_persona b B ||
	{ fail personas "cannot register personas"; exit 0; }
check virtual wait_for 10 pfb "$a_id" "$qname"
nl=$DEVNS_TOP/daemon/build/devns-nl

# The machine is shared and TCG is noisy: three rounds, each drawing on the
# physical framebuffer with devns_fb unloaded and then as the active
# persona; the best round of each counts.
declare -A best
for round in 1 2 3; do
	rmmod devns_fb
	for how in mmap write; do
		fps=$(val fps "$("$bench" draw "$Q" $seconds $how)")
		echo "round $round: physical $how $fps fps"
		awk "BEGIN { exit !($fps > ${best[physical_$how]:-0}) }" &&
			best[physical_$how]=$fps
	done
	load_devns devns_fb && wait_for 10 pfb "$a_id" "$qname" >/dev/null
	QA=$(pfb "$a_id" "$qname")
	activate "$a"
	for how in mmap write; do
		fps=$(val fps "$(inp "$a" "$bench" draw "$QA" $seconds $how)")
		echo "round $round: persona $how $fps fps"
		awk "BEGIN { exit !($fps > ${best[persona_$how]:-0}) }" &&
			best[persona_$how]=$fps
	done
	root
done
frame=$(( $(var "$Q" line_length) * $(var "$Q" yres) ))
for how in mmap write; do
	echo "physical_${how}_fps=${best[physical_$how]}" | tee -a "$figures"
	echo "persona_${how}_fps=${best[persona_$how]}" | tee -a "$figures"
	target "${how}-fps-ratio" "$(awk "BEGIN { printf \"%.2f\", ${best[persona_$how]} / ${best[physical_$how]} }")" '>=' 0.9
	bench_row "full frames/s by the active persona ($how)" "${best[persona_$how]}" \
		"physical fb, devns_fb unloaded" "${best[physical_$how]}" "frames/s" ">= 0.9"
done

# switches NAME PID BACK N: N times, switch to PID and back to BACK, each
# switch timed by the core (devns-nl stats: the whole switch, and devns_fb's
# part), each pair followed by a copy of two framebuffers in memory timed by
# fb-bench, so that switch and copy are measured under the same load.
# Lines "to|back SWITCH_MS FB_MS COPY_MS".
switches() {
	local i st copy

	activate "$3"
	for i in $(seq "$4"); do
		activate "$2"
		"$nl" stats >"$DEVNS_OUT/fb-stats-to"
		activate "$3"
		"$nl" stats >"$DEVNS_OUT/fb-stats-back"
		copy=$(val copy_two_median "$("$bench" copy $frame 1)")
		for st in to back; do
			awk -v d=$st -v c="$copy" '/^switches=/ { sub("last_ns=", "", $2); t = $2 }
				/^subsys=fb / { sub("last_out_ns=", "", $2); sub("last_in_ns=", "", $3); f = $2 + $3 }
				END { printf "%s %.3f %.3f %s\n", d, t / 1e6, f / 1e6, c }' "$DEVNS_OUT/fb-stats-$st"
		done
	done >"$DEVNS_OUT/fb-switches-$1"
}

# median NAME DIR EXPR: the median over the lines DIR of fb-switches-NAME
# of EXPR (awk, on the columns above).
median() {
	awk -v d="$2" '$1 == d { print '"$3"' }' "$DEVNS_OUT/fb-switches-$1" |
		sort -g | awk '{ v[NR] = $1 } END { print v[int(NR / 2) + 1] }'
}

# report NAME DIR LABEL
report() {
	echo "${3}_switch_ms=$(median "$1" "$2" '$2') (devns_fb: $(median "$1" "$2" '$3'), copying two framebuffers: $(median "$1" "$2" '$4'))" |
		tee -a "$figures"
	target "$3-vs-copy" "$(median "$1" "$2" '$2 / $4' | awk '{ printf "%.2f", $1 }')" '<=' 1.5
	bench_row "switch ${3//_/ }" "$(median "$1" "$2" '$2')" \
		"copying two framebuffers" "$(median "$1" "$2" '$4')" ms "<= 1.5"
}

switches root-persona "$a" 1 20
report root-persona to root_to_persona
report root-persona back persona_to_root
switches persona-persona "$b" "$a" 20
report persona-persona to persona_to_persona

root
"$fbtool" kdmode /dev/tty1 text
check unload unload_devns
