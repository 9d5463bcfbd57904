"""Record a judge's labels for one evaluation document's drafts, in the order the engine gives them.

Run from the project root:
  .venv/bin/python -m bench.derive_label tuning/notes.txt            # list the unlabelled drafts
  .venv/bin/python -m bench.derive_label tuning/notes.txt a e r u ... # label them, in that order

a = as is, e = after an edit, r = reject, u = ungrounded (see tests/data/eval/RUBRIC.md).
Labels already given are kept; only unlabelled drafts are listed and labelled.
"""

from __future__ import annotations

import json
import sys

from bench.derive_quality import EVAL, LABELS, signature
from quizzes.derive import derive

CODES = {"a": "as_is", "e": "edit", "r": "reject", "u": "ungrounded"}


def main() -> int:
    name, codes = sys.argv[1], sys.argv[2:]
    labels = json.loads(LABELS.read_text(encoding="utf-8")) if LABELS.exists() else {}
    mine = labels.setdefault(name, {})
    drafts = derive((EVAL / name).read_text(encoding="utf-8"))
    todo = [d for d in drafts if signature(d) not in mine]
    if not codes:
        for i, d in enumerate(todo):
            print(f"{i:>2} {d.confidence:.2f} {signature(d)}")
        return 0
    if len(codes) != len(todo):
        print(f"{len(todo)} unlabelled drafts, {len(codes)} labels given", file=sys.stderr)
        return 1
    for d, code in zip(todo, codes, strict=True):
        mine[signature(d)] = {"label": CODES[code]}
    LABELS.write_text(json.dumps(labels, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
