# devns_kms figures on QEMU's display (bochs), written to the log and to
# $DEVNS_OUT/kms-bench.txt:
#  - frames/s of a full-screen damage loop (kms-bench draw: a dumb buffer
#    filled and committed with FB_DAMAGE_CLIPS, blocking) by the active
#    persona on its card, against the same program on the physical card
#    with the root active (devns_kms loaded, idle), counted as a display
#    shows frames: at most the mode's refresh rate (target: ratio >= 0.9).
#    A card with vblank (the persona's, 7.3's bochs) completes a blocking
#    commit at the next one; 6.1's bochs completes it at once, so there the
#    program draws frames no display shows (about 140/s at 75 Hz), which
#    the raw ratio, printed beside it with the CPU time per frame of each
#    side (no target), would count;
#  - switch latency between two KMS personas, each showing modetest's
#    pattern, against copying two frames in memory (fb-bench switch, each
#    switch paired with its copy; target <= 1.5) and against a VT switch
#    (switch-bench, medians of 200; target <= 1.0).
# devns-vm: timeout 600
# devns-vm: bench
. "$DEVNS_TOP/tests/vm/lib.sh"
. "$DEVNS_TOP/tests/vm/lib-kms.sh"
figures=$DEVNS_OUT/kms-bench.txt
bench=$progs/kms-bench

# val KEY OUTPUT: the value of KEY=... in OUTPUT.
val() { sed -n "s/^$1=//p" <<<"$2"; }

# target NAME VALUE OP LIMIT: pass if VALUE (a number) OP LIMIT (awk), else
# fail.
target() {
	echo "$1=$2 (target $3 $4)" | tee -a "$figures"
	if [[ $2 =~ ^[0-9]+(\.[0-9]+)?$ ]] && awk "BEGIN { exit !($2 $3 $4) }"; then
		pass "$1"
	else
		fail "$1" "$2, target $3 $4"
	fi
}

: >"$figures"
modprobe bochs
check phys-card wait_for 10 phys_card || exit 0
P=$(phys_card)
modprobe drm_shmem_helper
check load load_devns devns_kms || exit 0
new_persona a A && new_persona b B ||
	{ fail personas "cannot register personas"; exit 0; }
wait_for 10 persona_card "$a_id" >/dev/null
wait_for 10 persona_card "$b_id" >/dev/null
A=$(persona_card "$a_id") B=$(persona_card "$b_id")
[ -n "$A" ] && [ -n "$B" ] || { fail cards "no persona card: '$A' '$B'"; exit 0; }
"$fbtool" kdmode /dev/tty1 graphics

# Rounds as in fb-bench: the same drawing on the physical card (the root
# active) and by the active persona on its card, seconds apart, the side
# that comes first alternating; the median of the rounds' ratios counts.
rounds=11 seconds=1.5

# draw_round SIDE ROUND: a drawing on SIDE (physical|persona), its frame
# rate and CPU time per frame appended to $DEVNS_OUT/kms-draw ("ROUND SIDE
# FPS CPU_MS").
draw_round() {
	local out

	if [ "$1" = physical ]; then
		out=$("$bench" draw "$P" $seconds)
	else
		activate "$a"
		out=$(inp "$a" "$bench" draw "$A" $seconds)
		root
	fi
	echo "round $2: $1 $(tr '\n' ' ' <<<"$out")"
	echo "$2 $1 $(val fps "$out") $(val cpu_ms_per_frame "$out")" >>"$DEVNS_OUT/kms-draw"
	[ -z "$(val mode "$out")" ] || mode=$(val mode "$out")
}

