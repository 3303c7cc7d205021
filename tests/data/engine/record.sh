#!/usr/bin/env bash
# Re-records tests/data/engine/*/oracle.json from the real terraform binary.
#
#   tests/data/engine/record.sh [CASE]...      (default: every case)
#
# Each case directory holds `tree/`, the input exactly as terraform sees it.
# For each case the tree is copied to a fresh work directory, the case's
# commands are run there with no network and a fake provider plugin
# directory (empty executables, so `init` can select and lock versions but no
# provider can run), and oracle.json is written next to `tree/`: every
# command's argv, exit code, stdout and stderr, plus distilled `facts`.
# In recorded text the work directory is replaced by `TREE` and the plugin
# directory by `PLUGINS`; nothing else is changed.
#
# The provider-alias-* cases run `terraform validate`, which needs the
# provider's schema, so they use a real build of hashicorp/aws instead of an
# empty file: AWS_PROVIDER_BINARY names it (recorded with
# terraform-provider-aws_v5.100.0_x5, linux_amd64), and it is linked into
# the plugin directory. Nothing runs it against AWS: validate only reads its
# schema.
#
# Environment: TERRAFORM (default: terraform on PATH; recorded with 1.11.4),
# WORK (scratch directory, default /tmp/oracle; wiped per case),
# AWS_PROVIDER_BINARY (for the provider-alias-* cases).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
export TERRAFORM=${TERRAFORM:-$(command -v terraform)}
export WORK=${WORK:-/tmp/oracle}
export ENGINE_DATA=$here

mkdir -p "$WORK"
: > "$WORK/empty.tfrc"
# A clean, offline, reproducible terraform environment.
for v in $(env | sed -n 's/^\(TF_[A-Za-z0-9_]*\)=.*/\1/p'); do unset "$v"; done
export TF_CLI_CONFIG_FILE=$WORK/empty.tfrc
export CHECKPOINT_DISABLE=1
export HOME=$WORK/home
mkdir -p "$HOME"

exec python3 - "$@" <<'PY'
import json, os, re, shutil, subprocess, sys

TF = os.environ["TERRAFORM"]
WORK = os.environ["WORK"]
DATA = os.environ["ENGINE_DATA"]
AWS = "registry.terraform.io/hashicorp/aws"
RANDOM = "registry.terraform.io/hashicorp/random"
ALL_AWS = ["4.67.0", "5.1.0", "5.31.0", "5.99.0", "6.0.0"]
DEFAULT_PLUGINS = {AWS: ALL_AWS, RANDOM: ["3.6.0"]}

PROVIDERS = ["terraform", "providers", "-no-color"]
INIT = ["terraform", "init", "-backend=false", "-plugin-dir=PLUGINS", "-input=false", "-no-color"]
VALIDATE = ["terraform", "validate", "-no-color", "-json"]
PLAN = ["terraform", "plan", "-input=false", "-refresh=false", "-no-color"]
CONSOLE = ["terraform", "console", "-no-color"]

# --------------------------------------------------------------------------
# Parsers for terraform's human-readable output.

DIAG_HEAD = re.compile(r"^(Error|Warning): (.*)$")


def diagnostics(text):
    """Diagnostics in -no-color output: severity, summary, the `on FILE line
    N` location if any, and the detail with its 78-column wrapping undone
    (paragraphs joined by a blank line). Detail is only reliable for stderr;
    on stdout terraform prints other text after a warning."""
    lines = text.split("\n")
    out, i = [], 0
    while i < len(lines):
        m = DIAG_HEAD.match(lines[i])
        if not m:
            i += 1
            continue
        d = {"severity": m.group(1).lower(), "summary": m.group(2).strip()}
        i += 1
        body = []
        while i < len(lines) and not DIAG_HEAD.match(lines[i]):
            body.append(lines[i])
            i += 1
        # Source snippet: "  on FILE line N[, in BLOCK]:" then indented lines.
        paras, cur, snippet = [], [], False
        for ln in body:
            if ln.startswith("  on ") and not cur and not paras and "location" not in d:
                d["location"] = ln.strip().rstrip(":")
                snippet = True
                continue
            if snippet:
                if ln.strip() == "":
                    snippet = False
                continue
            if ln.strip() == "":
                if cur:
                    paras.append(cur)
                    cur = []
                continue
            cur.append(ln)
        if cur:
            paras.append(cur)
        d["detail"] = "\n\n".join(" ".join(s.strip() if k else s.rstrip() for k, s in enumerate(p)) for p in paras)
        out.append(d)
    return out


