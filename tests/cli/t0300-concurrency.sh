#!/usr/bin/env bash
# Atomicity and concurrency (issue 3): every action is one commit moved onto the branch with a
# compare-and-swap, so parallel writers never lose an update. Run twice, in a bare repository
# (-C repo.git) and in one with a work tree (the file and the index are updated after the
# commit, under contention):
#  (b) 2 processes x 100 submits on different documents -> 200 new commits, linear history,
#      every document submitted, every commit present once;
#  (c) 8 processes racing for the same transition of one document (started together behind a
#      barrier) -> exactly one winner and one commit; the others exit 1 with "changed since you
#      read it" or a wrong-state refusal;
#  (d) 20 approved documents issued from 5 parallel processes -> register numbers 01..20
#      unique and gap-free in the register and in each document, one commit per issue;
# and `git fsck --strict` clean after each.
. "$(dirname "$0")/lib.sh"

SEED="$EXAMPLES/354-KH-PGDDT.xml"
NDOCS=200       # (b): plan-0 .. plan-199, half for each process
NRACE=5         # (c): race rounds per transition (submit, then review), 8 processes each
RACERS=8
NISSUE=20       # (d): documents issued in parallel
ISSUERS=5
T=120           # no single docket call may hang CI

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# setup REPO [--bare]: organisation, units and the four people of the walk-through
setup() {
	local repo=$1; shift
	expect_exit 0 "$DOCKET" init "$@" "$repo"
	d() { expect_exit 0 timeout $T "$DOCKET" -C "$repo" "$@"; }
	d org set --name "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO" --abbr "PGDĐT" --parent "UBND THÀNH PHỐ CẨM PHẢ" --place "Cẩm Phả"
	d unit add LD --name "Lãnh đạo phòng"
	d unit add CTTT --name "Bộ phận Chính trị tư tưởng" --parent LD
	d unit add VT --name "Văn thư" --parent LD
	d person add admin --name "Đỗ Văn Quản" --position "CHUYÊN VIÊN" --unit LD --role admin
	d --as admin person add hoa --name "Nguyễn Thị Hoa" --position "CHUYÊN VIÊN" --unit CTTT --role drafter
	d --as admin person add minh --name "Trần Văn Minh" --position "TỔ TRƯỞNG CTTT" --unit CTTT --role reviewer
	d --as admin person add lan --name "Lê Thị Lan" --position "PHÓ TRƯỞNG PHÒNG" --unit LD --role approver
	d --as admin person add thu --name "Phạm Thị Thu" --position "VĂN THƯ" --unit VT --role clerk
	enrol "$repo" admin admin hoa minh lan thu # every action is signed by its actor
}

# own_home NAME: a fresh $HOME (keys live in $HOME/.config/docket/keys, one set per
# repository; enrol keeps the test CA but writes its certificates anew)
own_home() {
	export HOME="$WORK/home-$1"
	rm -f "$WORK"/ca/*.crt
	mkdir -p "$HOME"
	git config --global user.name "Docket Test"
	git config --global user.email "test@docket.invalid"
	git config --global init.defaultBranch main
}

# path_of REPO ID: the document's path at main (from the map made by map_paths)
map_paths() { git -C "$1" ls-tree -r --name-only main documents/ | grep "\.xml$" >"$WORK/paths"; }
path_of() { grep "/$2\.xml\$" "$WORK/paths" || fail "$2 is not in the tree of main"; }

# xp REPO ID XPATH: a string from the document at main (namespace-blind XPath)
xp() {
	git -C "$1" cat-file blob "main:$(path_of "$1" "$2")" | xmllint --xpath "$3" - 2>/dev/null || true
}
state_of() { xp "$1" "$2" 'string(/*/*[local-name()="workflow"]/@state)'; }
last_to_of() { xp "$1" "$2" 'string(/*/*[local-name()="workflow"]/*[local-name()="step"][last()]/@to)'; }
number_of() { xp "$1" "$2" 'string(/*/*[local-name()="header"]/*[local-name()="code"]/*[local-name()="number"])'; }
notation_of() { xp "$1" "$2" 'string(/*/*[local-name()="header"]/*[local-name()="code"]/*[local-name()="notation"])'; }

# linear REPO FROM: every commit after FROM on main has exactly one parent, and FROM is an ancestor
linear() {
	git -C "$1" merge-base --is-ancestor "$2" main || fail "$1: $2 is no longer an ancestor of main"
	[ -z "$(git -C "$1" rev-list --min-parents=2 main)" ] || fail "$1: a merge commit on main"
	[ "$(git -C "$1" rev-list --count main)" = "$(git -C "$1" rev-list --first-parent --count main)" ] ||
		fail "$1: history of main is not linear"
}

