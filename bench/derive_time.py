"""Time of quizzes.derive on long and pathological texts: is it linear?

Run from the project root: make bench-derive_time ARGS="[--root PATH] [--quick]"
(or .venv/bin/python -m bench.derive_time ...).

Prints the CPU model, then for realistic prose (the sources and tests/data texts under varied
headings, as bench/derive.py also uses them) and for pathological texts (". " repeated, long
runs of blanks, digits, brackets, years, commas ...) the seconds for 100 KB and 1 MB, and the
ratio of 80 KB to 40 KB (about 2 when linear, 4 when quadratic). Goals: 100 KB under 1 s, 1 MB
of any text under 10 s. ``--root`` times another checkout's engine (e.g. the main branch) for a
before/after comparison; ``--quick`` stops at 100 KB.
"""

from __future__ import annotations

import argparse
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
}


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


def timed(derive, text: str) -> float:
    start = time.perf_counter()
    derive(text)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--root", type=Path, default=ROOT, help="checkout whose engine to time")
    parser.add_argument("--quick", action="store_true", help="100 KB only")
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
    say(f"CPU: {cpu_model()}; Python {platform.python_version()}; engine: {args.root}")
    say(f"{'text':<14} {'40 KB':>7} {'80 KB':>7} {'ratio':>6} {'100 KB':>7} {'1 MB':>7}")
    worst_100k = worst_1m = 0.0
    cases = {"prose": None, **PATHOLOGICAL}
    for name, unit in cases.items():
        make = (lambda n: prose(n, ROOT)) if unit is None else (lambda n, u=unit: repeat(u, n))
        t40 = timed(derive, make(40_000))
        t80 = timed(derive, make(80_000))
        t100 = timed(derive, make(100_000))
        worst_100k = max(worst_100k, t100)
        row = f"{name:<14} {t40:>7.2f} {t80:>7.2f} {t80 / max(t40, 1e-3):>6.1f} {t100:>7.2f}"
        if not args.quick and t100 < 3:
            t1m = timed(derive, make(1_000_000))
            worst_1m = max(worst_1m, t1m)
            row += f" {t1m:>7.2f}"
        elif not args.quick:
            row += "  (skip)"
        say(row)
    say(f"worst 100 KB: {worst_100k:.2f} s (goal < 1 s)")
    if not args.quick:
        say(f"worst 1 MB: {worst_1m:.2f} s (goal < 10 s)")
    out.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
