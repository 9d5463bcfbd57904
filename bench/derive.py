"""Benchmark of quizzes.derive: a ~100 KB document derived several times.

Run from the project root: .venv/bin/python -m bench.derive [--runs N] [--size BYTES]
Builds the document as bench/derive_time.py's `prose` does (the source texts and tests/data
passages under varied headings) to the size, then prints size, drafts count, median and max seconds.
"""

from __future__ import annotations

import argparse
import statistics
import time

from bench.derive_time import prose
from bench.harness import ROOT
from quizzes.derive import derive

LIMIT_SECONDS = 2.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--size", type=int, default=100_000)
    args = parser.parse_args()
    doc = prose(args.size, ROOT)
    derive(doc[:2000])  # warm up: imports and the segmenter
    times = []
    drafts = []
    for _ in range(args.runs):
        start = time.perf_counter()
        drafts = derive(doc)
        times.append(time.perf_counter() - start)
    median = statistics.median(times)
    print(f"document size: {len(doc.encode('utf-8')) / 1000:.1f} KB ({len(doc)} characters)")
    print(f"drafts: {len(drafts)}")
    print(f"runs: {args.runs}  median: {median:.3f} s  max: {max(times):.3f} s")
    verdict = "OK" if max(times) < LIMIT_SECONDS else "TOO SLOW"
    print(f"limit: {LIMIT_SECONDS:.1f} s -> {verdict}")
    return 0 if max(times) < LIMIT_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
