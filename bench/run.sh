#!/usr/bin/env bash
# docket's scale benchmarks (issue 11: province scale). Builds three histories with bench/gen.c
# — an "empty" one (one document), a small one (NDOCS/10) and the full one (NDOCS): unit plans
# of NUNITS schools, five commits each (add, submit, review, approve, issue), three real ECDSA
# signatures each — and measures, side by side in one run, every row of the issue's table
# against its reference, printing each ratio:
#   row_action     `add --draft` + `submit` of one plan, full repository against the empty one
#   row_git        the same two commits against git's CLI (`add` + `commit` twice in a work tree)
#   row_show       `show ID`, `status ID`: time and memory at both sizes
#   row_issue      `issue` (numbering) of an approved plan, full against empty
#   row_aggregate  `aggregate` of a plan, full against empty
#   row_validate   `validate --all` against `xmllint --noout --schema` over the same files
#   row_memory     peak memory of an action, show, status, validate --all at both sizes
#   row_log        the first and the warm `docket log DOC` against `git log -- PATH`
#   row_audit      `audit --no-cache` against `openssl speed` for as many verifications
#   row_reaudit    a re-audit after 100 new commits (the verdict cache)
# Each row is a function of its own (others add theirs beside: list them in ROWS). Whole-
# process figures: wall seconds (median of RUNS runs) and peak resident memory from
# /usr/bin/time. Nothing is asserted: the machines are shared and noisy.
#
# usage: bench/run.sh [NDOCS [NUNITS]]    default 100000 documents (500,000 commits), 1500 schools
#   BUILD=build (docket, docket-bench-gen; NO_BUILD=1: as they are)  WORK=/tmp/docket-bench  RUNS=3
#   ROWS="row_action row_show ..." to run some rows only; KEEP_HISTORY=1 reuses the histories
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
ndocs=${1:-100000}
nunits=${2:-1500}
build=${BUILD:-$here/../build}
work=${WORK:-/tmp/docket-bench}
runs=${RUNS:-3}
docket=$build/docket
small=$((ndocs / 10))
[ "$small" -ge 1 ] || small=1
[ -n "${NO_BUILD-}" ] || cmake --build "$build" --target docket docket-bench-gen >/dev/null
export DOCKET_PASSPHRASE=bench-passphrase GIT_CONFIG_NOSYSTEM=1

# --- measuring ---------------------------------------------------------------------------------

# time_one CMD...: "seconds peakKiB anonKiB" of one run (stdout and stderr dropped; exit 0 or 1
# expected): wall time, the peak resident memory of the largest process (getrusage, as
# /usr/bin/time -v reports it: the heap and the pages of pack files libgit2 maps), and the
# peak anonymous memory (the heap alone, polled from /proc every 20 ms over the process tree)
time_one() {
	python3 - "$work/stderr.$$" "$@" <<'PY'
import os, subprocess, sys, time
err = open(sys.argv[1], "wb")
t = time.perf_counter()
p = subprocess.Popen(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=err)
def tree(root):
    kids = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                ppid = int(open(f"/proc/{d}/stat").read().rsplit(")", 1)[1].split()[1])
                kids.setdefault(ppid, []).append(int(d))
            except (OSError, IndexError, ValueError):
                pass
    out, todo = [], [root]
    while todo:
        x = todo.pop(); out.append(x); todo += kids.get(x, [])
    return out
anon = 0
while True:
    # the child's own rusage (wait4): RUSAGE_CHILDREN would also count what the shell ran
    # before it exec'd this script (the arguments' command substitutions: git rev-list...)
    pid, status, ru = os.wait4(p.pid, os.WNOHANG)
    if pid:
        p.returncode = os.waitstatus_to_exitcode(status)
        break
    for pid in tree(p.pid):
        try:
            for line in open(f"/proc/{pid}/status"):
                if line.startswith("RssAnon:"):
                    anon = max(anon, int(line.split()[1]))
        except OSError:
            pass
    time.sleep(0.02)
dt = time.perf_counter() - t
if p.returncode not in (0, 1):
    sys.stderr.write(open(sys.argv[1]).read()); sys.stderr.write(f"bench: failed ({p.returncode}): {sys.argv[2:]}\n")
    sys.exit(1)
print(f"{dt:.3f} {ru.ru_maxrss} {anon}")
PY
}