: >"$DEVNS_OUT/kms-draw"
mode=
# A first drawing on each side, not counted: the first after boot is slow.
"$bench" draw "$P" 0.5 >/dev/null
activate "$a"
inp "$a" "$bench" draw "$A" 0.5 >/dev/null
root
alternate_rounds $rounds
# fps SIDE, cpu SIDE: medians over the rounds.
fps() { awk -v s=$1 '$2 == s { print $3 }' "$DEVNS_OUT/kms-draw" | median_of; }
cpu() { awk -v s=$1 '$2 == s { print $4 }' "$DEVNS_OUT/kms-draw" | median_of; }
# ratios [HZ]: each round's persona/physical frames/s, the physical ones
# counted up to HZ frames/s if given.
ratios() {
	awk -v hz="${1:-0}" '{ f[$1 " " $2] = $3 }
		END { for (k in f) { split(k, p, " ")
			b = f[p[1] " physical"]
			if (hz > 0 && b > hz)
				b = hz
			if (p[2] == "persona" && b)
				printf "%.3f\n", f[k] / b } }' \
		"$DEVNS_OUT/kms-draw"
}
echo "mode=$mode" | tee -a "$figures"
echo "physical_fps=$(fps physical)" | tee -a "$figures"
echo "persona_fps=$(fps persona)" | tee -a "$figures"
echo "physical_cpu_ms_per_frame=$(cpu physical)" | tee -a "$figures"
echo "persona_cpu_ms_per_frame=$(cpu persona)" | tee -a "$figures"
refresh=${mode#*@}
echo "raw_round_ratios=$(ratios | sort -g | tr '\n' ' ')" | tee -a "$figures"
echo "raw_damage_fps_ratio=$(ratios | median_of | awk '{ printf "%.2f", $1 }')" | tee -a "$figures"
echo "round_ratios=$(ratios "$refresh" | sort -g | tr '\n' ' ')" | tee -a "$figures"
target damage-fps-ratio "$(ratios "$refresh" | median_of | awk '{ printf "%.2f", $1 }')" '>=' 0.9
bench_row "KMS full-screen damage frames/s, persona" "$(fps persona)" \
	"physical card (bochs), root active, at most $refresh/s" \
	"$(fps physical | awk -v hz="$refresh" '{ print ($1 > hz ? hz : $1) }')" "frames/s" ">= 0.9"
bench_row "KMS full-screen damage frames/s, persona" "$(fps persona)" \
	"physical card (bochs), root active, uncapped" "$(fps physical)" "frames/s" "-"
bench_row "KMS damage loop CPU ms/frame, persona" "$(cpu persona)" \
	"physical card (bochs), root active" "$(cpu physical)" "ms" "-"

# Two personas each showing a pattern (modetest -s: set once, no flips).
"$fbtool" kdmode /dev/tty1 text
start_modetest a "$A"
start_modetest b "$B" -F tiles,tiles
activate "$a"
check a-shown smpte_shot bench-a
activate "$b"
check b-replaces-a not_smpte_shot bench-b

# Persona to persona against copying two frames: fb-bench switch, each
# switch paired with a copy of two frames made right before it.
size=${mode%@*}
frame=$((${size%x*} * ${size#*x} * 4))
activate "$a"
"$progs/fb-bench" switch "$b" "$a" $frame 25 >"$DEVNS_OUT/kms-switches"
# median DIR EXPR: over the lines DIR of kms-switches ("to|back CORE_MS
# CALLER_MS COPY_MS"), the median of EXPR (awk).
median() { awk -v d="$1" '$1 == d { print '"$2"' }' "$DEVNS_OUT/kms-switches" | median_of; }
for d in to back; do
	echo "persona_switch_${d}_ms=$(median $d '$2') (seen by the caller: $(median $d '$3'), copying two frames: $(median $d '$4'))" |
		tee -a "$figures"
done
core=$(awk '{ print $2 }' "$DEVNS_OUT/kms-switches" | median_of)
copy=$(awk '{ print $4 }' "$DEVNS_OUT/kms-switches" | median_of)
target kms-switch-vs-copy "$(awk '{ print $2 / $4 }' "$DEVNS_OUT/kms-switches" |
	median_of | awk '{ printf "%.2f", $1 }')" '<=' 1.5
bench_row "switch between two KMS personas" "$core" \
	"copying two frames" "$copy" ms "<= 1.5"

# Against a VT switch (the root active: fbcon draws), both from userspace,
# medians of 200.
root
n=200
vt=$("$progs/switch-bench" vt $n 2>&1)
sw=$("$progs/switch-bench" devns $n "${a_id#devns}" "${b_id#devns}" 2>&1)
echo "vt: $vt" | tee -a "$figures"
echo "kms personas: $sw" | tee -a "$figures"
vt_ms=$(sed -n 's/.*median_ms=\([0-9.]*\).*/\1/p' <<<"$vt")
sw_ms=$(sed -n 's/.*median_ms=\([0-9.]*\).*/\1/p' <<<"$sw")
if [ -n "$vt_ms" ] && [ -n "$sw_ms" ]; then
	target kms-switch-vs-chvt "$(awk -v a="$sw_ms" -v b="$vt_ms" 'BEGIN { printf "%.2f", a / b }')" '<=' 1.0
	bench_row "switch between two KMS personas (netlink)" "$sw_ms" \
		"VT switch (chvt)" "$vt_ms" ms "<= 1.0"
else
	fail switch-bench "$vt $sw"
fi

root
stop_modetest a
stop_modetest b
kill -KILL "$a" "$b"
check unload wait_for 10 unload_devns
