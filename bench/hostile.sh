#!/usr/bin/env bash
# The cost of the worst documents docket still takes in (issue 12 item 8), against the seed
# plan and against the largest honest document: for each, `docket add` (into a fresh
# repository), `docket show` and `docket validate`, the median of RUNS runs, and the ratio to
# the seed plan and to the honest 8 MiB plan. Documents (all under the 8 MiB size limit):
#   seed          examples/354-KH-PGDDT.xml (29 KB)
#   honest-8m     the seed with its task items repeated to just under 8 MiB (~20,000 items)
#   short-items   the seed with 240,000 one-letter items: the node limit (500,000) all but reached
#   ns-max        honest-8m with 15 namespace declarations (16 with the default one: the
#                 per-element limit) on each of the elements above the items and on the first
#                 items, 256 in all with the default one (the per-document limit)
#   attrs-max     the seed with 16 attributes (the per-element limit) on each of ~14,000 items
#                 (refused by the schema: the cost is the cost of the refusal)
# Machines are shared and noisy: figures, not assertions.
# usage: bench/hostile.sh [RUNS]      BUILD=build, WORK=/tmp/docket-hostile
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
runs=${1:-3}
build=${BUILD:-$here/../build}
work=${WORK:-/tmp/docket-hostile}
docket=$build/docket
seed=$here/../examples/354-KH-PGDDT.xml
rm -rf "$work"
mkdir -p "$work"
export GIT_CONFIG_NOSYSTEM=1 HOME=$work/home
mkdir -p "$HOME"
git config --global user.name bench && git config --global user.email bench@docket.invalid

python3 - "$seed" "$work" <<'PY'
import re, sys
seed, work = sys.argv[1], sys.argv[2]
s = open(seed, encoding="utf-8").read()
LIMIT = 8 * 1024 * 1024 - 4096
items = re.findall(r"          <item>.*?</item>\n", s)
def fill(doc, unit, room):
    n = max(0, (room - len(doc.encode())) // len(unit.encode()))
    return doc.replace("        </group>", unit * n + "        </group>", 1), n
open(f"{work}/seed.xml", "w").write(s)
honest, n = fill(s, "".join(items), LIMIT)
open(f"{work}/honest-8m.xml", "w").write(honest)
short, n = fill(s, "<item>x</item>", len(s.encode()) + 240000 * 14)
open(f"{work}/short-items.xml", "w").write(short)
# 16 declarations per element on the containers and on the first items, 256 in all
left = [255]
def decl(m):
    k = min(15, left[0]); left[0] -= k
    base = 255 - left[0] - k
    return m.group(1) + "".join(f' xmlns:p{base + i}="urn:x:{base + i}"' for i in range(k)) + m.group(2)
ns = re.sub(r"(<(?:document|header|content|plan|tasks|group|item)\b[^>]*?)(/?>)",
            lambda m: decl(m) if left[0] > 0 else m.group(0), honest, count=0)
open(f"{work}/ns-max.xml", "w").write(ns[: ns.index("<document")] + ns[ns.index("<document"):])
attrs = " ".join(f'a{i}="v"' for i in range(16))
a, n = fill(s, f"          <item {attrs}>{items[0][16:]}", LIMIT)
open(f"{work}/attrs-max.xml", "w").write(a)
PY

# median seconds of RUNS runs of a command (run in $work); prepare with $PREP before each
med() {
	python3 - "$runs" "$@" <<'PY'
import subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2:]
prep = __import__("os").environ.get("PREP")
ts = []
for _ in range(runs):
    if prep:
        subprocess.run(["bash", "-c", prep], check=True)
    t = time.perf_counter()
    try:
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
    except subprocess.TimeoutExpired:
        pass # counted as 300 s
    ts.append(time.perf_counter() - t)
print(f"{sorted(ts)[len(ts) // 2]:.3f}")
PY
}

declare -A T
docs="seed honest-8m short-items ns-max attrs-max"
printf '%-12s %9s %9s %9s %9s  %s\n' document bytes add show validate "(seconds, median of $runs; add exit)"
for d in $docs; do
	f=$work/$d.xml
	id=$(sed -n 's/.*<document[^>]* id="\([^"]*\)".*/\1/p' "$f" | head -1)
	T[$d,add]=$(PREP="rm -rf $work/r && $docket init $work/r >/dev/null" med "$docket" -C "$work/r" add "$f")
	rm -rf "$work/r" && "$docket" init "$work/r" >/dev/null
	rc=0; "$docket" -C "$work/r" add "$f" >/dev/null 2>"$work/$d.err" || rc=$?
	T[$d,show]=$(PREP= med "$docket" -C "$work/r" show "$id")
	T[$d,validate]=$(PREP= med "$docket" -C "$work/r" validate "$f")
	printf '%-12s %9d %9s %9s %9s  add exit %d %s\n' "$d" "$(wc -c <"$f")" "${T[$d,add]}" "${T[$d,show]}" \
		"${T[$d,validate]}" "$rc" "$(head -c 100 "$work/$d.err")"
done
echo
echo "ratios to the seed plan / to honest-8m:"
for d in $docs; do
	printf '%-12s' "$d"
	for op in add show validate; do
		printf ' %s %6.1fx /%5.2fx ' "$op" "$(echo "${T[$d,$op]} / ${T[seed,$op]}" | bc -l)" \
			"$(echo "${T[$d,$op]} / ${T[honest-8m,$op]}" | bc -l)"
	done
	echo
done