def providers_entries(text):
    """The tree under "Providers required by configuration:" in `terraform
    providers` output -> ([{"module", "provider", "constraint"}], [node]).
    `module` is the chain of non-provider nodes joined by "/" ("" for the
    root module). Tree prefixes are 4 characters a level (terraform pads them
    with U+00A0)."""
    entries, nodes, stack = [], [], []
    lines = text.split("\n")
    try:
        i = lines.index("Providers required by configuration:") + 1
    except ValueError:
        return entries, nodes
    if i < len(lines) and lines[i] == ".":
        i += 1
    for ln in lines[i:]:
        if not ln.strip():
            break
        pm = re.match(r"^([│├└─ \u00a0]*)(\S.*)$", ln)
        depth = len(pm.group(1)) // 4
        item = pm.group(2)
        stack = stack[: depth - 1]
        p = re.match(r"^provider\[([^\]]+)\](?: (.*))?$", item)
        if p:
            entries.append({"module": "/".join(stack), "provider": p.group(1), "constraint": p.group(2) or ""})
        else:
            stack.append(item)
            nodes.append("/".join(stack))
    return entries, nodes


def providers_summary(res):
    if res["exit_code"] != 0:
        return None
    entries, nodes = providers_entries(res["stdout"])
    root = {e["provider"]: e["constraint"] for e in entries if e["module"] == ""}
    # Sorted: terraform prints test-file nodes in Go map order (varies by run).
    return {"entries": entries, "nodes": sorted(nodes), "root_requirements": root}


LOCK_BLOCK = re.compile(r'provider\s+"([^"]+)"\s*\{(.*?)\n\}', re.S)


def parse_lock(text):
    out = {}
    for addr, body in LOCK_BLOCK.findall(text):
        v = re.search(r'^\s*version\s*=\s*"([^"]*)"', body, re.M)
        c = re.search(r'^\s*constraints\s*=\s*"([^"]*)"', body, re.M)
        out[addr] = {
            "version": v.group(1) if v else None,
            "constraints": c.group(1) if c else None,
            "hashes": re.findall(r'"((?:h1|zh):[^"]+)"', body),
        }
    return out


def init_lines(res, prefix):
    return [ln[len(prefix):] for ln in res["stdout"].split("\n") if ln.startswith(prefix)]


# --------------------------------------------------------------------------
# Running a case.

def scrub(s, tree, plugins):
    s = s.replace(plugins, "PLUGINS").replace(tree, "TREE")
    # The machine's DNS resolver, which network errors quote.
    return re.sub(r"(lookup\s+\S+\s+on\s+)[0-9a-fA-F.:\[\]]+:53", r"\1RESOLVER:53", s)


REAL_AWS = "5.100.0"


def make_plugins(dirpath, spec):
    if spec == "real-aws":
        binary = os.environ.get("AWS_PROVIDER_BINARY")
        if not binary or not os.path.isfile(binary):
            sys.exit("AWS_PROVIDER_BINARY must name a terraform-provider-aws build "
                     f"(v{REAL_AWS}) for this case")
        d = os.path.join(dirpath, AWS, REAL_AWS, "linux_amd64")
        os.makedirs(d, exist_ok=True)
        os.symlink(os.path.abspath(binary), os.path.join(d, f"terraform-provider-aws_v{REAL_AWS}_x5"))
        return
    for addr, versions in spec.items():
        host, ns, typ = addr.split("/")
        for v in versions:
            d = os.path.join(dirpath, host, ns, typ, v, "linux_amd64")
            os.makedirs(d, exist_ok=True)
            f = os.path.join(d, f"terraform-provider-{typ}_v{v}")
            open(f, "w").close()
            os.chmod(f, 0o755)


def run_case(name, case):
    base = os.path.join(WORK, "run", name)
    shutil.rmtree(base, ignore_errors=True)
    tree = os.path.join(base, "tree")
    plugins = os.path.join(base, "plugins")
    shutil.copytree(os.path.join(DATA, name, "tree"), tree, symlinks=True)
    make_plugins(plugins, case.get("plugins", DEFAULT_PLUGINS))
    lock_path = os.path.join(tree, ".terraform.lock.hcl")
    lock_before = open(lock_path).read() if os.path.exists(lock_path) else None
    results = []
    for step in case["commands"]:
        argv, stdin = (step["argv"], step.get("stdin")) if isinstance(step, dict) else (step, None)
        real = [TF if a == "terraform" else a.replace("PLUGINS", plugins) for a in argv]
        p = subprocess.run(real, cwd=tree, input=stdin if stdin is not None else "",
                           capture_output=True, text=True, timeout=300)
        r = {"argv": argv}
        if stdin is not None:
            r["stdin"] = stdin
        r.update({"exit_code": p.returncode,
                  "stdout": scrub(p.stdout, tree, plugins),
                  "stderr": scrub(p.stderr, tree, plugins)})
        results.append(r)
    lock_after = open(lock_path).read() if os.path.exists(lock_path) else None
    ctx = {"lock_before": lock_before, "lock_after": lock_after, "tree": tree}
    return results, ctx


