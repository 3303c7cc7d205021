#!/usr/bin/env bash
# End-to-end test of the pre-commit hook with the real pre-commit: a
# throwaway repository uses this repository's hook at the commit under test,
# and the hook must fail on a broken tree and pass once it is fixed.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
rev=$(git -C "$repo" rev-parse HEAD)
if ! git -C "$repo" diff --quiet HEAD -- .pre-commit-hooks.yaml Cargo.toml src; then
  echo "note: testing the committed state $rev; uncommitted changes are not part of it"
fi

if ! command -v pre-commit >/dev/null 2>&1; then
  python3 -m pip install --quiet --disable-pip-version-check "pre-commit==4.7.0"
fi
pre-commit --version

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
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

echo "== a broken tree must fail the hook"
set +e
pre-commit run --all-files > "$work/bad.log" 2>&1
code=$?
set -e
cat "$work/bad.log"
if [ "$code" -eq 0 ]; then
  echo "FAIL: the hook passed on a tree with a missing module source" >&2
  exit 1
fi
grep -q "module-source-missing" "$work/bad.log" || { echo "FAIL: the finding is not in the hook's output" >&2; exit 1; }

echo "== the fixed tree must pass"
sed -i 's#./modules/netwrok#./modules/network#' envs/prod/main.tf
git add -A
pre-commit run --all-files
echo "pre-commit end-to-end: 2 passed, 0 failed"
