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