# measure CMD...: the median seconds and the median peak KiB of RUNS runs
measure() {
	local i
	for i in $(seq 1 "$runs"); do time_one "$@"; done |
		python3 -c 'import sys, statistics as s
r = [l.split() for l in sys.stdin]
print(f"{s.median(float(x[0]) for x in r):.3f} {int(s.median(int(x[1]) for x in r))} {int(s.median(int(x[2]) for x in r))}")'
}

calc() { python3 -c "print(round($1, 2))"; }
mib() { echo $(($1 / 1024)); }
row() { printf '%-44s %s\n' "$1" "$2"; }

# --- the histories -------------------------------------------------------------------------------

# build_history NAME NDOCS: WORK/NAME/repo.git, keys in WORK/NAME/keys
build_history() {
	local dir=$work/$1 t0
	if [ -n "${KEEP_HISTORY-}" ] && [ -d "$dir/repo.git" ]; then
		echo "history $1: kept, $(git -C "$dir/repo.git" rev-list --count main) commits"
		return
	fi
	rm -rf "$dir"
	mkdir -p "$dir"
	"$docket" init --bare "$dir/repo.git" >/dev/null
	t0=$(date +%s.%N)
	"$build/docket-bench-gen" "$dir/keys" "$2" "$nunits" | git -C "$dir/repo.git" fast-import --quiet
	git -C "$dir/repo.git" repack -adq
	echo "history $1: $2 documents, $(git -C "$dir/repo.git" rev-list --count main) commits," \
		"$(du -sh "$dir/repo.git" | cut -f1) on disk, built in $(calc "$(date +%s.%N) - $t0") s"
}

repo_of() { echo "$work/$1/repo.git"; }
ndocs_of() { case $1 in empty) echo 1 ;; small) echo "$small" ;; full) echo "$ndocs" ;; esac; }

# doc_id I / doc_path I: document I of a history, as bench/gen.c names it
doc_id() { printf 'kh-%d-s%04d-%d' $((2021 + ($1 / nunits) % 10)) $(($1 % nunits)) "$1"; }
doc_path() {
	printf 'documents/plan/%d/S%04d/%s.xml' $((2021 + ($1 / nunits) % 10)) $(($1 % nunits)) "$(doc_id "$1")"
}

# a fresh plan for `add`: document 0 as it was added, under a new id
seq_no=0
new_plan() { # NAME -> prints a file with a new id
	local r f id
	r=$(repo_of "$1")
	seq_no=$((seq_no + 1))
	id="kh-bench-$1-$seq_no-$$"
	f=$work/$id.xml
	git -C "$r" show "$(git -C "$r" rev-list --reverse main | sed -n 3p):$(doc_path 0)" |
		sed "s/$(doc_id 0)/$id/" >"$f"
	echo "$f"
}

# one action of the drafter of school 0: add --draft, then submit (two commits)
act() { # REPO FILE
	local id
	id=$(basename "$2" .xml)
	DOCKET_KEY=$work/$(basename "$(dirname "$1")")/keys/keys/d0000.pem "$docket" -C "$1" --as d0000 add --draft "$2" &&
	DOCKET_KEY=$work/$(basename "$(dirname "$1")")/keys/keys/d0000.pem "$docket" -C "$1" --as d0000 submit "$id"
}
export -f act
export docket work
export AUDIT_JSON=$work/audit.json

# --- the rows ------------------------------------------------------------------------------------

