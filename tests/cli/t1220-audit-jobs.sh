#!/usr/bin/env bash
# The audit's verdicts do not depend on the number of threads (issue 11): the crafted
# histories of t0500-audit, t0520-audit-many-signatures and t0530-forgery are replayed with
# DOCKET set to a wrapper that, at every `docket audit` those tests run, first runs the same
# audit with --jobs 1, --jobs 2 and --jobs 4 (each from scratch: --no-cache, and a known-head
# file of its own so the tests' own state is untouched), and compares stdout, stderr and
# the exit status byte for byte - the findings and notes in --json and in text, in history
# order - before running the test's command as it was. Any difference, and any of the three
# tests failing, fails this test; so does a wrapper that compared nothing.
. "$(dirname "$0")/lib.sh"

REAL=$DOCKET
V=$WORK/variants
mkdir -p "$WORK/bin" "$V"
cat >"$WORK/bin/docket" <<'WRAP'
#!/usr/bin/env bash
# docket, with every audit first run by 1, 2 and 4 threads and the three compared
real=$DOCKET_JOBS_REAL
v=$DOCKET_JOBS_DIR
is_audit=0 skip=0 prev=
for a in "$@"; do
	case $prev in -C|--as|--key) prev=; continue ;; esac
	case $a in
	-C|--as|--key) prev=$a ;;
	-*) ;;
	audit) is_audit=1; break ;;
	*) break ;;
	esac
done
for a in "$@"; do
	case $a in --known-head|--known-head=*|-h|--help) skip=1 ;; esac
done
# the repository's history index is state an audit reads (a rewrite since it was built is
# reported once, by whoever updates it): each run starts from the index as it was, and the
# test's own command too
dir=.
prev=
for a in "$@"; do
	case $prev in -C) dir=$a ;; esac
	prev=$a
	[ "$a" = audit ] && break
done
gitdir=$(git -C "$dir" rev-parse --absolute-git-dir 2>/dev/null) || gitdir=
if [ $is_audit = 1 ] && [ $skip = 0 ] && [ -n "$gitdir" ]; then
	n=$(mktemp -d "$v/run.XXXXXX")
	printf '%q ' "$@" >"$n/args"
	[ -f "$gitdir/docket/history" ] && cp -p "$gitdir/docket/history" "$n/index"
	for j in 1 2 4; do
		rc=0
		if [ -f "$n/index" ]; then cp -p "$n/index" "$gitdir/docket/history"; else rm -f "$gitdir/docket/history"; fi
		"$real" "$@" --no-cache --jobs $j --known-head "$n/head.$j" >"$n/out.$j" 2>"$n/err.$j" </dev/null || rc=$?
		echo $rc >"$n/rc.$j"
	done
	if [ -f "$n/index" ]; then cp -p "$n/index" "$gitdir/docket/history"; else rm -f "$gitdir/docket/history"; fi
	for j in 2 4; do
		for f in out err rc; do
			cmp -s "$n/$f.1" "$n/$f.$j" || echo "$f differs between --jobs 1 and --jobs $j" >>"$n/MISMATCH"
		done
	done
fi
exec "$real" "$@"
WRAP
chmod +x "$WORK/bin/docket"

for t in t0500-audit t0520-audit-many-signatures t0530-forgery; do
	DOCKET=$WORK/bin/docket DOCKET_JOBS_REAL=$REAL DOCKET_JOBS_DIR=$V \
		bash "$DOCKET_SRC/tests/cli/$t.sh" >"$WORK/$t.log" 2>&1 ||
		{ tail -30 "$WORK/$t.log"; fail "$t failed under the wrapper"; }
	ok "$t passes with every audit also run by 1, 2 and 4 threads"
done

runs=$(find "$V" -name args | wc -l)
findings=$(cat "$V"/run.*/out.1 | grep -c '"kind"\|^[a-z-]*: [0-9a-f]\{12\}' || true)
json=$(grep -l -- '--json' "$V"/run.*/args | wc -l)
[ "$runs" -ge 40 ] || fail "only $runs audits were compared"
[ "$json" -ge 10 ] || fail "only $json audits with --json were compared"
[ "$findings" -ge 40 ] || fail "the compared audits reported only $findings findings: the crafted histories were not reached"
if ls "$V"/run.*/MISMATCH >/dev/null 2>&1; then
	for m in "$V"/run.*/MISMATCH; do
		d=$(dirname "$m")
		echo "--- docket $(cat "$d/args")"; cat "$m"
		diff "$d/out.1" "$d/out.2" | head -20 || true
		diff "$d/err.1" "$d/err.2" | head -20 || true
	done
	fail "the audit's output depends on the number of threads"
fi
ok "$runs audits ($json with --json, $findings findings and notes in all) identical with 1, 2 and 4 threads"
