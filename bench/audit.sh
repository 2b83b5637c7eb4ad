#!/usr/bin/env bash
# The audit at the hardware's limit and the first history index (issue 11), side by side
# with the reference each is measured against, on a history made by bench/gen.c
# (`docket-bench-gen WORKDIR NDOCS NUNITS`: five commits and three real ECDSA P-256
# signatures a document). Rows, each printed with its ratio:
#   1. `docket audit --trust --no-cache` (default --jobs: the cores) against the time
#      `openssl speed -multi CORES ecdsap256` needs for as many verifications on as many
#      cores; and `--jobs 1` against `--jobs CORES` (the speed-up of the threads);
#   2. the first `docket log DOC` of a fresh clone (it builds the history index) against
#      one `git log --format=%H -- PATH` of the same document in the same clone;
#   3. the warm `docket log DOC` against the same `git log`.
# Wall time, CPU time (user + system, all threads) and peak anonymous memory per command;
# each pair runs one after the other on the same data. Figures are printed, nothing is
# asserted (shared, noisy machines: read the ratios, and the CPU times when loaded).
# bench/run.sh (the whole benchmark, owned with issue 11's other half) calls the functions
# below by name; this script runs them alone.
#
# usage: bench/audit.sh [NDOCS [NUNITS]]   default 20000 documents, 300 schools
#        BUILD=build, WORK=/tmp/docket-bench-audit (the history is kept there and reused),
#        NO_BUILD=1: use BUILD/docket as it is
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
ndocs=${1:-20000}
nunits=${2:-300}
build=${BUILD:-$here/../build}
work=${WORK:-/tmp/docket-bench-audit}
docket=$build/docket
cores=$(nproc)

# "WALL CPU PEAK_KIB" of a command (stdout into $MEASURE_OUT or dropped, stderr dropped; exit 0
# or 1 accepted)
measure_cpu() {
	python3 - "$@" <<'PY'
import resource, subprocess, sys, tempfile, time
r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
t = time.perf_counter()
import os
out = open(os.environ["MEASURE_OUT"], "wb") if os.environ.get("MEASURE_OUT") else subprocess.DEVNULL
# stderr into a file, not a pipe: an audit's notes fill a pipe that is read only at the end
err = tempfile.TemporaryFile()
p = subprocess.Popen(sys.argv[1:], stdout=out, stderr=err)
peak = 0
while p.poll() is None:
    try:
        for line in open(f"/proc/{p.pid}/status"):
            if line.startswith("RssAnon:"):
                peak = max(peak, int(line.split()[1]))
    except OSError:
        pass
    time.sleep(0.05)
dt = time.perf_counter() - t
err.seek(0)
err = err.read()
r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
if p.returncode not in (0, 1):
    sys.stderr.write(err.decode()); sys.exit(p.returncode)
print(f"{dt:.3f} {cpu:.3f} {peak}")
PY
}

ratio() { python3 -c "import sys; a, b = float(sys.argv[1]), float(sys.argv[2]); print(f'{a / b:.2f}x' if b > 0 else 'n/a')" "$1" "$2"; }

# HISTORY DIR NDOCS NUNITS: a bench/gen.c history in DIR/repo.git (kept when already there)
audit_bench_history() {
	local dir=$1 n=$2 u=$3
	if [ -f "$dir/done" ]; then
		echo "history: reusing $dir ($(git -C "$dir/repo.git" rev-list --count main) commits)"
		return
	fi
	rm -rf "$dir"
	mkdir -p "$dir"
	cmake --build "$build" --target docket docket-bench-gen >/dev/null
	"$docket" init --bare "$dir/repo.git" >/dev/null
	local t0=$(date +%s.%N)
	"$build/docket-bench-gen" "$dir/keys" "$n" "$u" | git -C "$dir/repo.git" fast-import --quiet
	git -C "$dir/repo.git" repack -adq
	touch "$dir/done"
	echo "history: $n documents, $(git -C "$dir/repo.git" rev-list --count main) commits, built in" \
		"$(python3 -c "print(round($(date +%s.%N) - $t0, 1))") s"
}

