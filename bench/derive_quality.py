"""How good are the engine's drafts? Figures on the labelled evaluation set.

Run from the project root: make bench-derive_quality
ARGS="[--set tuning|heldout|heldout2|heldout3|all] [--unlabelled] [--no-time]" (or
.venv/bin/python -m bench.derive_quality ...).

The documents are in tests/data/eval/<set>/, one per form a teacher pastes (narrative, notes,
timeline, primary source, biography, tables, Markdown headings, web copy); each draft's label
("as_is", "edit", "reject" or "ungrounded", by tests/data/eval/RUBRIC.md) is in
tests/data/eval/labels.json, matched by the draft's type, prompt and right answer. A draft the
engine makes that has no label is counted as unlabelled (and listed with --unlabelled, to
judge): the figures say so rather than guess.

Printed per form and in total: drafts per 500 words; the share usable as is, and as is or
after an edit; rejects and ungrounded drafts; the share of fact-bearing lines (a sentence,
bullet, timeline line or table row with a year, a figure or a name) that have a usable draft;
the share usable as is per confidence band; and the time for 100 KB and 1 MB of prose.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections import Counter

from bench.derive_time import cpu_model, prose
from bench.harness import ROOT
from quizzes.derive import clean_text, derive
from quizzes.derive.report import BANDS, band

EVAL = ROOT / "tests" / "data" / "eval"
LABELS = EVAL / "labels.json"
USABLE = {"as_is", "edit"}
_FACT = re.compile(r"\b(?:1[0-9]{3}|20[0-9]{2})\b|\d|(?<=[a-z,;] )[A-Z][a-z]")


def answer_of(d) -> str:
    if d.type in ("single_choice", "multiple_choice"):
        return " | ".join(d.correct_texts)
    if d.type == "short_answer":
        return (d.answers or [""])[0]
    if d.type == "ordering":
        return " > ".join(d.items or [])
    if d.type == "matching":
        return " ; ".join(f"{p['left']} = {p['right']}" for p in d.pairs or [])
    return str(d.answer)


def signature(d) -> str:
    return f"{d.type} :: {d.prompt} :: {answer_of(d)}"


def fact_lines(cleaned: str) -> list[tuple[int, int]]:
    """Spans of the fact-bearing lines: each sentence of prose, bullet, timeline line or table
    row that carries a year, a figure or a name, and has four words or more (or is a table
    row). Found from the text's lines, not by the engine, so that its misreadings count."""
    spans = []
    offset = 0
    for line in cleaned.split("\n"):
        row = "|" in line or "\t" in line
        for m in re.finditer(r"[^.!?]+(?:[.!?]+(?=\s|$)|$)", line):
            piece = m.group().strip()
            if set(piece) <= set("|-: "):
                continue  # a Markdown table's rule
            if _FACT.search(piece) and (row or len(re.findall(r"[\w.,%]+", piece)) >= 4):
                spans.append((offset + m.start(), offset + m.end()))
        offset += len(line) + 1
    return spans


def spans_asked(d, cleaned: str) -> list[tuple[int, int]]:
    """The text a draft asks about: its passage, or for an ordering question (whose passage runs
    over every line between its first and last item) only the lines its items come from."""
    if d.type != "ordering":
        return [(d.passage_start, d.passage_end)]
    spans = []
    offset = d.passage_start
    for line in cleaned[d.passage_start : d.passage_end].split("\n"):
        low = line.lower()
        for item, year in zip(d.items or [], d.item_facts, strict=False):
            words = [w.lower() for w in re.findall(r"[A-Za-z][\w'-]{3,}", item)]
            if year in line and sum(w in low for w in words) * 2 >= len(words):
                spans.append((offset, offset + len(line)))
        offset += len(line) + 1
    return spans


