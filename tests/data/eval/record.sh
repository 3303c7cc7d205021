#!/bin/sh
# Records what terraform plans for each case's tree: every resource instance
# of the built-in terraform_data resource with its `input`, and the root
# module's outputs. Needs terraform and python3; works offline (terraform_data
# needs no provider plugin).
#
#   tests/data/eval/record.sh [CASE]...
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=${WORK:-/tmp/eval-oracle}
cases=${*:-$(cd "$here" && ls -d */ | tr -d /)}
rc=$(mktemp)
export TF_CLI_CONFIG_FILE="$rc" CHECKPOINT_DISABLE=1
for c in $cases; do
    rm -rf "$work/$c"
    mkdir -p "$work/$c"
    cp -R "$here/$c/tree/." "$work/$c/"
    (
        cd "$work/$c"
        terraform init -backend=false -no-color >/dev/null
        terraform plan -refresh=false -no-color -out=plan.bin >/dev/null
        terraform show -json plan.bin >plan.json
    )
    python3 - "$work/$c/plan.json" "$here/$c" "$c" <<'PY'
import json, subprocess, sys
plan, out, case = sys.argv[1:]
j = json.load(open(plan))
resources = {}
def walk(m):
    for r in m.get("resources", []):
        if r["type"] == "terraform_data":
            resources[r["address"]] = r["values"].get("input")
    for c in m.get("child_modules", []):
        walk(c)
walk(j["planned_values"]["root_module"])
outputs = {k: v["value"] for k, v in j["planned_values"].get("outputs", {}).items()}
desc = open(out + "/description.txt").read().strip()
json.dump(
    {
        "terraform_version": j["terraform_version"],
        "case": case,
        "description": desc,
        "commands": ["terraform init -backend=false", "terraform plan -refresh=false -out=plan.bin", "terraform show -json plan.bin"],
        "resources": dict(sorted(resources.items())),
        "outputs": dict(sorted(outputs.items())),
    },
    open(out + "/oracle.json", "w"),
    indent=2,
)
open(out + "/oracle.json", "a").write("\n")
PY
done
rm -f "$rc"