# ROW 1: the audit against OpenSSL's own verification speed on every core
audit_bench_audit() {
	local repo=$1 trust=$2 json nsig commits vps ossl a1 aN
	# the history index first (row 2 measures building it): the audit alone is measured
	"$docket" -C "$repo" audit --since main >/dev/null 2>&1 || true
	json=$(mktemp)
	read -r aN_w aN_c aN_m < <(MEASURE_OUT=$json measure_cpu "$docket" -C "$repo" audit --trust "$trust" --no-cache --json)
	read -r nsig commits < <(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["signatures"], d["commits"])' "$json")
	rm -f "$json"
	# verifications a second on CORES processes, the figure openssl prints for all of them
	vps=$(openssl speed -seconds 3 -multi "$cores" -mr ecdsap256 2>/dev/null | awk -F: '/^\+F4:/ && !/from/ {v=$5} END {print v}')
	ossl=$(python3 -c "print(f'{$nsig / $vps:.3f}')")
	echo "audit: $commits commits, $nsig signatures verified"
	printf '%-44s %9s s wall %9s s CPU %6s MiB\n' "docket audit --no-cache (--jobs $cores)" "$aN_w" "$aN_c" "$((aN_m / 1024))"
	printf '%-44s %9s s (%s verifications/s)\n' "openssl speed -multi $cores ecdsap256, $nsig" "$ossl" "$vps"
	read -r a1_w a1_c a1_m < <(measure_cpu "$docket" -C "$repo" audit --trust "$trust" --no-cache --jobs 1)
	printf '%-44s %9s s wall %9s s CPU %6s MiB\n' "docket audit --no-cache --jobs 1" "$a1_w" "$a1_c" "$((a1_m / 1024))"
	echo "ratio audit / openssl on $cores cores:        $(ratio "$aN_w" "$ossl")   (goal <= 1.25x)"
	echo "ratio audit --jobs 1 / --jobs $cores:          $(ratio "$a1_w" "$aN_w")"
}

# ROWS 2 and 3: the first log of a fresh clone (builds the index), the warm one, git log
audit_bench_log() {
	local repo=$1 doc=$2 path=$3 clone
	clone=$(mktemp -d "${TMPDIR:-/tmp}/docket-bench-clone.XXXXXX")
	git clone -q --bare "$repo" "$clone/c.git"
	read -r g_w g_c g_m < <(measure_cpu git -C "$clone/c.git" log --format=%H -- "$path")
	read -r f_w f_c f_m < <(measure_cpu "$docket" -C "$clone/c.git" log "$doc")
	read -r w_w w_c w_m < <(measure_cpu "$docket" -C "$clone/c.git" log "$doc")
	rm -rf "$clone"
	printf '%-44s %9s s wall %9s s CPU %6s MiB\n' "git log --format=%H -- PATH" "$g_w" "$g_c" "$((g_m / 1024))"
	printf '%-44s %9s s wall %9s s CPU %6s MiB\n' "docket log DOC, first (builds the index)" "$f_w" "$f_c" "$((f_m / 1024))"
	printf '%-44s %9s s wall %9s s CPU %6s MiB\n' "docket log DOC, warm" "$w_w" "$w_c" "$((w_m / 1024))"
	echo "ratio first log / git log:                  $(ratio "$f_w" "$g_w") wall, $(ratio "$f_c" "$g_c") CPU   (goal <= 2x)"
	echo "ratio warm log / git log:                   $(ratio "$w_w" "$g_w")"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	[ -n "${NO_BUILD-}" ] || cmake --build "$build" --target docket >/dev/null
	echo "== docket audit and history benchmarks: $ndocs documents, $nunits schools ($cores cores, $(uname -m), load $(cut -d' ' -f1-3 /proc/loadavg))"
	audit_bench_history "$work/$ndocs" "$ndocs" "$nunits"
	repo=$work/$ndocs/repo.git
	mid=$((ndocs / 2))
	u=$((mid % nunits)); y=$((2021 + (mid / nunits) % 10))
	doc=$(printf 'kh-%d-s%04d-%d' "$y" "$u" "$mid")
	path=$(printf 'documents/plan/%d/S%04d/%s.xml' "$y" "$u" "$doc")
	git -C "$repo" cat-file -e "main:$path" || { echo "bench/audit.sh: $path is not in the history" >&2; exit 3; }
	echo
	echo "== 1. the whole audit"
	audit_bench_audit "$repo" "$work/$ndocs/keys/ca/ca.pem"
	echo
	echo "== 2. one document's history: first and warm"
	audit_bench_log "$repo" "$doc" "$path"
fi
