#!/usr/bin/env bash
# run.sh: SPIN's exhaustive search of two-phase commit (TwoPhase.tla), to
# time side by side with execspec's (issue 11). For each number of
# resource managers given (default 7 and 8) it generates the Promela model
# with ./gen, compiles SPIN's verifier for a safety search without
# partial-order reduction and without a never claim, runs it, and prints
# the states stored, the transitions (TLC's generated states) and the
# verifier's CPU time (compilation excluded). TLC's counts: 296,448
# distinct states for 7 RMs, 1,745,408 for 8, 10,340,352 for 9.
#
#	examples/twophase/spin/run.sh          # 7 and 8 RMs
#	examples/twophase/spin/run.sh 7 8 9
#
# Needs spin and gcc (Debian: apt-get install -y spin gcc) and go.
# SPIN_CFLAGS and PAN_FLAGS override the compiler and verifier options; by
# default the hash table has about twice as many slots as there are states
# (-w20 for 7 RMs, -w22 for 8, -w25 for 9), since a larger table costs
# system time to allocate.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cflags=${SPIN_CFLAGS:--O2 -DSAFETY -DNOREDUCE -DNOCLAIM -DMEMLIM=8192}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$here" && go build -o "$work/gen" ./gen)
spin -V
gcc --version | head -n1
echo "cflags: $cflags"
TIMEFORMAT='cpu %U s user + %S s sys, %R s wall'
rms=("$@")
[ ${#rms[@]} -gt 0 ] || rms=(7 8)
for n in "${rms[@]}"; do
	dir="$work/rm$n"
	mkdir "$dir"
	"$work/gen" -rms "$n" >"$dir/twophase.pml"
	(cd "$dir" && spin -a twophase.pml && gcc $cflags -o pan pan.c)
	case $n in
	[1-6]) w=17 ;;
	7) w=20 ;;
	8) w=22 ;;
	9) w=25 ;;
	*) w=27 ;;
	esac
	panflags=${PAN_FLAGS:--w$w}
	echo "== rm$n (pan $panflags)"
	{ time (cd "$dir" && ./pan $panflags >report.txt); } 2>&1
	grep -E 'State-vector|states, stored|transitions|errors:|elapsed time|pan: rate' "$dir/report.txt" | sed 's/^ */  /'
done