# clean_worktree REPO: for a work tree, the files and the index agree with main
clean_worktree() {
	[ "$(git -C "$1" rev-parse --is-bare-repository)" = true ] && return 0
	local st
	st=$(git -C "$1" status --porcelain --untracked-files=all)
	[ -z "$st" ] || { echo "$st" | head -20; fail "$1: work tree or index differ from main after $2 ($(echo "$st" | wc -l) paths)"; }
}

# lost REPO: commits written but never published - one per lost compare-and-swap (a retry)
lost() { git -C "$1" fsck --unreachable --no-reflogs --no-progress 2>/dev/null | grep -c '^unreachable commit' || true; }

# barrier: racers spin until $WORK/go-$1 appears
wait_go() { while [ ! -e "$WORK/go-$1" ]; do sleep 0.002; done; }

run_suite() {
	local label=$1 repo=$2; shift 2
	local i k t0 t1 base n p pids

	own_home "$label"
	echo "# --- $label repository: $repo"
	setup "$repo" "$@"

	# (a) the documents, as quickly as one writer can add them
	t0=$(now_ms)
	for ((i = 0; i < NDOCS; i++)); do
		timeout $T "$DOCKET" -C "$repo" --as hoa add --draft --id "plan-$i" "$SEED" >/dev/null ||
			fail "$label: add plan-$i failed"
	done
	for ((k = 0; k < NRACE; k++)); do
		timeout $T "$DOCKET" -C "$repo" --as hoa add --draft --id "race-$k" "$SEED" >/dev/null || fail "add race-$k"
	done
	for ((i = 0; i < NISSUE; i++)); do
		timeout $T "$DOCKET" -C "$repo" --as hoa add --draft --id "iss-$i" "$SEED" >/dev/null || fail "add iss-$i"
	done
	t1=$(now_ms)
	n=$((NDOCS + NRACE + NISSUE))
	echo "# $label: added $n seed-sized drafts in $((t1 - t0)) ms ($((n * 1000 / (t1 - t0 + 1))) adds/s)"
	map_paths "$repo"
	[ "$(wc -l <"$WORK/paths")" = "$n" ] || fail "$label: expected $n documents, got $(wc -l <"$WORK/paths")"
	clean_worktree "$repo" "the adds"
	ok "$label: (a) $n drafts added"

	# (b) 2 processes x 100 submits on different documents, started together
	base=$(git -C "$repo" rev-parse main)
	lost0=$(lost "$repo")
	rm -f "$WORK/go-b" "$WORK"/b-fail-*
	pids=
	for p in 0 1; do
		(
			wait_go b
			lo=$((p * NDOCS / 2)) hi=$(((p + 1) * NDOCS / 2))
			for ((i = lo; i < hi; i++)); do
				rc=0
				timeout $T "$DOCKET" -C "$repo" --as hoa submit "plan-$i" -m "p$p" >/dev/null 2>"$WORK/b-err-$p" || rc=$?
				[ $rc = 0 ] || { echo "plan-$i exit $rc: $(cat "$WORK/b-err-$p")" >>"$WORK/b-fail-$p"; }
			done
		) &
		pids="$pids $!"
	done
	t0=$(now_ms)
	touch "$WORK/go-b"
	wait $pids
	t1=$(now_ms)
	if ls "$WORK"/b-fail-* >/dev/null 2>&1; then
		head -20 "$WORK"/b-fail-*
		fail "$label: (b) $(cat "$WORK"/b-fail-* | wc -l) of $NDOCS submits failed"
	fi
	echo "# $label: (b) $NDOCS submits by 2 processes in $((t1 - t0)) ms ($((NDOCS * 1000 / (t1 - t0 + 1))) actions/s)," \
		"$(($(lost "$repo") - lost0)) lost compare-and-swaps retried"
	n=$(git -C "$repo" rev-list --count "$base..main")
	[ "$n" = "$NDOCS" ] || fail "$label: (b) expected $NDOCS new commits on main, got $n"
	linear "$repo" "$base"
	# every commit present exactly once: one submit commit per document, trailers included
	git -C "$repo" log --format='%(trailers:key=Docket-Document,valueonly,separator=%x2C)%x09%(trailers:key=Docket-Transition,valueonly,separator=%x2C)' \
		"$base..main" | sort >"$WORK/b-trailers"
	for ((i = 0; i < NDOCS; i++)); do printf 'plan-%d\tsubmit\n' "$i"; done | sort >"$WORK/b-want"
	diff "$WORK/b-want" "$WORK/b-trailers" >/dev/null ||
		{ diff "$WORK/b-want" "$WORK/b-trailers" | head; fail "$label: (b) the commits are not one submit per document"; }
	map_paths "$repo"
	for ((i = 0; i < NDOCS; i++)); do
		s=$(state_of "$repo" "plan-$i")
		[ "$s" = submitted ] || fail "$label: (b) plan-$i is '$s', expected submitted"
		[ "$(last_to_of "$repo" "plan-$i")" = submitted ] || fail "$label: (b) plan-$i: last step is not to submitted"
	done
	fsck_clean "$repo"
	clean_worktree "$repo" "(b)"
	ok "$label: (b) 2 x $((NDOCS / 2)) parallel submits: $NDOCS commits, linear, all submitted, fsck clean"

	# (c) 8 processes racing for the same transition of one document
	race() { # ROUND ACTOR TRANSITION DOC WANT_FROM WANT_TO
		local round=$1 actor=$2 tr=$3 doc=$4 from=$5 to=$6 r wins=0 losses=0 before
		before=$(git -C "$repo" rev-parse main)
		rm -f "$WORK/go-$round" "$WORK"/rc-"$round"-* "$WORK"/err-"$round"-*
		pids=
		for ((r = 0; r < RACERS; r++)); do
			(
				wait_go "$round"
				rc=0
				timeout $T "$DOCKET" -C "$repo" --as "$actor" "$tr" "$doc" -m "racer $r" \
					>/dev/null 2>"$WORK/err-$round-$r" || rc=$?
				echo $rc >"$WORK/rc-$round-$r"
			) &
			pids="$pids $!"
		done
		sleep 0.2 # let every racer reach the barrier
		touch "$WORK/go-$round"
		wait $pids
		for ((r = 0; r < RACERS; r++)); do
			case $(cat "$WORK/rc-$round-$r") in
			0) wins=$((wins + 1)) ;;
			1)
				losses=$((losses + 1))
				if grep -q "changed since you read it" "$WORK/err-$round-$r"; then
					LOST_CAS=$((LOST_CAS + 1))
				elif grep -q "state is '$to', expected '$from'" "$WORK/err-$round-$r"; then
					LOST_STATE=$((LOST_STATE + 1))
				else
					cat "$WORK/err-$round-$r"
					fail "$label: (c) $round: racer $r exit 1 without 'changed since you read it' or a wrong-state refusal"
				fi ;;
			*) cat "$WORK/err-$round-$r"; fail "$label: (c) $round: racer $r exit $(cat "$WORK/rc-$round-$r")" ;;
			esac
		done
		[ $wins = 1 ] && [ $losses = $((RACERS - 1)) ] ||
			{ cat "$WORK"/err-"$round"-*; fail "$label: (c) $round: $wins winners, $losses losers"; }
		[ "$(git -C "$repo" rev-list --count "$before..main")" = 1 ] || fail "$label: (c) $round: not exactly one new commit"
		[ "$(git -C "$repo" rev-parse main^)" = "$before" ] || fail "$label: (c) $round: the commit is not on the old tip"
		git -C "$repo" log -1 --format=%B main | grep -qx "Docket-Transition: $tr" || fail "$label: (c) $round: wrong commit"
		[ "$(state_of "$repo" "$doc")" = "$to" ] || fail "$label: (c) $round: $doc is not $to"
		[ "$(xp "$repo" "$doc" "count(/*/*[local-name()=\"workflow\"]/*[local-name()=\"step\"][@transition=\"$tr\"])")" = 1 ] ||
			fail "$label: (c) $round: $doc has more than one $tr step"
	}
	LOST_CAS=0 LOST_STATE=0
	base=$(git -C "$repo" rev-parse main)
	lost0=$(lost "$repo")
	for ((k = 0; k < NRACE; k++)); do race "s$k" hoa submit "race-$k" draft submitted; done
	for ((k = 0; k < NRACE; k++)); do race "r$k" minh review "race-$k" submitted reviewed; done
	[ "$(git -C "$repo" rev-list --count "$base..main")" = $((2 * NRACE)) ] || fail "$label: (c) commit count"
	linear "$repo" "$base"
	fsck_clean "$repo"
	clean_worktree "$repo" "(c)"
	echo "# $label: (c) $((2 * NRACE)) races x $RACERS: losers saw 'changed since you read it' $LOST_CAS times, a wrong-state refusal $LOST_STATE times;" \
		"$(($(lost "$repo") - lost0)) commits written by losers and never published"
	ok "$label: (c) $((2 * NRACE)) races of $RACERS processes: one winner, one commit each"

	# (d) issue race: 20 approved documents issued from 5 parallel processes
	for ((i = 0; i < NISSUE; i++)); do
		for a in "hoa submit" "minh review" "lan approve"; do
			set -- $a
			timeout $T "$DOCKET" -C "$repo" --as "$1" "$2" "iss-$i" >/dev/null || fail "$label: $2 iss-$i"
		done
	done
	base=$(git -C "$repo" rev-parse main)
	lost0=$(lost "$repo")
	rm -f "$WORK/go-d" "$WORK"/d-fail-*
	pids=
	for ((p = 0; p < ISSUERS; p++)); do
		(
			wait_go d
			for ((i = p; i < NISSUE; i += ISSUERS)); do
				rc=0
				timeout $T "$DOCKET" -C "$repo" --as thu issue "iss-$i" >/dev/null 2>"$WORK/d-err-$p" || rc=$?
				[ $rc = 0 ] || echo "iss-$i exit $rc: $(cat "$WORK/d-err-$p")" >>"$WORK/d-fail-$p"
			done
		) &
		pids="$pids $!"
	done
	sleep 0.2
	t0=$(now_ms)
	touch "$WORK/go-d"
	wait $pids
	t1=$(now_ms)
	if ls "$WORK"/d-fail-* >/dev/null 2>&1; then
		cat "$WORK"/d-fail-*
		fail "$label: (d) some issues failed"
	fi
	echo "# $label: (d) $NISSUE issues by $ISSUERS processes in $((t1 - t0)) ms, $(($(lost "$repo") - lost0)) lost compare-and-swaps retried"
	[ "$(git -C "$repo" rev-list --count "$base..main")" = $NISSUE ] || fail "$label: (d) expected $NISSUE commits"
	linear "$repo" "$base"
	reg=$(git -C "$repo" ls-tree -r --name-only main .docket/register/)
	[ "$(echo "$reg" | wc -l)" = 1 ] || fail "$label: (d) expected one register file, got: $reg"
	git -C "$repo" cat-file blob "main:$reg" >"$WORK/register"
	[ "$(wc -l <"$WORK/register")" = $NISSUE ] || { cat "$WORK/register"; fail "$label: (d) register has not $NISSUE lines"; }
	cut -f1 "$WORK/register" >"$WORK/reg-numbers"
	seq -f %02g 1 $NISSUE | diff - "$WORK/reg-numbers" >/dev/null ||
		{ cat "$WORK/register"; fail "$label: (d) register numbers are not 01..$NISSUE in order"; }
	cut -f3 "$WORK/register" | sort >"$WORK/reg-ids"
	for ((i = 0; i < NISSUE; i++)); do echo "iss-$i"; done | sort | diff - "$WORK/reg-ids" >/dev/null ||
		{ cat "$WORK/register"; fail "$label: (d) register does not list each document once"; }
	map_paths "$repo"
	while IFS=$'\t' read -r num nota id day; do
		[ "$(number_of "$repo" "$id")" = "$num" ] || fail "$label: (d) $id: header number '$(number_of "$repo" "$id")', register '$num'"
		[ "$(notation_of "$repo" "$id")" = "$nota" ] || fail "$label: (d) $id: notation differs from the register"
		[ "$(state_of "$repo" "$id")" = issued ] || fail "$label: (d) $id is not issued"
	done <"$WORK/register"
	# one commit per issue, in register order, each touching that document and the register
	git -C "$repo" log --reverse --format='%(trailers:key=Docket-Number,valueonly,separator=%x2C)' "$base..main" |
		cut -d/ -f1 | diff "$WORK/reg-numbers" - >/dev/null || fail "$label: (d) the commits' Docket-Number are not 01..$NISSUE in order"
	for c in $(git -C "$repo" rev-list "$base..main"); do
		[ "$(git -C "$repo" diff-tree --no-commit-id --name-only -r "$c" | wc -l)" = 2 ] ||
			fail "$label: (d) commit $c does not change exactly the document and the register"
	done
	fsck_clean "$repo"
	clean_worktree "$repo" "(d)"
	ok "$label: (d) $NISSUE parallel issues: numbers 01..$NISSUE unique and gap-free, one commit each, fsck clean"
}

run_suite bare "$WORK/bare.git" --bare
run_suite work-tree "$WORK/work"
