#!/bin/sh
# scripts/demo.sh - `make demo`: record a real run on this machine (whatever
# sources it has: RAPL and NVIDIA GPUs where present, /proc everywhere),
# analyze it, analyze a generated example, compare a generated sweep, and
# write the reports and figures into reports/.
set -e
B=${WL_BUILD:-build}
R=reports
rec=$B/wattlog-record
wl=$B/wattlog
mkdir -p $R/demo $R/example

echo "== sources on this machine =="
$rec --list

echo
echo "== recording a real run: a CPU-bound workload with markers =="
# The workload marks its own phases through WATTLOG_MARKER_FD (see README).
$rec -f -q -o $R/demo/run.wlog -i 10ms -- sh -c '
	m() { [ -n "$WATTLOG_MARKER_FD" ] && echo "$*" >&"$WATTLOG_MARKER_FD" || true; }
	sleep 1
	m begin compute
	i=0; while [ $i -lt 300000 ]; do i=$((i + 1)); done
	m end compute
	sleep 1
	m begin compress
	head -c 30000000 /dev/urandom | gzip -1 > /dev/null
	m end compress
	sleep 0.5'
$wl info $R/demo/run.wlog | tee $R/demo/info.txt

echo
echo "== recording a simulated inference server: concurrent requests =="
# examples/serve_sim.py: 8 threads serve 24 requests, each marked with the
# Python package python/wattlog (request ID, prefill, decode, tokens)
$rec -f -q -o $R/demo/serve.wlog -i 10ms -- python3 examples/serve_sim.py --requests 24 \
	--threads 8 > $R/demo/serve.txt
$wl requests $R/demo/serve.wlog | tee $R/demo/requests.txt
$wl requests $R/demo/serve.wlog --format json > $R/demo/requests.json

echo
echo "== report of the recorded run =="
$wl report $R/demo/run.wlog --region DE -o $R/demo/report.txt
$wl report $R/demo/run.wlog --region DE --format json -o $R/demo/report.json
$wl report $R/demo/run.wlog --region DE --format markdown -o $R/demo/report.md
$wl report $R/demo/run.wlog --region DE --plots $R/demo > /dev/null
# host activity always exists; power and energy figures need a power source
# (readable RAPL, an NVIDIA GPU): the standard set above skips them without
for f in png pdf; do
	$wl plot $R/demo/run.wlog --figure panels --metrics cpu_busy,mem_used,tree_cpu_time \
		-o $R/demo/panels-host.$f > /dev/null
done
cat $R/demo/report.txt
ls $R/demo/power.png > /dev/null 2>&1 ||
	echo "demo: no power source on this machine (see 'wattlog-record --list'):" \
		"power and energy figures of the recorded run skipped; the example below has them"

echo
echo "== a generated example: an LLM inference run on a simulated H100 =="
$wl simulate --gpu H100 --schedule 'idle 2s, prefill 8s, idle 15s, decode 17s, idle 3s' \
	--period 100ms --seed 1 -o $R/example/sim.wlog
$wl phases --auto $R/example/sim.wlog | tee $R/example/phases.txt
$wl report $R/example/sim.wlog --region WORLD --tokens 4096 -o $R/example/report.txt
$wl report $R/example/sim.wlog --region WORLD --tokens 4096 --plots $R/example > /dev/null
$wl plot $R/example/sim.wlog --figure power --style paper --width single -o $R/example/power-paper.pdf

echo
echo "== a generated sweep: batch sizes 1, 8, 22 x 3 repeats, compared =="
for bs in 1 8 22; do
	d=$R/example/sweep/bs$bs
	mkdir -p $d
	# a bigger batch: shorter per token, higher power (the simulator's MFU model)
	dec=$((40 / (1 + bs / 4)))
	for rep in 1 2 3; do
		$wl simulate --gpu A100 --schedule "idle 1s, prefill 2s, decode ${dec}s, idle 1s" \
			--mfu-decode 0.0$((2 + bs / 3)) --seed $((bs * 10 + rep)) -o $d/run$rep.wlog
	done
	# each batch is bs requests of 512 output tokens: meta.json says so
	printf '{"batch_size": %d, "output_tokens": %d, "requests": %d}\n' $bs $((bs * 512)) $bs \
		> $d/meta.json
done
$wl compare $R/example/sweep/bs1 $R/example/sweep/bs8 $R/example/sweep/bs22 \
	--baseline $R/example/sweep/bs1 --plots $R/example/sweep | tee $R/example/compare.txt

echo
echo "== a two-node job on a local Slurm cluster =="
sh scripts/demo-slurm.sh "$B" $R

echo
echo "demo: reports written under $R/demo, $R/example and $R/slurm"
