#!/usr/bin/env bash
# Long fuzzing runs (tests/fuzz/README.md): each harness for SECONDS (default 3600), one after
# the other, on a corpus in $WORK/<harness> that grows from run to run; crashes land in
# $WORK/crashes/<harness>/ - copy each into tests/fuzz/regress/<harness>/ with its fix.
# usage: bench/fuzz.sh [SECONDS [HARNESS...]]     BUILD=build-fuzz (made here with clang when
#        missing), WORK=/tmp/docket-fuzz, JOBS=1
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-3600}
shift || true
harnesses=${*:-doc config verify history diff}
build=${BUILD:-$here/build-fuzz}
work=${WORK:-/tmp/docket-fuzz}
if [ ! -f "$build/CMakeCache.txt" ]; then
	CC=clang cmake -S "$here" -B "$build" -DDOCKET_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build "$build" -j2 --target $(for h in $harnesses; do printf 'docket-fuzz-%s ' "$h"; done) >/dev/null

seed() { # HARNESS DIR: the seed corpus, made once
	local h=$1 d=$2 f
	mkdir -p "$d"
	[ -z "$(ls -A "$d")" ] || return 0
	case $h in
	doc)
		for f in "$here"/tests/resources/valid/*.xml "$here"/tests/resources/invalid/*.xml \
			"$here"/tests/resources/hostile/*.xml "$here"/examples/*.xml; do
			cp "$f" "$d/$(basename "$(dirname "$f")")-$(basename "$f")"
		done ;;
	verify) cp "$here"/tests/page/fixtures/kh-2021-354-issued.xml "$here"/tests/resources/sign/*.xml "$d"/ ;;
	config)
		cp "$here"/tests/fuzz/seeds/config/* "$d"/
		for f in "$here"/workflows/*.xml "$here"/tests/resources/*/workflow*.xml; do
			[ -f "$f" ] && { printf '\0'; cat "$f"; } >"$d/wf-$(basename "$f")"
		done ;;
	history) cp "$here"/tests/fuzz/seeds/history/* "$d"/ ;;
	diff) cp "$here"/tests/fuzz/seeds/diff/* "$here"/tests/resources/valid/*.xml "$d"/ ;;
	esac
	cp "$here"/tests/fuzz/regress/"$h"/* "$d"/ 2>/dev/null || true
}

status=0
for h in $harnesses; do
	seed "$h" "$work/$h"
	mkdir -p "$work/crashes/$h"
	echo "fuzz: $h for ${secs}s"
	(cd "$work/crashes/$h" && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		"$build/tests/fuzz/docket-fuzz-$h" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 \
		-max_len=262144 -jobs="${JOBS:-1}" -workers="${JOBS:-1}" -print_final_stats=1 "$work/$h" \
		>"$work/$h.log" 2>&1) || status=1
	grep -E '^stat::number_of_executed_units|^stat::new_units_added|SUMMARY|^#[0-9]+ +DONE' "$work/$h.log" || true
	ls "$work/crashes/$h" | grep -E '^(crash|leak|timeout|oom)-' && status=1
done
exit $status
