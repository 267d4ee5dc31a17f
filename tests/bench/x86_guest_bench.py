#!/usr/bin/env python3
"""x86-64 guest benchmarks (not part of make check): boot the bench suite of
the PV test guest (tests/guests/common/bench.c) as dom0 on one CPU, VT-x in
Bochs and AMD-V in QEMU, with the boot-test runner; read its BENCH lines and
print each figure beside its baseline from the same run, as a ratio.

Time is Basalt's clock from the guest's TSC (CPUID 0x40000002):
- QEMU TCG under -icount shift=0: 1 ns per emulated instruction, so the
  figures are instruction counts of the whole machine (guest and Basalt).
- Bochs with clock sync=none: emulated time, deterministic; the TSC runs at
  the emulated frequency Basalt measured, so the figures are emulated ns
  (the log's "time: TSC ... MHz" line converts them into cycles).
Runs are repeated to show they reproduce. From the repository root after
`make ARCH=x86_64`: make -C tests/bench x86.
"""
import argparse
import re
import subprocess
import sys

SCENARIOS = {
    "svm-qemu": "tests/bench/scenarios/x86-qemu-svm-bench.toml",
    "vmx-bochs": "tests/bench/scenarios/x86-bochs-vmx-bench.toml",
}
LOGS = "build/bench/boot"
PAIRS = [  # figure, its baseline
    ("null_hypercall", "baseline_empty_call"),
    ("event_pingpong_interdomain", "baseline_event_to_self"),
]


def run_once(scenario):
    r = subprocess.run([sys.executable, "tests/boot/run.py", "--logs", LOGS, scenario],
                       capture_output=True, text=True, timeout=900)
    if r.returncode != 0:
        sys.exit("benchmark boot failed:\n" + r.stdout + r.stderr)
    name = scenario.rsplit("/", 1)[-1].removesuffix(".toml")
    figures, fig, total, mhz = {}, None, 0, None
    with open(f"{LOGS}/{name}.log", errors="replace") as log:
        for line in log:
            m = re.search(r"time: TSC ([\d.]+) MHz", line)
            if m:
                mhz = float(m.group(1))
            m = re.search(r"BENCH (\w+) total_ns (\d+)", line)
            if m:
                fig, total = m.group(1), int(m.group(2))
                continue
            m = re.search(r"BENCH\s+iterations (\d+)", line)
            if m and fig:
                figures[fig] = total / int(m.group(1))
    return figures, mhz


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--only", choices=sorted(SCENARIOS), help="one back end only")
    args = ap.parse_args()
    for key, scenario in SCENARIOS.items():
        if args.only and key != args.only:
            continue
        runs = [run_once(scenario) for _ in range(args.runs)]
        print(f"== {key} (TSC {runs[0][1]} MHz)")
        print(f"{'figure':28} {'ns/iter':>10} {'baseline':>24} {'ns/iter':>10} {'ratio':>7}")
        for fig, base in PAIRS:
            for i, (r, _) in enumerate(runs):
                print(f"{fig:28} {r[fig]:>10.1f} {base:>24} {r[base]:>10.1f}"
                      f" {r[fig] / r[base]:>7.1f}   (run {i + 1})")
        same = all(r == runs[0][0] for r, _ in runs)
        print("reproducible across runs" if same else "runs differ (see above)")


if __name__ == "__main__":
    main()
