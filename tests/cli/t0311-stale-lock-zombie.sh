#!/usr/bin/env bash
# A docket killed while it held refs/heads/main.lock is dead even before anyone reaps it: when
# its parent died with it, the kernel keeps it as a zombie until init collects it, and
# kill(pid, 0) still succeeds on a zombie. The next action must take such an owner record as a
# dead docket's, remove the lock, say so and commit (t0310 met this now and then under load);
# a lock whose recorded owner is alive is still left alone.
. "$(dirname "$0")/lib.sh"

R=$WORK/repo
d() { "$DOCKET" -C "$R" "$@"; }
export DOCKET_NOW=2021-05-11T08:00:00+07:00
expect_exit 0 "$DOCKET" init "$R"
expect_exit 0 d unit add CTTT --name "Bộ phận Chính trị tư tưởng"
expect_exit 0 d person add hoa --name "Nguyễn Thị Hoa" --position "CHUYÊN VIÊN" --unit CTTT --role drafter
expect_exit 0 d --as hoa add --draft "$EXAMPLES/354-KH-PGDDT.xml"
G=$R/.git
before=$(git -C "$R" rev-parse main)

# owner PID: the record a docket writes while it moves the branch, and the lock it holds
owner() {
	printf '%s %s %s refs/heads/main\n' "$1" "$(uname -n)" "$(date +%s)" >"$G/docket-branch-owner"
	: >"$G/refs/heads/main.lock"
}

# a zombie: a child that has exited, its parent (python) never reaping it
python3 -c '
import os, sys, time
pid = os.fork()
if pid == 0:
    os._exit(0)
print(pid, flush=True)
time.sleep(60)
' >"$WORK/zombie" 2>/dev/null &
parent=$!
for i in $(seq 50); do [ -s "$WORK/zombie" ] && break; sleep 0.1; done
zpid=$(cat "$WORK/zombie")
for i in $(seq 50); do grep -q '^State:.*Z' "/proc/$zpid/status" 2>/dev/null && break; sleep 0.1; done
grep -q '^State:.*Z' "/proc/$zpid/status" || fail "could not make a zombie process"
kill -0 "$zpid" 2>/dev/null || fail "kill -0 no longer succeeds on a zombie: this test proves nothing here"

owner "$zpid"
expect_exit 0 d --as hoa submit kh-2021-354
expect_grep "docket: removed a stale lock left by process $zpid on $(uname -n): '$G/refs/heads/main.lock'" "$WORK/err"
[ ! -e "$G/refs/heads/main.lock" ] || fail "the zombie's main.lock is still there"
[ "$(git -C "$R" rev-parse main^)" = "$before" ] || fail "the action after the zombie's lock did not commit"
ok "an owner that died but is not reaped yet (a zombie): its lock removed, with a notice, and the action committed"
kill "$parent" 2>/dev/null || true
wait "$parent" 2>/dev/null || true

# a live owner (this shell's sleep): its lock is waited for, then reported, never removed
sleep 60 >/dev/null 2>&1 &
live=$!
owner "$live"
after=$(git -C "$R" rev-parse main)
expect_exit 3 d unit add VT --name "Văn thư"
expect_grep "main.lock' exists and has not gone away" "$WORK/err"
[ -e "$G/refs/heads/main.lock" ] || fail "a live owner's main.lock was removed"
[ "$(git -C "$R" rev-parse main)" = "$after" ] || fail "the branch moved under a live owner's lock"
kill "$live"; wait "$live" 2>/dev/null || true
ok "a live owner's lock is left alone and reported"
