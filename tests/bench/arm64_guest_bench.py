#!/usr/bin/env python3
"""arm64 guest benchmarks (not part of make check): boot the bench suite of the
PV test guest (tests/bench/scenarios/arm64-pv-bench.toml: one CPU, QEMU
-icount shift=0) with the boot-test runner, read its BENCH lines and print each
figure beside its baseline from the same run, as a ratio.

Under -icount shift=0 the guest's clock advances 1 ns per emulated
instruction, so the figures are instruction counts of the whole machine
(guest and Basalt); runs are repeated to show they reproduce.
Run from the repository root after `make ARCH=arm64`: make -C tests/bench arm64.
"""
import argparse
import re
import subprocess
import sys

SCENARIO = "tests/bench/scenarios/arm64-pv-bench.toml"
LOGS = "build/bench/boot"
PAIRS = [  # figure, its baseline
    ("null_hypercall", "baseline_empty_call"),
    ("event_pingpong_interdomain", "baseline_event_to_self"),
]


def run_once():
    r = subprocess.run([sys.executable, "tests/boot/run.py", "--logs", LOGS, SCENARIO],
                       capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        sys.exit("benchmark boot failed:\n" + r.stdout + r.stderr)
    figures, name, total = {}, None, 0
    with open(f"{LOGS}/arm64-pv-bench.log", errors="replace") as log:
        for line in log:
            m = re.search(r"BENCH (\w+) total_ns (\d+)", line)
            if m:
                name, total = m.group(1), int(m.group(2))
                continue
            m = re.search(r"BENCH\s+iterations (\d+)", line)
            if m and name:
                figures[name] = total / int(m.group(1))
    return figures


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=2)
    args = ap.parse_args()
    runs = [run_once() for _ in range(args.runs)]
    print(f"{'figure':32} {'instr/iter':>12} {'baseline':>26} {'instr/iter':>12} {'ratio':>8}")
    for fig, base in PAIRS:
        for i, r in enumerate(runs):
            print(f"{fig:32} {r[fig]:>12.1f} {base:>26} {r[base]:>12.1f} {r[fig] / r[base]:>8.1f}"
                  f"   (run {i + 1})")
    same = all(r == runs[0] for r in runs)
    print("reproducible across runs" if same else "runs differ (see above)")


if __name__ == "__main__":
    main()
