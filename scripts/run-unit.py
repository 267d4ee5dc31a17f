#!/usr/bin/env python3
"""Run every CMocka unit-test program in a directory and record each test case.

Each program runs with TAP output; every 'ok'/'not ok' line becomes a
PASS/FAIL line in the results file. A program that crashes (a sanitizer
report, an abort) or prints no plan counts as a failure of the program, so
a crash can never pass silently.
"""
import argparse
import glob
import os
import re
import subprocess
import sys

TAP_LINE = re.compile(r"^(ok|not ok) (\d+) - (.*)$")
TIMEOUT_SECONDS = 300


def run_one(path):
    name = os.path.basename(path)
    env = dict(os.environ, CMOCKA_MESSAGE_OUTPUT="TAP",
               ASAN_OPTIONS="detect_leaks=1:abort_on_error=1",
               UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1")
    try:
        p = subprocess.run([path], env=env, capture_output=True, text=True,
                           timeout=TIMEOUT_SECONDS)
        out, rc = p.stdout + p.stderr, p.returncode
    except subprocess.TimeoutExpired as e:
        out, rc = (e.stdout or b"").decode() if isinstance(e.stdout, bytes) else (e.stdout or ""), -1
        out += f"\n{name}: timed out after {TIMEOUT_SECONDS}s"
    results = []
    for line in out.splitlines():
        m = TAP_LINE.match(line.strip())
        if m:
            results.append(("PASS" if m.group(1) == "ok" else "FAIL", f"unit:{name}:{m.group(3)}"))
    crashed = rc != 0 and all(s == "PASS" for s, _ in results)
    if not results or crashed:
        results.append(("FAIL", f"unit:{name}:(program exit {rc})"))
    return results, out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("testdir")
    ap.add_argument("--results")
    args = ap.parse_args()
    progs = sorted(p for p in glob.glob(os.path.join(args.testdir, "test_*"))
                   if os.access(p, os.X_OK) and not p.endswith((".o", ".d")))
    failed = 0
    lines = []
    for prog in progs:
        results, out = run_one(prog)
        bad = [r for r in results if r[0] == "FAIL"]
        ok = len(results) - len(bad)
        print(f"{'FAIL' if bad else 'PASS'} {os.path.basename(prog)}: {ok} passed, {len(bad)} failed",
              flush=True)
        if bad:
            failed += len(bad)
            print(out[-4000:], flush=True)
        lines += [f"{s} {n}\n" for s, n in results]
    if not progs:
        lines.append("FAIL unit:(no test programs found)\n")
        failed += 1
    if args.results:
        with open(args.results, "a") as r:
            r.writelines(lines)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
