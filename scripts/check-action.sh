#!/usr/bin/env bash
# Validates the GitHub action (action.yml) and the example workflow
# (docs/examples/tfpin-workflow.yml) against the schemas of GitHub's
# formats. check-jsonschema bundles those schemas, so once it is installed
# the check runs offline.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=scripts/python-tool.sh
. scripts/python-tool.sh
python_tool check-jsonschema check_jsonschema "check-jsonschema==0.39.0"
cj=("${tool[@]}")
"${cj[@]}" --version

echo "== action.yml"
"${cj[@]}" --builtin-schema vendor.github-actions action.yml
echo "== docs/examples/tfpin-workflow.yml"
"${cj[@]}" --builtin-schema vendor.github-workflows docs/examples/tfpin-workflow.yml
echo "action and workflow: 2 valid"
