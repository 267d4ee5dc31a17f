#!/usr/bin/env python3
"""Summarise a results file of 'PASS name' / 'FAIL name' lines.

Prints the failures, then exactly one final line 'N passed, N failed', and
exits non-zero when anything failed or nothing ran at all.
"""
import sys


def main():
    path = sys.argv[1]
    try:
        with open(path) as f:
            lines = [l.split(None, 1) for l in f if l.strip()]
    except FileNotFoundError:
        lines = []
    passed = sum(1 for l in lines if l[0] == "PASS")
    failed = [l[1].strip() for l in lines if l[0] == "FAIL"]
    if failed:
        print("Failures:")
        for name in failed:
            print(f"  {name}")
    print(f"{passed} passed, {len(failed)} failed")
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
