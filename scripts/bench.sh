#!/usr/bin/env bash
# Reproducible benchmark of tfpin against the floor of walking, reading and
# parsing the same files with hcl-edit. Not part of the test suite.
#
#   scripts/bench.sh [WORKDIR]
#
# Environment: JOBS (threads for both tfpin and the baseline; default: all
# cores), RUNS (timed runs per measurement, default 5), SEED (corpus seed,
# default 1), CORPORA (module counts, default "225 1120 2250 5600 11200",
# which come to about 1k, 5k, 10k, 25k and 50k files), PAIRS (alternating
# runs for the paired ratio, default 15; 0 skips it), TERRAFORM (a
# terraform binary for the `providers` comparison; skipped if absent or
# set empty).
# Uses hyperfine when it is installed, else the best and median of RUNS
# runs of a shell loop.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-${TMPDIR:-/tmp}/tfpin-bench}
jobs=${JOBS:-$(nproc)}
runs=${RUNS:-5}
pairs=${PAIRS:-15}
seed=${SEED:-1}
corpora=${CORPORA:-"225 1120 2250 5600 11200"}
terraform=${TERRAFORM-$(command -v terraform || true)}

cd "$root"
cargo build --release --quiet --bin tfpin --example gen-corpus --example parse-only
tfpin=$root/target/release/tfpin
gen=$root/target/release/examples/gen-corpus
parse_only=$root/target/release/examples/parse-only
mkdir -p "$work"

# Seconds (best and median of $runs) of one command; stdout discarded.
time_cmd() {
    if command -v hyperfine >/dev/null; then
        hyperfine --style none --warmup 1 --runs "$runs" -N -i --export-json "$work/hf.json" "$*" >/dev/null 2>&1 ||
            hyperfine --style none --warmup 1 --runs "$runs" -i --export-json "$work/hf.json" "$*" >/dev/null 2>&1
        python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.4f %.4f" % (min(r["times"]), r["median"]))' "$work/hf.json"
    else
        local times=()
        "$@" >/dev/null 2>&1 || true
        for _ in $(seq "$runs"); do
            local s e
            s=$(date +%s.%N)
            "$@" >/dev/null 2>&1 || true
            e=$(date +%s.%N)
            times+=("$(echo "$e - $s" | bc)")
        done
        printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.4f %.4f\n", a[1], a[int((NR+1)/2)]}'
    fi
}

# The median of $pairs ratios B/A, each from running A then B once. Runs
# next to each other share the machine's state of the moment, so on a
# noisy machine the paired ratio moves much less than a ratio of two
# separately taken bests. Prints "-" when $pairs is 0.
paired_ratio() {
    python3 - "$pairs" "$1" "$2" <<'PY'
import shlex, statistics, subprocess, sys, time
n, a, b = int(sys.argv[1]), shlex.split(sys.argv[2]), shlex.split(sys.argv[3])
if n == 0:
    print("-")
    sys.exit()
def run(cmd):
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start
run(a), run(b)
print("%.2f" % statistics.median(run(b) / run(a) for _ in range(n)))
PY
}

# Peak resident memory in KiB.
peak_kib() {
    /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1
}

