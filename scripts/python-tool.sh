# Sourced by the check scripts: `python_tool COMMAND MODULE PACKAGE` sets
# the array `tool` to a command that runs a Python tool, installing PACKAGE
# (a pinned `name==version`) with pip when neither COMMAND is on PATH nor
# MODULE importable. A Python that refuses packages outside a virtual
# environment (PEP 668) gets a throwaway one, removed on exit.
python_tool() {
  local command=$1 module=$2 package=$3
  if command -v "$command" >/dev/null 2>&1; then
    tool=("$command")
  elif python3 -c "import $module" >/dev/null 2>&1; then
    tool=(python3 -m "$module")
  elif PIP_ROOT_USER_ACTION=ignore python3 -m pip install --quiet --disable-pip-version-check \
    "$package" >/dev/null 2>&1; then
    tool=(python3 -m "$module")
  else
    python_tool_venv=$(mktemp -d)
    trap 'rm -rf "$python_tool_venv"' EXIT
    python3 -m venv "$python_tool_venv"
    "$python_tool_venv/bin/python" -m pip install --quiet --disable-pip-version-check "$package"
    tool=("$python_tool_venv/bin/python" -m "$module")
  fi
}
