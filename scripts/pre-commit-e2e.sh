#!/usr/bin/env bash
# End-to-end test of the pre-commit hooks with the real pre-commit, in a
# throwaway repository. Each hook must fail on a broken tree and pass once
# it is fixed:
# - `tfpin` (language: rust), which pre-commit builds from this repository
#   at the commit under test;
# - `tfpin-system` (language: system), which runs the tfpin on PATH: one
#   built here with cargo (into CARGO_TARGET_DIR when it is set), through
#   `pre-commit try-repo`, which takes the hooks file as it is in the work
#   tree;
# - the `repo: local` configuration that docs/pre-commit.md shows, with
#   the same tfpin on PATH.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
rev=$(git -C "$repo" rev-parse HEAD)
if ! git -C "$repo" diff --quiet HEAD -- .pre-commit-hooks.yaml Cargo.toml src; then
  echo "note: the tfpin hook is tested at the committed state $rev, without uncommitted changes;"
  echo "      the tfpin-system hook is tested as the work tree has it"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# shellcheck source=scripts/python-tool.sh
. "$repo/scripts/python-tool.sh"
python_tool pre-commit pre_commit "pre-commit==4.7.0"
# python_tool may set its own trap for a virtual environment; keep both.
if [ -n "${python_tool_venv:-}" ]; then
  trap 'rm -rf "$work" "$python_tool_venv"' EXIT
fi
pre_commit=("${tool[@]}")
"${pre_commit[@]}" --version
export PRE_COMMIT_HOME="$work/cache"
cd "$work"
git init --quiet tree
cd tree
git config user.email "ci@example.invalid"
git config user.name "ci"

cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $repo
    rev: $rev
    hooks:
      - id: tfpin
YAML

mkdir -p envs/prod
cat > envs/prod/main.tf <<'TF'
terraform {
  required_version = "~> 1.9"
}

module "network" {
  source = "./modules/netwrok"
}
TF
mkdir -p envs/prod/modules/network
cat > envs/prod/modules/network/main.tf <<'TF'
terraform {
  required_version = ">= 1.3"
}

output "id" {
  value = "net-1"
}
TF
git add -A

# The tree's one mistake, a misspelt module path, made and mended.
break_tree() {
  sed -i 's#./modules/network#./modules/netwrok#' envs/prod/main.tf
  git add -A
}
fix_tree() {
  sed -i 's#./modules/netwrok#./modules/network#' envs/prod/main.tf
  git add -A
}

# must_fail NAME COMMAND...: the hook run by COMMAND must fail, and report
# the missing module source.
must_fail() {
  local name=$1 code=0
  shift
  "$@" > "$work/$name.log" 2>&1 || code=$?
  cat "$work/$name.log"
  if [ "$code" -eq 0 ]; then
    echo "FAIL: the $name hook passed on a tree with a missing module source" >&2
    exit 1
  fi
  grep -q "module-source-missing" "$work/$name.log" \
    || { echo "FAIL: the finding is not in the $name hook's output" >&2; exit 1; }
}

echo "== a broken tree must fail the hook"
must_fail tfpin "${pre_commit[@]}" run --all-files

echo "== the fixed tree must pass"
fix_tree
"${pre_commit[@]}" run --all-files

echo "== tfpin-system: build tfpin and put it on PATH"
(cd "$repo" && cargo build --locked --quiet --bin tfpin)
target=$(cd "$repo" && cargo metadata --locked --format-version 1 --no-deps \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
mkdir -p "$work/bin"
cp "$target/debug/tfpin" "$work/bin/tfpin"
export PATH="$work/bin:$PATH"
[ "$(command -v tfpin)" = "$work/bin/tfpin" ] || { echo "FAIL: another tfpin is first on PATH" >&2; exit 1; }
tfpin --version

echo "== tfpin-system: a broken tree must fail the hook"
break_tree
must_fail tfpin-system "${pre_commit[@]}" try-repo "$repo" tfpin-system --all-files

echo "== tfpin-system: the fixed tree must pass"
fix_tree
"${pre_commit[@]}" try-repo "$repo" tfpin-system --all-files

echo "== local hook, as docs/pre-commit.md shows it: a broken tree must fail"
# The YAML block under "Without a hosted copy of tfpin", byte for byte.
python3 - "$repo/docs/pre-commit.md" > .pre-commit-config.yaml <<'PY'
import sys
text = open(sys.argv[1]).read()
rest = text.split("## Without a hosted copy of tfpin", 1)[1]
print(rest.split("```yaml\n", 1)[1].split("```", 1)[0], end="")
PY
grep -q "repo: local" .pre-commit-config.yaml || { echo "FAIL: no local hook in docs/pre-commit.md" >&2; exit 1; }
break_tree
must_fail local "${pre_commit[@]}" run --all-files

echo "== local hook: the fixed tree must pass"
fix_tree
"${pre_commit[@]}" run --all-files
echo "pre-commit end-to-end: 6 passed, 0 failed"
