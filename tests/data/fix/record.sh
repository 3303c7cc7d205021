#!/usr/bin/env bash
# Records what terraform init makes of each case's tree before and after
# `tfpin check --fix`, for tests/fix_oracle.rs. Needs terraform, python3 and
# a built tfpin (TFPIN, default target/debug/tfpin). For each CASE/before/,
# it writes CASE/after/ (the tree as `tfpin check --fix $(cat CASE/flags)`
# leaves it) and CASE/oracle.json: terraform's version, tfpin's flags and
# what it fixed, and for each side init's exit code, its first error, and
# the provider versions it selected and the constraints it recorded (from
# the lock file it wrote); and the constraints `terraform providers lock`
# records for the fixed tree, and which .tf files `terraform fmt -check`
# accepts on each side.
#
#   tests/data/fix/record.sh [CASE]...
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
tfpin=${TFPIN:-$root/target/debug/tfpin}
work=${WORK:-/tmp/fix-oracle}
rm -rf "$work" && mkdir -p "$work"
export TF_CLI_CONFIG_FILE=$work/empty.tfrc CHECKPOINT_DISABLE=1
: > "$TF_CLI_CONFIG_FILE"
# Fake providers: empty executables that init can select, install and lock.
for pv in hashicorp/aws:5.1.0 hashicorp/aws:5.31.0 hashicorp/aws:5.99.0 hashicorp/aws:6.0.0 hashicorp/random:3.6.0 datadog/datadog:3.40.0; do
    ns_p=${pv%%:*} v=${pv##*:} p=${ns_p##*/}
    d=$work/plugins/registry.terraform.io/$ns_p/$v/linux_amd64
    mkdir -p "$d" && : > "$d/terraform-provider-${p}_v$v" && chmod +x "$d/terraform-provider-${p}_v$v"
done
cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=($(cd "$here" && ls -d */ | tr -d /))
for c in "${cases[@]}"; do
    flags=$(cat "$here/$c/flags" 2>/dev/null || true)
    rm -rf "$here/$c/after" "$work/$c" && mkdir -p "$work/$c"
    cp -r "$here/$c/before" "$work/$c/fixed"
    # shellcheck disable=SC2086
    (cd "$work/$c/fixed" && "$tfpin" check --fix $flags --fail-on never --format json . > /dev/null 2> "$work/$c/fix.err")
    cp -r "$work/$c/fixed" "$here/$c/after"
    for side in before after; do
        cp -r "$here/$c/$side" "$work/$c/$side"
        set +e
        (cd "$work/$c/$side" && terraform init -backend=false -input=false -no-color \
            -plugin-dir="$work/plugins" > "$work/$c/$side.out" 2> "$work/$c/$side.err")
        echo $? > "$work/$c/$side.exit"
        set -e
    done
    # What `terraform providers lock` records for the fixed configuration:
    # unlike init, which keeps an entry's constraints while its version
    # still satisfies them, it rewrites them.
    cp -r "$here/$c/after" "$work/$c/relocked"
    (cd "$work/$c/relocked" && terraform providers lock -fs-mirror="$work/plugins" \
        -platform=linux_amd64 -no-color > /dev/null 2>&1) || true
    python3 - "$here/$c" "$work/$c" "$flags" <<'PY'
import json, os, re, subprocess, sys
case, run, flags = sys.argv[1], sys.argv[2], sys.argv[3]
def side(name):
    lock = os.path.join(run, name, ".terraform.lock.hcl")
    exit_code = int(open(os.path.join(run, name + ".exit")).read())
    selected, constraints = {}, {}
    if exit_code == 0 and os.path.exists(lock):
        text = open(lock).read()
        for addr, body in re.findall(r'provider "([^"]+)" \{(.*?)\n\}', text, re.S):
            v = re.search(r'version\s*=\s*"([^"]+)"', body)
            c = re.search(r'constraints\s*=\s*"([^"]+)"', body)
            selected[addr] = v.group(1) if v else None
            constraints[addr] = c.group(1) if c else None
    err = " ".join(open(os.path.join(run, name + ".err")).read().split())
    m = re.search(r"Error: (.*?)(?: │|$)", err)
    return {
        "init_exit": exit_code,
        "error": m.group(1) if m else None,
        "selected": selected,
        "lock_constraints": constraints,
    }
fixed = open(os.path.join(run, "fix.err")).read().strip()
version = subprocess.run(["terraform", "version"], capture_output=True, text=True).stdout.split("\n")[0]
def fmt_clean(name):
    """The .tf files of a side that `terraform fmt -check` accepts."""
    root = os.path.join(case, name)
    out = []
    for dirpath, _, files in os.walk(root):
        for f in sorted(files):
            if f.endswith(".tf"):
                rel = os.path.relpath(os.path.join(dirpath, f), root)
                r = subprocess.run(["terraform", "fmt", "-check", rel], cwd=root, capture_output=True)
                if r.returncode == 0:
                    out.append(rel)
    return sorted(out)
def relocked():
    lock = os.path.join(run, "relocked", ".terraform.lock.hcl")
    out = {}
    if os.path.exists(lock):
        for addr, body in re.findall(r'provider "([^"]+)" \{(.*?)\n\}', open(lock).read(), re.S):
            c = re.search(r'constraints\s*=\s*"([^"]+)"', body)
            out[addr] = c.group(1) if c else None
    return out
out = {
    "terraform_version": version,
    "case": os.path.basename(case),
    "tfpin_flags": flags.split(),
    "tfpin_says": fixed,
    "before": side("before"),
    "after": side("after"),
    "providers_lock_constraints": relocked(),
    "fmt_clean": {"before": fmt_clean("before"), "after": fmt_clean("after")},
}
with open(os.path.join(case, "oracle.json"), "w") as f:
    json.dump(out, f, indent=2)
    f.write("\n")
PY
    echo "$c: before $(cat "$work/$c/before.exit"), after $(cat "$work/$c/after.exit")"
done
