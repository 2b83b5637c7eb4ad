#!/usr/bin/env bash
# docket's scale benchmarks (issue: audit trail at province scale). Builds a history with
# bench/gen.c — NDOCS unit plans of NUNITS schools, five commits each (add, submit, review,
# approve, issue), three real ECDSA signatures each — and measures, side by side on the same
# data:
#   1. `docket log DOC` against `git log --format=%H -- PATH` for the same document
#      (docket's first run builds its history index; the second reads it);
#   2. `docket audit --trust` against the time OpenSSL itself needs for the same number of
#      ECDSA P-256 verifications (`openssl speed`);
#   3. a re-audit after 100 new commits (the verdict cache);
#   4. the audit's peak memory at a fifth of the history and at all of it.
# Figures are printed; nothing is asserted (these machines are shared and noisy).
#
# usage: bench/run.sh [NDOCS [NUNITS]]     default 100000 documents (500,000 commits), 1500 schools
#        BUILD=build (where docket and docket-bench-gen are), WORK=/tmp/docket-bench
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
ndocs=${1:-100000}
nunits=${2:-1500}
build=${BUILD:-$here/../build}
work=${WORK:-/tmp/docket-bench}
docket=$build/docket
cmake --build "$build" --target docket docket-bench-gen >/dev/null

# seconds and peak anonymous memory (KiB: the heap, not the pack files git maps) of a command
measure() {
	python3 - "$@" <<'PY'
import subprocess, sys, time
t = time.perf_counter()
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
peak = 0
while p.poll() is None:
    try:
        for line in open(f"/proc/{p.pid}/status"):
            if line.startswith("RssAnon:"):
                peak = max(peak, int(line.split()[1]))
    except OSError:
        pass
    time.sleep(0.05)
err = p.stderr.read()
dt = time.perf_counter() - t
if p.returncode not in (0, 1):
    sys.stderr.write(err.decode()); sys.exit(p.returncode)
print(f"{dt:.3f} {peak}")
PY
}

calc() { python3 -c "print(round($1, 3))"; }

build_history() { # DIR NDOCS
	rm -rf "$1"
	mkdir -p "$1"
	"$docket" init --bare "$1/repo.git" >/dev/null
	local t0=$(date +%s.%N)
	"$build/docket-bench-gen" "$1/keys" "$2" "$nunits" | git -C "$1/repo.git" fast-import --quiet
	git -C "$1/repo.git" repack -adq
	echo "history: $2 documents, $(git -C "$1/repo.git" rev-list --count main) commits," \
		"$(du -sh "$1/repo.git" | cut -f1) on disk, built in $(calc "$(date +%s.%N) - $t0") s"
}

echo "== docket benchmarks: $ndocs documents, $nunits schools ($(nproc) cores, $(uname -m))"
small=$((ndocs / 5))
[ "$small" -ge 1 ] || small=1
build_history "$work/small" "$small"
build_history "$work/full" "$ndocs"
repo=$work/full/repo.git
trust=$work/full/keys/ca/ca.pem

echo
echo "== 1. one document's history"
mid=$((ndocs / 2))
u=$((mid % nunits)); y=$((2021 + (mid / nunits) % 10))
doc=$(printf 'kh-%d-s%04d-%d' "$y" "$u" "$mid")
path=$(printf 'documents/plan/%d/S%04d/%s.xml' "$y" "$u" "$doc")
read -r g_s g_m < <(measure git -C "$repo" log --format=%H -- "$path")
read -r c_s c_m < <(measure "$docket" -C "$repo" log "$doc")
read -r w_s w_m < <(measure "$docket" -C "$repo" log "$doc")
echo "git log -- PATH:           ${g_s} s"
echo "docket log DOC (cold):     ${c_s} s   (builds the history index of every commit once)"
echo "docket log DOC (warm):     ${w_s} s   ratio to git log: $(calc "$w_s / $g_s")"

echo
echo "== 2. the whole audit"
"$docket" -C "$repo" audit --trust "$trust" --no-cache --json > "$work/audit.json" 2>/dev/null || true
sigs=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["signatures"], len(d["findings"]), d["commits"])' "$work/audit.json")
read -r nsig nfind ncommits <<<"$sigs"
read -r a_s a_m < <(measure "$docket" -C "$repo" audit --trust "$trust" --no-cache)
vps=$(openssl speed -seconds 3 ecdsap256 2>/dev/null | awk '/256 bits ecdsa \(nistp256\)/ {print $NF}')
ossl=$(calc "$nsig / $vps")
echo "docket audit --no-cache:   ${a_s} s for $ncommits commits, $nsig signatures verified, $nfind findings"
echo "openssl alone:             ${ossl} s for $nsig ECDSA P-256 verifications ($vps verify/s/core)"
echo "ratio audit / openssl:     $(calc "$a_s / $ossl")"
echo "per commit:                $(calc "$a_s * 1000000 / $ncommits") µs"

echo
echo "== 3. re-audit after 100 new commits"
"$docket" -C "$repo" audit --trust "$trust" >/dev/null 2>&1 || true
"$build/docket-bench-gen" "$work/full/keys" 25 "$nunits" "$ndocs" | git -C "$repo" fast-import --quiet
read -r r_s r_m < <(measure "$docket" -C "$repo" audit --trust "$trust")
echo "docket audit (cached):     ${r_s} s for the 100 new commits (full audit: ${a_s} s)"

echo
echo "== 4. memory"
read -r s_s s_m < <(measure "$docket" -C "$work/small/repo.git" audit --trust "$work/small/keys/ca/ca.pem" --no-cache)
echo "audit peak memory:         $((s_m / 1024)) MiB at $small documents, $((a_m / 1024)) MiB at $ndocs documents (anonymous resident memory)"
