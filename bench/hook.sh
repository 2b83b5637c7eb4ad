#!/usr/bin/env bash
# The central repository's pre-receive hook: its time for a push of one action, in a
# repository of NDOCS documents (default 20,000: 100,000 commits). The history comes from
# bench/gen.c (every document added, submitted, reviewed, approved and issued, with real
# signatures); one more document is brought to approved, and the push carries its issue -
# numbered and signed by the clerk, so the hook verifies a real signature against the CA.
# The push goes through stock git (git push to the repository's path runs receive-pack and
# its hooks, with the pushed objects in quarantine); the hook is timed by a wrapper around the
# installed one. The same push is measured in a repository of 1 document for comparison.
# Figures are printed; the goal is < 0.2 s of hook time whatever the repository's size.
#
# usage: bench/hook.sh [NDOCS [NUNITS]]   BUILD=build WORK=/tmp/docket-bench-hook RUNS=5
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
ndocs=${1:-20000}
nunits=${2:-400}
build=${BUILD:-$here/../build}
work=${WORK:-/tmp/docket-bench-hook}
runs=${RUNS:-5}
docket=$(cd "$build" && pwd)/docket
cmake --build "$build" --target docket docket-bench-gen >/dev/null
export GIT_CONFIG_NOSYSTEM=1 HOME=$work/home DOCKET_PASSPHRASE=bench-passphrase
mkdir -p "$HOME"
git config --global user.name bench && git config --global user.email bench@docket.invalid

calc() { python3 -c "print(round($1, 3))"; }

# setup DIR N: a server repository of N documents with the hook, and one more approved document
setup() {
	local dir=$1 n=$2 t0
	rm -rf "$dir"
	mkdir -p "$dir"
	t0=$(date +%s.%N)
	"$docket" server init "$dir/repo.git" >/dev/null
	"$build/docket-bench-gen" "$dir/keys" "$n" "$nunits" | git -C "$dir/repo.git" fast-import --quiet
	"$build/docket-bench-gen" "$dir/keys" 1 "$nunits" "$n" | git -C "$dir/repo.git" fast-import --quiet
	git -C "$dir/repo.git" repack -adq
	"$docket" server install-hook "$dir/repo.git" --trust "$dir/keys/ca/ca.pem" >/dev/null
	# the installed hook, timed: nanoseconds of each run appended to hook-times
	mv "$dir/repo.git/hooks/pre-receive" "$dir/repo.git/hooks/pre-receive.docket"
	cat >"$dir/repo.git/hooks/pre-receive" <<EOF
#!/bin/sh
t0=\$(date +%s%N)
"\$(dirname "\$0")/pre-receive.docket"
rc=\$?
echo \$(( \$(date +%s%N) - t0 )) >>"$dir/hook-times"
exit \$rc
EOF
	chmod +x "$dir/repo.git/hooks/pre-receive"
	echo "$n documents: $(git -C "$dir/repo.git" rev-list --count main) commits, $(du -sh "$dir/repo.git" | cut -f1)," \
		"made in $(calc "$(date +%s.%N) - $t0") s"
}

# measure DIR N: RUNS pushes of one issue each (the server reset between runs); hook and push times
measure() {
	local dir=$1 n=$2 doc tip i t0 push_total=0
	u=$((n % nunits)); y=$((2021 + (n / nunits) % 10))
	doc=$(printf 'kh-%d-s%04d-%d' "$y" "$u" "$n")
	tip=$(git -C "$dir/repo.git" rev-parse main)
	rm -f "$dir/hook-times"
	for i in $(seq "$runs"); do
		rm -rf "$dir/clone"
		"$docket" clone "$dir/repo.git" "$dir/clone" >/dev/null
		DOCKET_NOW=2021-12-30T09:00:00+07:00 DOCKET_KEY=$dir/keys/keys/thu.pem "$docket" -C "$dir/clone" --as thu \
			issue "$doc" >/dev/null
		t0=$(date +%s.%N)
		git -C "$dir/clone" push -q origin main 2>"$dir/push.err" || { cat "$dir/push.err"; exit 1; }
		push_total=$(calc "$push_total + $(date +%s.%N) - $t0")
		git -C "$dir/repo.git" update-ref refs/heads/main "$tip"
	done
	python3 - "$dir/hook-times" "$n" "$push_total" "$runs" <<'PY'
import sys
t = sorted(int(x) / 1e9 for x in open(sys.argv[1]))
n, push, runs = sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
print(f"{n:>6} documents: hook {t[len(t) // 2]:.3f} s (median of {len(t)}; min {t[0]:.3f}, max {t[-1]:.3f}); "
      f"whole git push {push / runs:.3f} s on average")
PY
}

echo "== docket's pre-receive hook: one pushed issue ($(nproc) cores, $(uname -m))"
setup "$work/small" 1
setup "$work/large" "$ndocs"
measure "$work/small" 1
measure "$work/large" "$ndocs"