row_action() {
	echo
	echo "== add --draft + submit of one plan (two commits): full repository against the empty one"
	local e=0 f=0 i
	# side by side, each run on a fresh id
	for i in $(seq 1 "$runs"); do
		read -r s m a < <(time_one bash -c 'act "$1" "$2"' _ "$(repo_of empty)" "$(new_plan empty)")
		e="$e $s:$m:$a"
		read -r s m a < <(time_one bash -c 'act "$1" "$2"' _ "$(repo_of full)" "$(new_plan full)")
		f="$f $s:$m:$a"
	done
	read -r e_s e_m e_a < <(med_pairs $e)
	read -r f_s f_m f_a < <(med_pairs $f)
	row "empty repository (1 document):" "$e_s s, $(mib "$e_m") MiB"
	row "full repository ($ndocs documents):" "$f_s s, $(mib "$f_m") MiB"
	row "ratio full / empty:" "$(calc "$f_s / $e_s") (goal <= 1.2)"
	action_s=$f_s
}

# med_pairs 0 S:M S:M ...: the medians
med_pairs() {
	shift
	printf '%s\n' "$@" | python3 -c 'import sys, statistics as s
r = [l.strip().split(":") for l in sys.stdin if l.strip()]
print(f"{s.median(float(x[0]) for x in r):.3f} {int(s.median(int(x[1]) for x in r))} {int(s.median(int(x[2]) for x in r))}")'
}