def generic_facts(results, ctx):
    f = {}
    provs = [providers_summary(r) for r in results if r["argv"][1] == "providers"]
    good = [p for p in provs if p]
    if good:
        f["requirements"] = good[-1]["root_requirements"]
        f["providers_entries"] = good[-1]["entries"]
        f["providers_nodes"] = good[-1]["nodes"]
    inits = [r for r in results if r["argv"][1] == "init"]
    if inits:
        f["init_exit_code"] = inits[-1]["exit_code"]
        msg = [ln for ln in inits[-1]["stdout"].split("\n")
               if ln.startswith(("Terraform has created a lock file", "Terraform has made some changes"))]
        if msg:
            f["init_lock_message"] = msg[0]
        finding = init_lines(inits[-1], "- Finding ")
        if finding:
            f["init_finding"] = finding
    if ctx["lock_after"] is not None and inits and inits[-1]["exit_code"] == 0:
        lock = parse_lock(ctx["lock_after"])
        f["lock_after_init"] = lock
        f["selected"] = {a: e["version"] for a, e in lock.items()}
        f["lock_constraints"] = {a: e["constraints"] for a, e in lock.items()}
    f["lock_file_changed"] = ctx["lock_after"] != ctx["lock_before"]
    f["command_diagnostics"] = [
        {"stderr": diagnostics(r["stderr"]),
         "stdout": [{k: v for k, v in d.items() if k != "detail"} for d in diagnostics(r["stdout"])]}
        for r in results]
    vals = [r for r in results if r["argv"][1] == "validate"]
    if vals:
        try:
            v = json.loads(vals[-1]["stdout"])
            f["validate"] = {"valid": v["valid"],
                             "diagnostics": [{k: d.get(k) for k in ("severity", "summary", "detail")}
                                             for d in v["diagnostics"]]}
        except ValueError:
            pass
    return f


def first_error(results, which):
    """First error diagnostic of the first command whose argv[1] is `which`."""
    for r in results:
        if r["argv"][1] == which:
            errs = [d for d in diagnostics(r["stderr"]) if d["severity"] == "error"]
            return errs[0] if errs else None
    return None


def warning_summaries(res):
    return [d["summary"] for d in diagnostics(res["stdout"]) + diagnostics(res["stderr"])
            if d["severity"] == "warning"]


# --------------------------------------------------------------------------
# Case-specific facts.

def facts_json_override(results, ctx, f):
    shown = f.get("requirements", {}).get(AWS)
    candidates = {"main.tf": ">= 5.0.0", "override.tf.json": "~> 5.31", "x_override.tf.json": "< 5.50.0"}
    f["constraint_candidates_as_displayed"] = candidates
    f["winning_constraint"] = shown
    f["winning_file"] = [k for k, v in candidates.items() if v == shown]


def facts_tofu(results, ctx, f):
    reqs = f.get("requirements", {})
    f["aws_constraint"] = reqs.get(AWS)
    f["random_required"] = RANDOM in reqs or RANDOM in f.get("selected", {})
    f["tofu_files_loaded"] = f["random_required"] or reqs.get(AWS) != "~> 5.0"


def facts_tofu_only(results, ctx, f):
    e = first_error(results, "providers")
    f["providers_error"] = e
    f["init_says"] = [ln for ln in results[1]["stdout"].split("\n") if ln.strip()][:1]


TFVARS_FILES = {
    "terraform.tfvars": {"all", "tf_pair", "only_tfvars"},
    "terraform.tfvars.json": {"all", "tf_pair", "tf_vs_auto"},
    "a.auto.tfvars": {"all", "tf_vs_auto", "auto_order", "undeclared"},
    "b.auto.tfvars.json": {"all", "auto_order"},
    "c.auto.tfvars": {"auto_order"},
    "prod.tfvars": {"prod", "all"},
    "example.auto.tfvars.example": {"example", "all"},
    "foo.auto.example.tfvars": {"example", "all"},
}
TFVARS_ORDER = ["(variable default)", "terraform.tfvars", "terraform.tfvars.json",
                "a.auto.tfvars", "b.auto.tfvars.json", "c.auto.tfvars"]


