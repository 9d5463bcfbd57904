"""A plain-text report of drafts: counts by type, by confidence band, by topic."""

from __future__ import annotations

from collections import Counter

from .draft import Draft

BANDS = (("high (>= 0.80)", 0.80), ("medium (0.65-0.79)", 0.65), ("low (< 0.65)", 0.0))


def band(confidence: float) -> str:
    for name, floor in BANDS:
        if confidence >= floor:
            return name
    return BANDS[-1][0]


def format_report(drafts: list[Draft]) -> str:
    """Counts by type and by confidence band (and by topic), for `derive_questions --report`."""
    lines = [f"Drafts: {len(drafts)}"]
    by_type = Counter(d.type for d in drafts)
    lines.append("By type:")
    for name, count in sorted(by_type.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"  {name:<16} {count:>4}")
    lines.append("By confidence:")
    by_band = Counter(band(d.confidence) for d in drafts)
    for name, _ in BANDS:
        lines.append(f"  {name:<19} {by_band.get(name, 0):>4}")
    by_type_band: dict[str, Counter] = {}
    for d in drafts:
        by_type_band.setdefault(d.type, Counter())[band(d.confidence)] += 1
    if drafts:
        lines.append("By type and confidence (high/medium/low):")
        for name in sorted(by_type_band):
            c = by_type_band[name]
            counts = "/".join(str(c.get(b, 0)) for b, _ in BANDS)
            lines.append(f"  {name:<16} {counts}")
        by_topic = Counter(d.topic for d in drafts)
        lines.append("By topic:")
        for name, count in sorted(by_topic.items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append(f"  {name[:40]:<40} {count:>4}")
        mean = sum(d.confidence for d in drafts) / len(drafts)
        lines.append(f"Mean confidence: {mean:.2f}")
    return "\n".join(lines)


def why_nothing(raw: str) -> str:
    """Why a text gave no draft at all, in words a teacher can act on."""
    from .clean import clean_text
    from .document import parse_document
    from .entities import find_numbers, find_years

    cleaned = clean_text(raw)
    if not cleaned.strip():
        return (
            "Nothing is left of this text once the web-page leftovers (menus, links, references) "
            "are removed. Paste the article's own paragraphs."
        )
    words = len(cleaned.split())
    sentences = parse_document(cleaned).sentences
    if words < 40:
        plural = "s" if words != 1 else ""
        return (
            f"The text has only {words} word{plural}. Paste at least a paragraph or two of "
            "history text: sentences that say who did what, and when."
        )
    dated = sum(1 for s in sentences if find_years(s.text) or find_numbers(s.text))
    if not dated:
        return (
            f"None of the text's {len(sentences)} sentences carries a year or a figure, and "
            "none says plainly who did what. Questions rest on such facts: try a text with "
            "names, dates and numbers."
        )
    return (
        f"No sentence of the text's {len(sentences)} could be turned into a question the "
        "engine is sure of: it asks only about plain statements of fact (who did what, when, "
        "how many) in prose, notes, timelines or tables of figures. Try a text that names the "
        "people, places and events it is about, with their dates and figures."
    )