def judge(set_name: str, labels: dict) -> tuple[dict, list]:
    rows: dict[str, dict] = {}
    unlabelled: list[tuple[str, object]] = []
    for path in sorted((EVAL / set_name).glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        name = f"{set_name}/{path.name}"
        cleaned = clean_text(raw)
        drafts = derive(raw)
        mine = labels.get(name, {})
        counts: Counter = Counter()
        per_band: dict[str, Counter] = {b: Counter() for b, _ in BANDS}
        usable_spans = []
        for d in drafts:
            label = mine.get(signature(d), {}).get("label", "unlabelled")
            counts[label] += 1
            per_band[band(d.confidence)][label] += 1
            if label in USABLE:
                usable_spans.extend(spans_asked(d, cleaned))
            if label == "unlabelled":
                unlabelled.append((name, d))
        facts = fact_lines(cleaned)
        covered = sum(1 for s, e in facts if any(a < e and s < b for a, b in usable_spans))
        rows[path.stem] = {
            "words": len(raw.split()),
            "drafts": len(drafts),
            "counts": counts,
            "bands": per_band,
            "facts": len(facts),
            "covered": covered,
        }
    return rows, unlabelled


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.0f}%" if whole else "    -"


def print_set(set_name: str, rows: dict) -> None:
    print(f"\n== {set_name} ==")
    head = f"{'form':<11} {'words':>5} {'drafts':>6} {'/500w':>6} {'as is':>6} {'usable':>6}"
    print(head + f" {'reject':>6} {'ungr.':>5} {'unlab.':>6} {'facts':>5} {'w/ draft':>8}")
    total: dict = {"words": 0, "drafts": 0, "counts": Counter(), "facts": 0, "covered": 0}
    bands: dict[str, Counter] = {b: Counter() for b, _ in BANDS}
    for form, r in rows.items():
        c = r["counts"]
        labelled = r["drafts"] - c["unlabelled"]
        print(
            f"{form:<11} {r['words']:>5} {r['drafts']:>6} {500 * r['drafts'] / r['words']:>6.1f}"
            f" {pct(c['as_is'], labelled):>6} {pct(c['as_is'] + c['edit'], labelled):>6}"
            f" {pct(c['reject'] + c['ungrounded'], labelled):>6} {c['ungrounded']:>5}"
            f" {c['unlabelled']:>6} {r['facts']:>5} {pct(r['covered'], r['facts']):>8}"
        )
        for key in ("words", "drafts", "facts", "covered"):
            total[key] += r[key]
        total["counts"] += c
        for b in bands:
            bands[b] += r["bands"][b]
    c = total["counts"]
    labelled = total["drafts"] - c["unlabelled"]
    print(
        f"{'TOTAL':<11} {total['words']:>5} {total['drafts']:>6}"
        f" {500 * total['drafts'] / max(total['words'], 1):>6.1f}"
        f" {pct(c['as_is'], labelled):>6} {pct(c['as_is'] + c['edit'], labelled):>6}"
        f" {pct(c['reject'] + c['ungrounded'], labelled):>6} {c['ungrounded']:>5}"
        f" {c['unlabelled']:>6} {total['facts']:>5} {pct(total['covered'], total['facts']):>8}"
    )
    print("usable as is per confidence band:")
    for b, _ in BANDS:
        n = sum(bands[b].values()) - bands[b]["unlabelled"]
        print(f"  {b:<19} {pct(bands[b]['as_is'], n)} of {n}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    sets = ["tuning", "heldout", "heldout2", "heldout3"]
    parser.add_argument("--set", choices=[*sets, "all"], default="all")
    parser.add_argument("--unlabelled", action="store_true", help="list drafts with no label")
    parser.add_argument("--no-time", action="store_true", help="skip the 100 KB / 1 MB timing")
    args = parser.parse_args()
    labels = json.loads(LABELS.read_text(encoding="utf-8")) if LABELS.exists() else {}
    print(f"CPU: {cpu_model()}")
    sets = sets if args.set == "all" else [args.set]
    for set_name in sets:
        rows, unlabelled = judge(set_name, labels)
        print_set(set_name, rows)
        if args.unlabelled:
            for name, d in unlabelled:
                print(f"\n[{name}] {d.confidence:.2f} {d.pattern}\n  {signature(d)}")
                if d.type in ("single_choice", "multiple_choice"):
                    print(f"  options: {[c['text'] for c in d.choices or []]}")
                print(f"  passage: {d.passage[:300]}")
    if not args.no_time:
        for size in (100_000, 1_000_000):
            text = prose(size, ROOT)
            start = time.perf_counter()
            derive(text)
            print(f"time for {size // 1000:,} KB of prose: {time.perf_counter() - start:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