def facts_tfvars(results, ctx, f):
    con = results[0]
    values = None
    if con["exit_code"] == 0:
        line = [ln for ln in con["stdout"].split("\n") if ln.startswith('"')][-1]
        values = json.loads(json.loads(line))
    f["variable_values"] = values
    # Expected winner if files load in TFVARS_ORDER, later files overriding.
    expected = {}
    for var in ("all", "tf_pair", "tf_vs_auto", "auto_order", "only_tfvars", "example", "prod"):
        win = "default"
        for fn in TFVARS_ORDER[1:]:
            if var in TFVARS_FILES[fn]:
                win = fn
        expected[var] = win
    f["precedence_order_later_wins"] = TFVARS_ORDER
    f["precedence_order_matches_values"] = values == expected
    f["files_not_loaded"] = ["prod.tfvars", "example.auto.tfvars.example", "foo.auto.example.tfvars"]
    f["plan_exit_code"] = results[1]["exit_code"]
    f["plan_warnings"] = warning_summaries(results[1])
    # console prints the warning on stdout before the value (its last line).
    f["undeclared_warning"] = next(
        (d for d in diagnostics(con["stdout"].rstrip("\n").rsplit("\n", 1)[0])
         if d["severity"] == "warning"), None)
    for r in results[2:]:
        vf = [a for a in r["argv"] if a.startswith("-var-file=")][0].split("=", 1)[1]
        f.setdefault("explicit_var_file_errors", {})[vf] = {
            "exit_code": r["exit_code"], "error": first_error([r], "plan")}


def facts_plan_error(results, ctx, f):
    r = results[0]
    f["plan_exit_code"] = r["exit_code"]
    f["error"] = first_error(results, "plan")
    m = re.search(r'\+ name = "([^"]*)"', r["stdout"])
    f["output_name"] = m.group(1) if m else None


def facts_test_files(results, ctx, f):
    pre = providers_summary(results[0])
    f["providers_before_init"] = pre and pre["entries"]
    f["providers_before_init_error"] = first_error(results[:1], "providers")
    f["test_nodes"] = [n for n in f.get("providers_nodes", []) if n.startswith("test.")]
    f["providers_from_test_files"] = [e for e in f.get("providers_entries", [])
                                      if e["module"].startswith("test.")]
    f["installed_by_init"] = init_lines(results[1], "- Installed ")


def facts_provider_block(results, ctx, f):
    f["warnings"] = sorted(set(sum((warning_summaries(r) for r in results), [])))
    f["init_also_says"] = [ln for r in results for ln in r["stdout"].split("\n")
                           if ln.startswith("(and ")]
    f["init_error"] = first_error(results, "init")
    f["init_installed"] = init_lines([r for r in results if r["argv"][1] == "init"][0], "- Installed ")


def facts_lock(results, ctx, f):
    f["lock_before"] = parse_lock(ctx["lock_before"] or "")
    f["providers_before_init_exit_code"] = results[0]["exit_code"]
    f["providers_before_init_error"] = first_error(results[:1], "providers")
    f["init_error"] = first_error(results, "init")
    init = [r for r in results if r["argv"][1] == "init"][0]
    f["init_reusing"] = init_lines(init, "- Reusing ")
    f["init_installed"] = init_lines(init, "- Installed ")


def facts_module(results, ctx, f):
    init = [r for r in results if r["argv"][1] == "init"][0]
    text = init["stdout"] + init["stderr"]
    if "Invalid module source address" in text or "Invalid registry module source address" in text:
        kind = "error"
    elif "Error accessing remote module registry" in text or "from registry." in text:
        kind = "registry"
    elif re.search(r"^Downloading ", init["stdout"], re.M):
        kind = "remote"
    elif re.search(r"^- x in\b", init["stdout"], re.M):
        kind = "local"
    else:
        kind = "unknown"
    f["treated_as"] = kind
    f["tried_network"] = kind in ("registry", "remote")
    m = re.search(r"^Downloading (\S+) for x\.\.\.$", init["stdout"], re.M)
    f["download_address"] = m.group(1) if m else None
    m = re.search(r"^- x in ?(.*)$", init["stdout"], re.M)
    f["local_dir"] = m.group(1) if m else None
    f["providers_before_init_exit_code"] = results[0]["exit_code"]
    f["providers_before_init_error"] = first_error(results[:1], "providers")
    f["init_errors"] = [d for d in diagnostics(init["stderr"]) if d["severity"] == "error"]


