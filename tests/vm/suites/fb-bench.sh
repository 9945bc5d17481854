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

# The machine is shared with other VMs and TCG is noisy, so the drawings
# are interleaved: rounds in which the same drawing is made on the physical
# framebuffer with devns_fb unloaded and by the active persona, seconds
# apart, the side that comes first alternating; each round gives a ratio
# per way of drawing, and the median ratio counts (and the median frame
# rates are shown).
rounds=11 seconds=1.5

# on_physical: devns_fb unloaded, the drawing on $Q.
on_physical() {
	[ ! -d /sys/module/devns_fb ] || rmmod devns_fb
	dev=$Q run=
}

# on_persona: devns_fb loaded, persona a active, the drawing on its own.
on_persona() {
	[ -d /sys/module/devns_fb ] || load_devns devns_fb
	wait_for 10 pfb "$a_id" "$qname" >/dev/null
	activate "$a"
	dev=$(pfb "$a_id" "$qname") run="inp $a"
}

# draw_round SIDE ROUND: both ways of drawing on SIDE (physical|persona),
# frame rates appended to $DEVNS_OUT/fb-draw (lines "ROUND SIDE HOW FPS").
draw_round() {
	local how fps

	"on_$1"
	for how in mmap write; do
		fps=$(val fps "$($run "$bench" draw "$dev" $seconds $how)")
		echo "round $2: $1 $how $fps fps"
		echo "$2 $1 $how $fps" >>"$DEVNS_OUT/fb-draw"
	done
	[ "$1" = persona ] && root
}

: >"$DEVNS_OUT/fb-draw"
# A first drawing on each side, not counted: the first after boot is slow.
on_physical
"$bench" draw "$Q" 0.5 mmap >/dev/null
on_persona
$run "$bench" draw "$dev" 0.5 mmap >/dev/null
root
alternate_rounds $rounds

# fps SIDE HOW: the median frame rate; ratios HOW: each round's ratio.
fps() { awk -v s=$1 -v h=$2 '$2 == s && $3 == h { print $4 }' "$DEVNS_OUT/fb-draw" | median_of; }
ratios() {
	awk -v h=$1 '$3 == h { f[$1 " " $2] = $4 }
		END { for (k in f) { split(k, p, " ")
			if (p[2] == "persona") printf "%.3f\n", f[k] / f[p[1] " physical"] } }' \
		"$DEVNS_OUT/fb-draw"
}
frame=$(( $(var "$Q" line_length) * $(var "$Q" yres) ))
for how in mmap write; do
	echo "physical_${how}_fps=$(fps physical $how)" | tee -a "$figures"
	echo "persona_${how}_fps=$(fps persona $how)" | tee -a "$figures"
	echo "${how}_round_ratios=$(ratios $how | sort -g | tr '\n' ' ')" | tee -a "$figures"
	target "${how}-fps-ratio" "$(ratios $how | median_of | awk '{ printf "%.2f", $1 }')" '>=' 0.9
	bench_row "full frames/s by the active persona ($how)" "$(fps persona $how)" \
		"physical fb, devns_fb unloaded" "$(fps physical $how)" "frames/s" ">= 0.9"
done

# switches NAME PID BACK N: N times, switch to PID and back to BACK through
# /proc/dev_ns/active_ns_pid, each switch paired with a copy of two
# framebuffers in memory made right before it by the same process
# (fb-bench), so that both are measured under the same load.  Lines
# "to|back CORE_MS CALLER_MS COPY_MS": the switch as the core timed it, and
# as fb-bench saw it around its write().
switches() {
	activate "$3"
	"$bench" switch "$2" "$3" $frame "$4" >"$DEVNS_OUT/fb-switches-$1"
}

# median NAME DIR EXPR: the median over the lines DIR of fb-switches-NAME
# of EXPR (awk, on the columns above).
median() {
	awk -v d="$2" '$1 == d { print '"$3"' }' "$DEVNS_OUT/fb-switches-$1" |
		median_of
}

# report NAME DIR LABEL
report() {
	echo "${3}_switch_ms=$(median "$1" "$2" '$2') (seen by the caller: $(median "$1" "$2" '$3'), copying two framebuffers: $(median "$1" "$2" '$4'); ratios by the caller: $(median "$1" "$2" '$3 / $4'))" |
		tee -a "$figures"
	target "$3-vs-copy" "$(median "$1" "$2" '$2 / $4' | awk '{ printf "%.2f", $1 }')" '<=' 1.5
	bench_row "switch ${3//_/ }" "$(median "$1" "$2" '$2')" \
		"copying two framebuffers" "$(median "$1" "$2" '$4')" ms "<= 1.5"
}

switches root-persona "$a" 1 25
report root-persona to root_to_persona
report root-persona back persona_to_root
switches persona-persona "$b" "$a" 25
report persona-persona to persona_to_persona

root
"$fbtool" kdmode /dev/tty1 text
check unload unload_devns