echo "tfpin $("$tfpin" --version | cut -d' ' -f2), $jobs thread(s), $runs runs, seed $seed, $(nproc) core(s)"
echo
printf '%8s %8s %9s %10s %10s %7s %7s %9s %8s\n' modules files "MB" "parse (s)" "check (s)" ratio paired "peak MiB" "peak/src"
for n in $corpora; do
    dir=$work/corpus-$n-s$seed
    [ -d "$dir" ] || "$gen" --seed "$seed" --modules "$n" "$dir" >/dev/null
    read -r files bytes < <("$parse_only" --jobs "$jobs" "$dir" | awk '{print $1, $3}')
    read -r pbest _ < <(time_cmd "$parse_only" --jobs "$jobs" "$dir")
    read -r cbest _ < <(time_cmd "$tfpin" check --jobs "$jobs" --format json --fail-on never "$dir")
    paired=$(paired_ratio "$(printf '%q ' "$parse_only" --jobs "$jobs" "$dir")" \
        "$(printf '%q ' "$tfpin" check --jobs "$jobs" --format json --fail-on never "$dir")")
    kib=$(peak_kib "$tfpin" check --jobs "$jobs" --format json --fail-on never "$dir")
    awk -v n="$n" -v f="$files" -v b="$bytes" -v p="$pbest" -v c="$cbest" -v r="$paired" -v k="$kib" 'BEGIN {
        printf "%8d %8d %9.1f %10.3f %10.3f %6.2fx %6sx %9.1f %7.1fx\n", n, f, b/1e6, p, c, c/p, r, k/1024, k*1024/b }'
done

echo
# A pre-commit run: one file of one module inside the 5,000-module corpus.
pc=$work/corpus-5000-s$seed
[ -d "$pc" ] || "$gen" --seed "$seed" --modules 5000 "$pc" >/dev/null
one=$(cd "$pc" && ls -d stacks/*/envs/prod | sed -n 100p)/main.tf
read -r best median < <(cd "$pc" && time_cmd "$tfpin" check --jobs "$jobs" --fail-on never "$one")
printf 'pre-commit: tfpin check %s in the 5,000-module corpus: best %.1f ms, median %.1f ms\n' \
    "$one" "$(echo "$best * 1000" | bc)" "$(echo "$median * 1000" | bc)"

# Pre-commit inside a project: the largest corpus as a git work tree, so
# a partial run reads the modules that call the named one. The paired
# ratio of a run naming one file to the full check must stay at most 0.5:
# once for a root's file, once for a module that many roots call.
big=$work/corpus-$(echo "$corpora" | awk '{print $NF}')-s$seed
if [ -d "$big" ]; then
    mkdir -p "$big/.git"
    root_file=$(cd "$big" && ls -d stacks/*/envs/prod | sed -n 100p)/main.tf
    # The first local module the root calls.
    shared_dir=$(cd "$big" && grep -ho 'source *= *"\.[^"]*"' "$root_file" | head -1 | sed 's/.*"\(.*\)"/\1/')
    shared_file=$(cd "$big" && ls "$(dirname "$root_file")/$shared_dir"/*.tf | head -1)
    for f in "$root_file" "$shared_file"; do
        r=$(cd "$big" && paired_ratio "$(printf '%q ' "$tfpin" check --jobs "$jobs" --format json --fail-on never .)" \
            "$(printf '%q ' "$tfpin" check --jobs "$jobs" --format json --fail-on never "$f")")
        printf 'pre-commit in a project of %s files: tfpin check %s / full check: %sx (paired)\n' \
            "$(find "$big" -name '*.tf' | wc -l)" "$f" "$r"
    done
    rmdir "$big/.git"
fi

# `terraform providers` on the platform root (200 local modules) against
# `tfpin providers` on the same root. Terraform needs its modules recorded
# first; `terraform get` does that offline for local modules.
if [ -n "$terraform" ]; then
    (cd "$pc" && "$terraform" -chdir=platform get >/dev/null 2>&1)
    read -r tbest _ < <(cd "$pc" && time_cmd "$terraform" -chdir=platform providers)
    read -r fbest _ < <(cd "$pc" && time_cmd "$tfpin" providers --jobs "$jobs" platform)
    mods=$(grep -c '^module ' "$pc/platform/main.tf")
    printf 'providers: platform root calling %d local modules: terraform providers %.1f ms, tfpin providers %.1f ms (terraform/tfpin %.1fx)\n' \
        "$mods" "$(echo "$tbest * 1000" | bc)" "$(echo "$fbest * 1000" | bc)" "$(echo "$tbest / $fbest" | bc -l)"
fi
