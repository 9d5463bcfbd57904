"""Time of quizzes.derive on long and pathological texts: is it linear?

Run from the project root: make bench-derive_time ARGS="[--root PATH] [--quick]"
(or .venv/bin/python -m bench.derive_time ...); ``--only "table rows" "varied prose"`` times
those texts alone.

Prints the CPU model, then for realistic prose (the sources and tests/data texts under varied
headings, as bench/derive.py also uses them) and for pathological texts (". " repeated, long
runs of blanks, digits, brackets, years, commas, table rows ...) and texts that never repeat a
line, dense with facts and so with drafts (varied prose, notes, a table) the seconds for 100 KB
and 1 MB, and the
ratio of 80 KB to 40 KB (about 2 when linear, 4 when quadratic). Goals: 100 KB under 1 s, 1 MB
of any text under 10 s. ``--root`` times another checkout's engine (e.g. the main branch) for a
before/after comparison; ``--quick`` stops at 100 KB.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

from bench.harness import ROOT, cpu_model, results

PATHOLOGICAL = {
    "full stops": ". ",
    "blanks": " ",
    "tabs": "\t ",
    "blank lines": "\n",
    "one long word": "a",
    "digits": "1",
    "years": "1914 ",
    "brackets": "[",
    "markers": "[1]",
    "quotes": '"',
    "commas": "In 1920, ",
    "lists": "Stalin and ",
    "names": "Leon Trotsky, ",
    "bullets": "- a\n",
    "capitals": "Big ",
    "dense prose": "In 1917, Lenin and Trotsky led the Bolsheviks. ",
    "numbered": "1. a\n",
    "table rows": "| a | 1 |\n",
    "tab rows": "a\t1\n",
}


def _name(i: int) -> str:
    """A made-up name, different for every i ("Bababa", "Cebaba", ...)."""
    return "".join(
        "bcdfghjklmnprstvz"[(i // 17**j) % 17] + "aeiou"[(i // 5**j) % 5] for j in range(3)
    ).capitalize()


# Texts that never repeat a line, so that no cache of repeated lines helps: dense with the facts
# every pattern asks about (a name, a year, a party) and so with drafts.
VARIED = {
    "varied prose": lambda i: (
        f"In {1000 + i % 1000}, {_name(i)} {_name(i + 7)} led the {_name(i + 3)} Party "
        f"against {_name(i + 11)}. "
    ),
    "varied notes": lambda i: f"- {_name(i)} {_name(i + 5)} was born in {1500 + i % 500}\n",
    "varied table": lambda i: f"| {_name(i)} | {i % 1000} | {(i * 7) % 1000} |\n",
}


def varied(line, size: int) -> str:
    parts: list[str] = []
    total = i = 0
    while total < size:
        parts.append(line(i))
        total += len(parts[-1])
        i += 1
    return "".join(parts)[:size]


def prose(size: int, root: Path) -> str:
    texts = [
        p.read_text(encoding="utf-8")
        for p in sorted((root / "fixtures" / "sources").glob("*.txt"))
        + sorted((root / "tests" / "data").glob("*.txt"))
    ]
    parts: list[str] = []
    total = 0
    n = 0
    while total < size:
        text = texts[n % len(texts)]
        part = f"Part {n + 1}: {text.splitlines()[0].strip() or 'Section'}\n\n{text}\n\n"
        parts.append(part)
        total += len(part)
        n += 1
    return "".join(parts)[:size]


def repeat(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def timed(derive, text: str) -> tuple[float, float]:
    """CPU seconds (what the engine costs, steady on a busy machine) and wall seconds."""
    cpu, wall = time.process_time(), time.perf_counter()
    derive(text)
    return time.process_time() - cpu, time.perf_counter() - wall


def load() -> str:
    return "load average " + ", ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--root", type=Path, default=ROOT, help="checkout whose engine to time")
    parser.add_argument("--quick", action="store_true", help="100 KB only")
    parser.add_argument("--only", nargs="*", default=[], help="these texts only (their names)")
    args = parser.parse_args()
    # Another checkout's engine is imported in place of this one's (before/after figures).
    sys.path.insert(0, str(args.root.resolve()))
    for name in [m for m in sys.modules if m == "quizzes" or m.startswith("quizzes.")]:
        del sys.modules[name]
    from quizzes.derive import derive

    out = results("derive-time.txt").open("w", encoding="utf-8")

    def say(line: str) -> None:
        print(line, flush=True)
        out.write(line + "\n")

    derive(prose(3000, ROOT))  # warm up: imports and the segmenter
    say(f"CPU: {cpu_model()}; Python {platform.python_version()}; engine: {args.root}; {load()}")
    say("CPU seconds (process_time), and the wall clock's for 1 MB")
    head = f"{'text':<14} {'40 KB':>7} {'80 KB':>7} {'ratio':>6} {'100 KB':>7} {'1 MB':>7}"
    say(f"{head} {'1 MB wall':>9}")
    worst_100k = worst_1m = 0.0
    cases = {"prose": None, **PATHOLOGICAL, **VARIED}
    for name, unit in cases.items():
        if args.only and name not in args.only:
            continue
        if unit is None:
            make = lambda n: prose(n, ROOT)  # noqa: E731
        elif callable(unit):
            make = lambda n, u=unit: varied(u, n)  # noqa: E731
        else:
            make = lambda n, u=unit: repeat(u, n)  # noqa: E731
        t40, _ = timed(derive, make(40_000))
        t80, _ = timed(derive, make(80_000))
        t100, _ = timed(derive, make(100_000))
        worst_100k = max(worst_100k, t100)
        row = f"{name:<14} {t40:>7.2f} {t80:>7.2f} {t80 / max(t40, 1e-3):>6.1f} {t100:>7.2f}"
        if not args.quick and t100 < 10:
            t1m, wall = timed(derive, make(1_000_000))
            worst_1m = max(worst_1m, t1m)
            row += f" {t1m:>7.2f} {wall:>9.2f}"
        elif not args.quick:
            row += "  (skip)"
        say(row)
    say(f"worst 100 KB: {worst_100k:.2f} s CPU (goal < 1 s)")
    if not args.quick:
        say(f"worst 1 MB: {worst_1m:.2f} s CPU (goal < 10 s)")
    say(load())
    out.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