CASES = {
    "json-config": dict(
        description="main.tf.json with required_version, required_providers aws ~> 5.0, a provider array "
                    "(default and alias west) and a resource with \"provider\": \"aws.west\".",
        commands=[PROVIDERS, INIT]),
    "json-override": dict(
        description="main.tf requires aws >= 5.0; override.tf.json sets ~> 5.31 and x_override.tf.json "
                    "sets < 5.50 (no source): which constraint wins.",
        commands=[PROVIDERS, INIT], facts=facts_json_override),
    "tofu-ignored": dict(
        description="versions.tf requires aws ~> 5.0; versions.tofu (aws ~> 6.0) and only.tofu "
                    "(hashicorp/random) are OpenTofu-only files.",
        commands=[PROVIDERS, INIT], facts=facts_tofu),
    "tofu-only": dict(
        description="A directory whose only configuration file is only.tofu.",
        commands=[PROVIDERS, INIT, VALIDATE], facts=facts_tofu_only),
    "tfvars-variants": dict(
        description="Variables set by terraform.tfvars, terraform.tfvars.json, *.auto.tfvars(.json) and by "
                    "files terraform must not load (prod.tfvars, *.auto.tfvars.example, "
                    "foo.auto.example.tfvars, the last two with syntax errors); no providers.",
        commands=[dict(argv=CONSOLE, stdin="jsonencode(local.report)\n"), PLAN,
                  PLAN + ["-var-file=prod.tfvars"], PLAN + ["-var-file=foo.auto.example.tfvars"]],
        facts=facts_tfvars),
    "tfvars-dangling-symlink": dict(
        description="terraform.tfvars and terraform.tfvars.json are symlinks to missing files.",
        commands=[PLAN], facts=facts_plan_error),
    "tfvars-dangling-symlink-auto": dict(
        description="x.auto.tfvars is a symlink to a missing file.",
        commands=[PLAN], facts=facts_plan_error),
    "tfvars-auto-directory": dict(
        description="y.auto.tfvars is a directory (holding a .tfvars file).",
        commands=[PLAN], facts=facts_plan_error),
    "test-files": dict(
        description="main.tf requires aws ~> 5.0; tests/a.tftest.hcl has provider \"aws\", mock_provider "
                    "\"random\" and \"aws\"; main.tftest.hcl has provider \"google\"; no run block uses a module.",
        commands=[PROVIDERS, INIT, PROVIDERS], facts=facts_test_files),
    "test-files-run-module": dict(
        description="As test-files, but a run block in tests/a.tftest.hcl uses module ./setup, which "
                    "requires hashicorp/random >= 3.0.",
        commands=[PROVIDERS, INIT, PROVIDERS], facts=facts_test_files),
    "provider-block-version": dict(
        description="required_providers aws >= 5.0 plus deprecated provider \"aws\" { version = \"< 5.31\" }; "
                    "aws 5.1.0, 5.31.0 and 5.99.0 available.",
        plugins={AWS: ["5.1.0", "5.31.0", "5.99.0"]},
        commands=[PROVIDERS, INIT, PROVIDERS], facts=facts_provider_block),
    "provider-block-version-conflict": dict(
        description="required_providers aws >= 6.0 plus provider block version < 5.0.",
        commands=[PROVIDERS, INIT], facts=facts_provider_block),
    "provider-block-version-only": dict(
        description="No required_providers; only provider \"aws\" { version = \"~> 5.1\" }.",
        commands=[PROVIDERS, INIT], facts=facts_provider_block),
    "lock-uppercase": dict(
        description="Lock file keyed registry.terraform.io/HashiCorp/AWS (5.31.0); aws ~> 5.0 required; "
                    "5.31.0 and 5.99.0 available.",
        plugins={AWS: ["5.31.0", "5.99.0"]},
        commands=[PROVIDERS, INIT, PROVIDERS], facts=facts_lock),
    "lock-no-hostname": dict(
        description="Lock file keyed hashicorp/aws (no hostname); otherwise as lock-uppercase.",
        plugins={AWS: ["5.31.0", "5.99.0"]},
        commands=[PROVIDERS, INIT, PROVIDERS], facts=facts_lock),
    "lock-opentofu-host": dict(
        description="Lock file keyed registry.opentofu.org/hashicorp/aws; otherwise as lock-uppercase.",
        plugins={AWS: ["5.31.0", "5.99.0"]},
        commands=[PROVIDERS, INIT, PROVIDERS], facts=facts_lock),
    "lock-control": dict(
        description="Control for the lock-* cases: the same lock keyed registry.terraform.io/hashicorp/aws.",
        plugins={AWS: ["5.31.0", "5.99.0"]},
        commands=[PROVIDERS, INIT, PROVIDERS], facts=facts_lock),
}