row_git() {
	echo
	echo "== the same two commits: docket against git's CLI in a work tree of the full repository"
	local wt=$work/full/worktree g=0 d=0 i
	[ -d "$wt" ] || git clone -q "$(repo_of full)" "$wt"
	git -C "$wt" config user.name Bench && git -C "$wt" config user.email bench@bench.invalid
	for i in $(seq 1 "$runs"); do
		local f
		f=$(new_plan full)
		read -r s m a < <(time_one bash -c 'act "$1" "$2"' _ "$(repo_of full)" "$f")
		d="$d $s:$m:$a"
		cp "$f" "$wt/git-bench.xml"
		read -r s m a < <(time_one bash -c 'cd "$1" && git add git-bench.xml && git commit -qm one &&
			echo "<!-- two -->" >> git-bench.xml && git add git-bench.xml && git commit -qm two' _ "$wt")
		g="$g $s:$m:$a"
	done
	read -r d_s d_m d_a < <(med_pairs $d)
	read -r g_s g_m g_a < <(med_pairs $g)
	row "docket add --draft + submit:" "$d_s s"
	row "git add + commit, twice:" "$g_s s"
	row "ratio docket / git:" "$(calc "$d_s / $g_s") (goal <= 0.1)"
}

row_show() {
	echo
	echo "== show ID, status ID at $small and $ndocs documents"
	local n id
	# the first lookup builds the id index (once per clone): timed apart
	rm -f "$(repo_of full)/docket/ids"
	read -r s m a < <(time_one "$docket" -C "$(repo_of full)" show "$(doc_id 1)")
	row "first show, full (builds the id index):" "$s s, $(mib "$m") MiB"
	for name in small full; do
		n=$(ndocs_of $name)
		id=$(doc_id $((n / 2)))
		read -r s_s s_m s_a < <(measure "$docket" -C "$(repo_of $name)" show "$id")
		read -r t_s t_m t_a < <(measure "$docket" -C "$(repo_of $name)" status "$id")
		row "show at $n documents:" "$s_s s, $(mib "$s_m") MiB"
		row "status at $n documents:" "$t_s s, $(mib "$t_m") MiB"
		eval "show_$name=$s_s status_$name=$t_s"
	done
	row "ratio show full / small:" "$(calc "$show_full / $show_small") (goal <= 1.2)"
	row "ratio status full / small:" "$(calc "$status_full / $status_small") (goal <= 1.2)"
}

# approved plans to issue: RUNS more documents of each history brought to approved
extended=
extend() {
	[ -z "$extended" ] || return 0
	local name n
	for name in empty full; do
		n=$(ndocs_of $name)
		"$build/docket-bench-gen" "$work/$name/keys" "$runs" "$nunits" "$n" | git -C "$(repo_of $name)" fast-import --quiet
	done
	extended=1
}

row_issue() {
	echo
	echo "== issue (numbering, signed by the clerk) of an approved plan: full against empty"
	extend
	local e=0 f=0 i n
	for i in $(seq 0 $((runs - 1))); do
		for name in empty full; do
			n=$(ndocs_of $name)
			read -r s m a < <(time_one env DOCKET_KEY="$work/$name/keys/keys/thu.pem" \
				"$docket" -C "$(repo_of $name)" --as thu issue "$(doc_id $((n + i)))")
			[ $name = empty ] && e="$e $s:$m:$a" || f="$f $s:$m:$a"
		done
	done
	read -r e_s e_m e_a < <(med_pairs $e)
	read -r f_s f_m f_a < <(med_pairs $f)
	row "issue, empty repository:" "$e_s s, $(mib "$e_m") MiB"
	row "issue, full repository:" "$f_s s, $(mib "$f_m") MiB"
	row "ratio full / empty:" "$(calc "$f_s / $e_s") (goal <= 1.2)"
}

row_aggregate() {
	echo
	echo "== aggregate of school 0's plan (the department's report drafted): full against empty"
	local e=0 f=0 i
	# the first builds the reference index (once per clone, as the history index): timed apart
	rm -f "$(repo_of full)/docket/refs"
	read -r s m a < <(time_one env DOCKET_KEY="$work/full/keys/keys/d0000.pem" \
		"$docket" -C "$(repo_of full)" --as d0000 aggregate --plan "$(doc_id 0)" --year 2021)
	row "first aggregate, full (builds the index):" "$s s, $(mib "$m") MiB"
	for i in $(seq 1 "$runs"); do
		for name in empty full; do
			read -r s m a < <(time_one env DOCKET_KEY="$work/$name/keys/keys/d0000.pem" \
				"$docket" -C "$(repo_of $name)" --as d0000 aggregate --plan "$(doc_id 0)" --year 2021)
			[ $name = empty ] && e="$e $s:$m:$a" || f="$f $s:$m:$a"
		done
	done
	read -r e_s e_m e_a < <(med_pairs $e)
	read -r f_s f_m f_a < <(med_pairs $f)
	row "aggregate, empty repository:" "$e_s s, $(mib "$e_m") MiB"
	row "aggregate, full repository:" "$f_s s, $(mib "$f_m") MiB"
	row "ratio full / empty:" "$(calc "$f_s / $e_s") (goal <= 1.2)"
}

row_validate() {
	echo
	echo "== validate --all against xmllint --noout --schema over the same files"
	local dir=$work/full/files n
	rm -rf "$dir" && mkdir -p "$dir"
	git -C "$(repo_of full)" archive main documents .docket/schemas | tar -x -C "$dir"
	n=$(find "$dir/documents" -name '*.xml' | wc -l)
	read -r v_s v_m v_a < <(measure "$docket" -C "$(repo_of full)" validate --all)
	read -r x_s x_m x_a < <(measure bash -c 'cd "$1" && find documents -name "*.xml" -print0 |
		xargs -0 xmllint --noout --schema .docket/schemas/docket.xsd 2>/dev/null; exit 0' _ "$dir")
	row "docket validate --all ($n documents):" "$v_s s, $(mib "$v_m") MiB ($(mib "$v_a") MiB heap)"
	row "xmllint --noout --schema:" "$x_s s, $(mib "$x_m") MiB"
	row "ratio docket / xmllint:" "$(calc "$v_s / $x_s") (goal <= 0.5)"
	rm -rf "$dir"
}

row_memory() {
	echo
	echo "== peak memory at $small and $ndocs documents (goal: within 1.2x)"
	local n id name
	for name in small full; do
		n=$(ndocs_of $name)
		id=$(doc_id $((n / 3)))
		read -r _ a_m a_a < <(time_one bash -c 'act "$1" "$2"' _ "$(repo_of $name)" "$(new_plan $name)")
		read -r _ s_m s_a < <(time_one "$docket" -C "$(repo_of $name)" show "$id")
		read -r _ t_m t_a < <(time_one "$docket" -C "$(repo_of $name)" status "$id")
		read -r _ v_m v_a < <(time_one "$docket" -C "$(repo_of $name)" validate --all)
		eval "mem_$name='$a_m $s_m $t_m $v_m' anon_$name='$a_a $s_a $t_a $v_a'"
	done
	python3 - "$small" "$ndocs" $mem_small $mem_full $anon_small $anon_full <<'PY'
import sys
s, f = sys.argv[1], sys.argv[2]
v = [int(x) for x in sys.argv[3:]]
a, b, c, d = v[0:4], v[4:8], v[8:12], v[12:16]
for i, name in enumerate(["add --draft + submit", "show", "status", "validate --all"]):
    print(f"{name + ':':28} peak RSS {a[i] // 1024} MiB at {s}, {b[i] // 1024} MiB at {f} (ratio {b[i] / a[i]:.2f}); "
          f"heap {c[i] // 1024} MiB, {d[i] // 1024} MiB (ratio {d[i] / max(c[i], 1):.2f})")
PY
}

row_log() {
	echo
	echo "== one document's history: docket log DOC against git log -- PATH"
	local mid=$((ndocs / 2)) r
	r=$(repo_of full)
	rm -f "$r/docket/history"
	read -r g_s g_m g_a < <(time_one git -C "$r" log --format=%H -- "$(doc_path $mid)")
	read -r c_s c_m c_a < <(time_one "$docket" -C "$r" log "$(doc_id $mid)")
	read -r w_s w_m w_a < <(measure "$docket" -C "$r" log "$(doc_id $mid)")
	row "git log -- PATH:" "$g_s s"
	row "docket log DOC (first: builds the index):" "$c_s s   ratio $(calc "$c_s / $g_s") (goal <= 2)"
	row "docket log DOC (warm):" "$w_s s   ratio $(calc "$w_s / $g_s")"
}

row_audit() {
	echo
	echo "== the whole audit: audit --no-cache against openssl speed"
	local r trust
	r=$(repo_of full)
	trust=$work/full/keys/ca/ca.pem
	# one run, timed, its JSON kept for the counts
	read -r a_s a_m a_a < <(time_one bash -c '"$0" "$@" >"$AUDIT_JSON"' "$docket" -C "$r" audit --trust "$trust" --no-cache --json)
	read -r nsig nfind ncommits < <(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["signatures"], len(d["findings"]), d["commits"])' "$work/audit.json")
	vps=$(openssl speed -seconds 3 ecdsap256 2>/dev/null | awk '/256 bits ecdsa \(nistp256\)/ {print $NF}')
	ossl=$(calc "$nsig / $vps")
	row "docket audit --no-cache:" "$a_s s, $(mib "$a_m") MiB: $ncommits commits, $nsig signatures, $nfind findings"
	row "openssl alone, one core:" "$ossl s for $nsig ECDSA P-256 verifications ($vps/s)"
	row "ratio audit / openssl on $(nproc) cores:" "$(calc "$a_s / ($ossl / $(nproc))") (goal <= 1.25)"
	audit_s=$a_s
}

row_reaudit() {
	echo
	echo "== re-audit after 100 new commits"
	local r trust
	r=$(repo_of full)
	trust=$work/full/keys/ca/ca.pem
	"$docket" -C "$r" audit --trust "$trust" >/dev/null 2>&1 || true
	"$build/docket-bench-gen" "$work/full/keys" 25 "$nunits" $((ndocs + 1000)) | git -C "$r" fast-import --quiet
	read -r r_s r_m r_a < <(time_one "$docket" -C "$r" audit --trust "$trust")
	row "docket audit (cached):" "$r_s s for the 100 new commits"
}

# --- the run -------------------------------------------------------------------------------------
echo "== docket benchmarks: $ndocs and $small documents, $nunits schools; $(nproc) cores, $(uname -m)," \
	"$(date -u +%Y-%m-%dT%H:%MZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
build_history empty 1
build_history small "$small"
build_history full "$ndocs"
for r in ${ROWS:-row_action row_git row_show row_issue row_aggregate row_validate row_memory row_log row_audit row_reaudit}; do
	"$r"
done
