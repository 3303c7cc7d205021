#!/usr/bin/env python3
"""Checks, on a real project, that a partial run agrees with the full run.

    scripts/partial-runs.py TFPIN PROJECT [SAMPLE] [SEED]

Runs `TFPIN check --format json` over the whole PROJECT, then, for SAMPLE
module directories picked at random (default 20, seed 1), the three ways
pre-commit and people run it on part of a project: naming the directory,
naming one file in it, and `.` from inside it. A partial run must report
nothing the full run does not report, and lose nothing the full run
reports in the named module. Prints one line per run that differs, then
the counts. Not part of the test suite: the suite holds the same property
over the repository's fixtures (tests/partial_runs.rs).
"""
import json, os, random, subprocess, sys

tfpin, project = sys.argv[1], os.path.abspath(sys.argv[2])
sample = int(sys.argv[3]) if len(sys.argv) > 3 else 20
random.seed(int(sys.argv[4]) if len(sys.argv) > 4 else 1)

def run(cwd, *paths):
    p = subprocess.run([tfpin, "check", "--format", "json", *paths], cwd=cwd,
                       capture_output=True, text=True)
    if p.returncode not in (0, 1):
        raise SystemExit(f"{cwd} {paths}: exit {p.returncode}: {p.stderr.strip()}")
    doc = json.loads(p.stdout)
    return {(f["rule"], f["file"], f["line"], f["column"], f["message"], f["fingerprint"]): f["module"]
            for f in doc["findings"]}

def modules(root):
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        tf = sorted(f for f in filenames if f.endswith((".tf", ".tf.json")))
        if tf:
            yield os.path.relpath(dirpath, root), tf[0]

full = run(project, ".")
dirs = list(modules(project))
picked = random.sample(dirs, min(sample, len(dirs)))
runs = differ = extra_total = lost_total = 0
for rel, first in picked:
    d = os.path.join(project, rel)
    mine = {k for k, m in full.items() if m == rel}
    for form, cwd, path in (("dir", project, rel), ("file", project, os.path.join(rel, first)),
                            ("cwd", d, ".")):
        part = run(cwd, path)
        extra = set(part) - set(full)
        lost = mine - set(part)
        runs += 1
        if extra or lost:
            differ += 1
            extra_total += len(extra)
            lost_total += len(lost)
            print(f"{rel} ({form}): {len(extra)} extra, {len(lost)} lost")
            for k in sorted(extra)[:3]:
                print("   extra:", k)
            for k in sorted(lost)[:3]:
                print("   lost: ", k)
print(f"{os.path.basename(project)}: {len(picked)} modules, {runs} partial runs, "
      f"{differ} differ ({extra_total} extra, {lost_total} lost findings); full run {len(full)} findings")