def facts_init_errors(results, ctx, f):
    f["init_errors"] = [d for d in diagnostics(results[0]["stderr"]) if d["severity"] == "error"]


CASES["module-source-expression"] = dict(
    description="module x has source = var.src (default \"./m\"); module y has a registry source "
                "and version = local.v: whether terraform evaluates either.",
    commands=[INIT], facts=facts_init_errors)

MODULE_CASES = {
    "template": 'source = "template" (a bare word)',
    "relative-no-dot": 'source = "modules/foo" without ./ (the directory exists)',
    "git": 'source = "git::https://example.com/x.git"',
    "registry": 'source = "hashicorp/consul/aws"',
    "registry-subdir": 'source = "hashicorp/consul/aws//modules/agent" with version = "1.2.0"',
    "github-shorthand": 'source = "github.com/example/terraform-aws-foo"',
    "local": 'source = "./modules/foo" (control; the directory exists)',
    "local-with-version": 'source = "./modules/foo" with version = "1.2.0"',
    "local-missing": 'source = "./modules/missing" (no such directory)',
}
for k, v in MODULE_CASES.items():
    CASES["module-source-" + k] = dict(
        description=f"One module call with {v}; no network.",
        commands=[PROVIDERS, INIT, VALIDATE], facts=facts_module)


def facts_alias(results, ctx, f):
    """Where terraform validate puts each diagnostic: file and line, or None
    for one with no source location."""
    v = json.loads(results[-1]["stdout"])
    f["validate_locations"] = [
        {"severity": d["severity"], "summary": d["summary"],
         "file": d.get("range", {}).get("filename"),
         "line": d.get("range", {}).get("start", {}).get("line")}
        for d in v["diagnostics"]]


ALIAS_CASES = {
    "passed-undeclared": "child/ uses aws.region-master without declaring it in configuration_aliases; "
                         "its only caller passes it in its providers map",
    "not-passed": "child/ uses aws.region-master without declaring it; its only caller has no providers map",
    "passed-by-one-caller": "child/ uses aws.region-master without declaring it; module.child passes it, "
                            "module.other has no providers map",
    "passed-unused": "the caller passes aws.region-master; child/ neither declares nor uses it",
    "declared": "control: child/ declares aws.region-master in configuration_aliases and the caller passes it",
}
for k, v in ALIAS_CASES.items():
    CASES["provider-alias-" + k] = dict(
        description=v + f" (hashicorp/aws {REAL_AWS}, so that validate has its schema).",
        plugins="real-aws", commands=[INIT, VALIDATE], facts=facts_alias)


def main(argv):
    ver = json.loads(subprocess.run([TF, "version", "-json"], capture_output=True, text=True,
                                    check=True).stdout)["terraform_version"]
    if ver != "1.11.4":
        print(f"warning: recording with terraform {ver}, not 1.11.4", file=sys.stderr)
    names = argv or sorted(CASES)
    on_disk = sorted(d for d in os.listdir(DATA) if os.path.isdir(os.path.join(DATA, d, "tree")))
    missing = sorted(set(on_disk) - set(CASES))
    if missing:
        sys.exit(f"case directories with no definition in record.sh: {missing}")
    for name in names:
        case = CASES[name]
        results, ctx = run_case(name, case)
        facts = generic_facts(results, ctx)
        if "facts" in case:
            case["facts"](results, ctx, facts)
        oracle = {"terraform_version": ver, "case": name, "description": case["description"],
                  "commands": results, "facts": facts}
        if "plugins" in case:
            oracle["plugin_versions"] = ({AWS: [REAL_AWS]} if case["plugins"] == "real-aws"
                                         else case["plugins"])
        else:
            oracle["plugin_versions"] = DEFAULT_PLUGINS
        with open(os.path.join(DATA, name, "oracle.json"), "w") as fh:
            json.dump(oracle, fh, indent=2, ensure_ascii=False)
            fh.write("\n")
        print(f"{name}: " + ", ".join(str(r["exit_code"]) for r in results))


main(sys.argv[1:])
PY
