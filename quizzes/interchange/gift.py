"""GIFT, Moodle's plain-text question format: read and write.

    // [id:trials-years]
    // quizsite-topic: The three trials
    ::trials-years::Between which years were the Moscow Trials held?{
        ~1919 and 1923
        =1936 and 1938
        ####The trials were held between 1936 and 1938.
    }

What quizsite reads, as Moodle does (question/format/gift in Moodle's source):
- questions are separated by blank lines; `//` starts a comment line; `::title::` names one;
  `$CATEGORY: path` sets the category; `[html]`, `[moodle]`, `[plain]`, `[markdown]` set a
  text's format (HTML is turned into plain text);
- `\\ \\~ \\= \\# \\{ \\} \\:` escape the special characters and `\\n` is a new line;
- `{=right ~wrong}` single choice; `{~%50%a ~%50%b ~%-100%c}` multiple choice (options with a
  positive weight are right); `{T}` `{TRUE}` `{F}` `{FALSE}` true/false; `{=a =b}` short answer;
  `{#1108}`, `{#1108:5}`, `{#1100..1116}` numeric; `{=left -> right = -> spare}` matching;
  `{>3 ALL VERTICAL ...` then one item a line `}` ordering (Moodle's ordering question type);
  `####text` is the general feedback (our explanation); `#text` after an answer is per-answer
  feedback, which quizsite has no place for and leaves out; text after the `}` makes a
  missing-word question (the blank is shown as _____).
- quizsite's own fields ride in comment lines before the question, which Moodle ignores:
  `// [id:key]` (Moodle's own convention for an id), `// quizsite-topic:`, `-difficulty:`,
  `-points:`, `-status:`, `-passage:`, `-passage-start:` and, for ordering questions, whose GIFT
  form has no room for feedback, `-explanation:`. So an export read back is the same questions.

What quizsite cannot take, and says so with the line: essay (`{}`) and description questions,
several answer blocks in one question, partial-credit answers (`=%50%...`) outside multiple
choice. Reading is all or nothing: every problem is collected and nothing is imported.

Pure Python: no Django.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from quizzes.grading import QuestionType
from quizzes.interchange.htmltext import html_to_text
from quizzes.interchange.schema import (
    FormatError,
    Parsed,
    category_leaf,
    plain_number,
    slug_key,
    to_decimal,
)

# Escaped special characters are swapped for private-use characters while a question is taken
# apart, so that "\=" never reads as an answer marker; they are put back in each piece.
_ESCAPES = {
    ":": "\ue000",
    "#": "\ue001",
    "=": "\ue002",
    "{": "\ue003",
    "}": "\ue004",
    "~": "\ue005",
}
_BACKSLASH, _NEWLINE = "\ue006", "\ue007"
_RESTORE = {v: k for k, v in _ESCAPES.items()} | {_BACKSLASH: "\\", _NEWLINE: "\n"}
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d*)?)%")
_FORMAT = re.compile(r"^\[(html|moodle|plain|markdown)\]", re.IGNORECASE)
_META = re.compile(r"^//\s*quizsite-([a-z-]+):\s?(.*)$")
# One character class, not `>\s*\d*[A-Za-z0-9_ ]*`, whose overlapping runs backtrack: a head of
# 40,000 spaces and a "!" took seconds. It reads every head the old one did.
_ORDERING_HEAD = re.compile(r">[\sA-Za-z0-9_]*")
_MULTIPLE_WEIGHT_DIGITS = 5


@dataclass
class GiftFile:
    category: str
    questions: list[Parsed]


def _protect(text: str) -> str:
    text = text.replace("\\\\", _BACKSLASH)
    text = re.sub(r"\\([:#={}~])", lambda m: _ESCAPES[m.group(1)], text)
    return text.replace("\\n", _NEWLINE)


def _restore(text: str) -> str:
    return "".join(_RESTORE.get(ch, ch) for ch in text)


class _Block:
    """One question's lines: the text without its comments, and the line each part is on."""

    def __init__(self, first_line: int, lines: list[str]) -> None:
        self.first_line = first_line
        self.meta: dict[str, str] = {}
        self.comments: list[str] = []
        kept: list[str] = []
        for line in lines:
            stripped = line.strip()
            if stripped.startswith("//"):
                self.comments.append(stripped)
                if match := _META.match(stripped):
                    self.meta[match.group(1)] = _unescape_meta(match.group(2))
                kept.append("")  # keep the line count, so offsets map to lines
            else:
                kept.append(line)
        self.text = _protect("\n".join(kept))

    def line_at(self, offset: int) -> int:
        return self.first_line + self.text.count("\n", 0, max(offset, 0))

    @property
    def is_empty(self) -> bool:
        return not self.text.strip()


def _blocks(source: str) -> list[_Block]:
    blocks: list[_Block] = []
    current: list[str] = []
    start = 1
    for number, line in enumerate(source.split("\n"), start=1):
        if line.strip():
            if not current:
                start = number
            current.append(line)
        elif current:
            blocks.append(_Block(start, current))
            current = []
    if current:
        blocks.append(_Block(start, current))
    return blocks


def parse_gift(source: str) -> GiftFile:
    """Read a GIFT file into question dicts. Raises FormatError listing every problem."""
    source = source.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if any(ch in source for ch in _RESTORE):
        raise FormatError.at(0, "The file contains private-use characters that GIFT cannot carry.")
    category = ""
    questions: list[Parsed] = []
    problems: list[tuple[int, str]] = []
    for block in _blocks(source):
        if block.is_empty:
            continue
        body = block.text.strip()
        if body.startswith("$CATEGORY:"):
            category = _restore(body[len("$CATEGORY:") :]).strip()
            continue
        try:
            questions.append(Parsed(block.first_line, _question(block, category)))
        except FormatError as error:
            problems += error.problems
    if problems:
        raise FormatError(problems)
    if not questions:
        raise FormatError.at(0, "The file has no questions in it.")
    return GiftFile(category, questions)


def _question(block: _Block, category: str) -> dict[str, Any]:
    text = block.text
    offset = len(text) - len(text.lstrip())
    text = text.strip()
    title = ""
    if text.startswith("::"):
        end = text.find("::", 2)
        if end < 0:
            raise FormatError.at(block.line_at(offset), "The title opened with :: is not closed.")
        title = _restore(text[2:end]).strip()
        offset += end + 2
        text = text[end + 2 :]
    opening = text.find("{")
    closing = text.find("}")
    if opening < 0 and closing < 0:
        raise FormatError.at(
            block.line_at(offset),
            "This has no answers in { }: quizsite has no description questions.",
        )
    if closing < 0:
        raise FormatError.at(
            block.line_at(offset + opening),
            "The answers opened with { are not closed with }.",
        )
    if opening < 0 or closing < opening:
        raise FormatError.at(
            block.line_at(offset + closing),
            "A } has no { before it (write \\} for a brace in the text).",
        )
    line = block.line_at(offset + opening)
    after = text[closing + 1 :].strip()
    if "{" in after or "}" in after:
        raise FormatError.at(line, "Only one answer block { } per question, please.")
    before = text[:opening].rstrip()
    html = False
    if match := _FORMAT.match(before.lstrip()):
        html = match.group(1).lower() == "html"
        before = before.lstrip()[match.end() :]
    prompt = f"{before.strip()} _____ {after}".strip() if after else before
    prompt = _text(prompt, html)
    answers = text[opening + 1 : closing]
    explanation = ""
    if (general := answers.rfind("####")) >= 0:
        explanation = _text(answers[general + 4 :], html)
        answers = answers[:general]
    answers = answers.strip()
    if not prompt:
        raise FormatError.at(line, "The question has no text before its answers.")
    try:
        data = _answers(answers, html)
    except ValueError as error:
        raise FormatError.at(line, str(error)) from None
    return _with_meta(
        block, data, title=title, prompt=prompt, explanation=explanation, category=category
    )


def _text(text: str, html: bool) -> str:
    text = _restore(text).strip()
    return html_to_text(text) if html else text


def _split_feedback(answer: str) -> str:
    """An answer without its per-answer feedback (#...), which quizsite does not keep."""
    return answer.split("#", 1)[0].strip()


def _weight(answer: str) -> tuple[Decimal | None, str]:
    if match := _WEIGHT.match(answer):
        return Decimal(match.group(1)), answer[match.end() :]
    return None, answer


def _answers(answers: str, html: bool) -> dict[str, Any]:
    if not answers:
        raise ValueError("Essay questions ({}) cannot be imported: quizsite grades every answer.")
    if answers.startswith(">"):
        return _ordering(answers, html)
    if answers.startswith("#"):
        return _numeric(answers[1:])
    if "~" in answers:
        return _choices(answers, html)
    if "=" in answers and "->" in answers:
        return _matching(answers, html)
    if _split_feedback(answers) in {"T", "TRUE", "F", "FALSE"}:
        return {
            "type": QuestionType.TRUE_FALSE,
            "answer": _split_feedback(answers) in {"T", "TRUE"},
        }
    if "=" in answers:
        return _short(answers, html)
    raise ValueError(
        "Cannot tell what kind of question this is: mark answers with = (right) and ~ (wrong), "
        "or write {T}, {F}, {#number} or {=item -> match}."
    )


def _pieces(answers: str, marker: str) -> list[str]:
    pieces = answers.split(marker)
    if pieces and not pieces[0].strip():
        pieces = pieces[1:]
    elif pieces and pieces[0].strip():
        raise ValueError(
            f"Unexpected text “{_restore(pieces[0].strip())}” before the first {marker}."
        )
    return [p.strip() for p in pieces]


def _choices(answers: str, html: bool) -> dict[str, Any]:
    single = "=" in answers
    choices = []
    for piece in _pieces(answers.replace("=", "~="), "~"):
        if piece.startswith("="):
            weight, text = Decimal(100), piece[1:]
        else:
            weight, text = _weight(piece)
        text = _text(_split_feedback(text), html)
        if not text:
            raise ValueError("An option is empty.")
        choices.append((text, weight or Decimal(0)))
    if len(choices) < 2:
        raise ValueError("A choice question needs at least two options.")
    if single:
        partial = [t for t, w in choices if 0 < w < 100]
        if partial:
            raise ValueError(
                f"The option “{partial[0]}” earns part of the marks: quizsite's single-choice "
                "questions have one right answer. For several right answers, weigh every right "
                "one and leave out the = (~%50%a ~%50%b ~%-100%c)."
            )
        right = sum(1 for _, w in choices if w >= 100)
        if right != 1:
            raise ValueError(
                f"This has {right} answers marked right with =: a single-choice question has "
                "exactly one. For several right answers, give each a weight (~%50%a ~%50%b)."
            )
        qtype = QuestionType.SINGLE_CHOICE
    else:
        if not any(w > 0 for _, w in choices):
            raise ValueError(
                "No option is right: mark the right one with =, or give the right ones a "
                "positive weight (~%50%)."
            )
        qtype = QuestionType.MULTIPLE_CHOICE
    return {"type": qtype, "choices": [{"text": t, "correct": w > 0} for t, w in choices]}


def _matching(answers: str, html: bool) -> dict[str, Any]:
    pairs, spares = [], []
    for piece in _pieces(answers, "="):
        if "->" not in piece:
            raise ValueError(f"“{_restore(piece)}” has no -> between an item and its match.")
        left, right = piece.split("->", 1)
        left, right = _text(left, html), _text(right, html)
        if not right:
            raise ValueError(f"The item “{left}” has no match after its ->.")
        if left:
            pairs.append({"left": left, "right": right})
        else:
            spares.append(right)
    return {"type": QuestionType.MATCHING, "pairs": pairs, "spares": spares}


def _short(answers: str, html: bool) -> dict[str, Any]:
    accepted = []
    for piece in _pieces(answers, "="):
        weight, text = _weight(piece)
        if weight is not None and weight != 100:
            raise ValueError(
                f"The answer “{_text(_split_feedback(text), html)}” earns {weight}%: quizsite's "
                "short answers are right or wrong. Leave it out or make it worth 100%."
            )
        text = _text(_split_feedback(text), html)
        if text:
            accepted.append(text)
    if not accepted:
        raise ValueError("A short-answer question needs at least one accepted answer.")
    return {"type": QuestionType.SHORT_ANSWER, "answers": accepted}


def _numeric(answers: str) -> dict[str, Any]:
    answers = answers.split("~", 1)[0]  # ~#feedback for any other answer: nothing to keep
    pieces = _pieces(answers, "=") if "=" in answers else [answers.strip()]
    full: list[tuple[Decimal, Decimal]] = []
    for piece in pieces:
        weight, text = _weight(piece)
        if weight is not None and weight != 100:
            raise ValueError(
                f"An answer earns {weight}% of the marks: quizsite's numeric questions have one "
                "right value and a tolerance. Leave the partly right answers out."
            )
        text = _restore(_split_feedback(text))
        if ".." in text:
            low, high = (to_decimal(t) for t in text.split("..", 1))
            if low is None or high is None or high < low:
                raise ValueError(f"“{text}” is not a range of numbers like 1100..1116.")
            full.append(((low + high) / 2, (high - low) / 2))
        else:
            value_text, _, tolerance_text = text.partition(":")
            value, tolerance = to_decimal(value_text), to_decimal(tolerance_text or "0")
            if value is None or tolerance is None:
                raise ValueError(f"“{text}” is not a number (with an optional :tolerance).")
            full.append((value, abs(tolerance)))
    if len(full) != 1:
        raise ValueError("A numeric question has exactly one right value here.")
    value, tolerance = full[0]
    return {
        "type": QuestionType.NUMERIC,
        "answer": plain_number(value),
        "tolerance": plain_number(tolerance),
    }


def _ordering(answers: str, html: bool) -> dict[str, Any]:
    head, _, rest = answers.partition("\n")
    if not _ORDERING_HEAD.fullmatch(head.strip()):
        raise ValueError(
            "An ordering question starts {>N, its options, then one item a line, in the right "
            "order."
        )
    items = [_text(line, html) for line in rest.split("\n") if line.strip()]
    return {"type": QuestionType.ORDERING, "items": items}


def _with_meta(
    block: _Block, data: dict[str, Any], *, title: str, prompt: str, explanation: str, category: str
) -> dict[str, Any]:
    meta = block.meta
    given = _first_id(block.comments)
    key = slug_key(given) if given is not None else slug_key(title or prompt)
    if given is not None and re.fullmatch(r"[-a-zA-Z0-9_]+", given.strip()):
        key = given.strip()
    data = {
        "key": key,
        **data,
        "prompt": prompt,
        "explanation": meta.get("explanation", explanation),
        "topic": meta.get("topic") or category_leaf(category) or "General",
        "difficulty": meta.get("difficulty", "medium"),
        "points": _int(meta.get("points", "1")),
        "passage": meta.get("passage", ""),
    }
    if "status" in meta:
        data["status"] = meta["status"]
    if "passage-start" in meta:
        data["passage_start"] = _int(meta["passage-start"])
    return data


def _first_id(comments: list[str]) -> str | None:
    """The id of the first `[id:...]` in the comments, found with plain search: the pattern
    `\\[id:([^\\]]+)\\]` would scan to the end of the line again from every `[id:` of a
    comment holding thousands of them and no `]`."""
    for comment in comments:
        start = comment.find("[id:")
        while start >= 0:
            end = comment.find("]", start + 4)
            if end < 0:
                break  # no "]" after this "[id:", so none after any later one either
            if end > start + 4:
                return comment[start + 4 : end]
            start = comment.find("[id:", start + 1)
    return None


def _int(text: str) -> int | str:
    return int(text) if text.strip().isdigit() else text


# Writing


def _escape(text: str) -> str:
    """Moodle's own escaping (qformat_gift::repchar): \\ # = ~ { } : and new lines."""
    out = text.replace("\\", "\\\\")
    for ch in "#=~{}:":
        out = out.replace(ch, "\\" + ch)
    return out.replace("\r", "").replace("\n", "\\n")


def _escape_meta(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\r", "").replace("\n", "\\n")


def _unescape_meta(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), text)


def _weight_text(value: Decimal) -> str:
    text = f"{value:.{_MULTIPLE_WEIGHT_DIGITS}f}".rstrip("0").rstrip(".")
    return text


def write_gift(questions: list[dict[str, Any]], *, category: str = "", title: str = "") -> str:
    """A GIFT file of question dicts, that Moodle imports and `parse_gift` reads back the same."""
    lines = [
        f"// {title or 'Questions'}: exported from quizsite.",
        "// The quizsite-… comment lines keep each question's topic, difficulty and source",
        "// passage; Moodle ignores them.",
        "",
    ]
    if category:
        lines += [f"$CATEGORY: {category}", ""]
    for data in questions:
        lines += _write_question(data)
        lines.append("")
    return "\n".join(lines)


def _write_question(data: dict[str, Any]) -> list[str]:
    qtype = data["type"]
    out = [f"// [id:{data['key']}]"]
    meta = {
        "topic": data.get("topic", ""),
        "difficulty": data.get("difficulty", "medium"),
        "points": str(data.get("points", 1)),
        "status": data.get("status", "draft"),
    }
    if data.get("passage"):
        meta["passage"] = data["passage"]
        if data.get("passage_start") is not None:
            meta["passage-start"] = str(data["passage_start"])
    explanation = str(data.get("explanation", ""))
    if qtype == QuestionType.ORDERING and explanation:
        meta["explanation"] = explanation
    out += [f"// quizsite-{name}: {_escape_meta(value)}" for name, value in meta.items()]
    prompt = str(data["prompt"])
    head = (
        f"::{_escape(data['key'])}::" + ("[markdown]" if "**" in prompt else "") + _escape(prompt)
    )
    general = f"\t####{_escape(explanation)}" if explanation else None
    match qtype:
        case QuestionType.SINGLE_CHOICE:
            body = [
                f"\t{'=' if c.get('correct') else '~'}{_escape(c['text'])}" for c in data["choices"]
            ]
        case QuestionType.MULTIPLE_CHOICE:
            right = sum(1 for c in data["choices"] if c.get("correct"))
            share = _weight_text(Decimal(100) / max(right, 1))
            body = [
                f"\t~%{share if c.get('correct') else '-' + share}%{_escape(c['text'])}"
                for c in data["choices"]
            ]
        case QuestionType.TRUE_FALSE:
            answer = "TRUE" if data["answer"] else "FALSE"
            tail = f"####{_escape(explanation)}" if explanation else ""
            return [*out, f"{head}{{{answer}{tail}}}"]
        case QuestionType.SHORT_ANSWER:
            body = [f"\t={_escape(a)}" for a in data["answers"]]
        case QuestionType.NUMERIC:
            body = [f"\t={data['answer']}:{data.get('tolerance', 0)}"]
            return [*out, f"{head}{{#", *body, *([general] if general else []), "}"]
        case QuestionType.MATCHING:
            body = [f"\t={_escape(p['left'])} -> {_escape(p['right'])}" for p in data["pairs"]]
            body += [f"\t= -> {_escape(s)}" for s in data.get("spares", [])]
        case QuestionType.ORDERING:
            # Moodle's ordering format: {>count select layout grading show, then one item a line.
            # It has no room for general feedback: the explanation is in a comment above.
            items = [_escape_item(i) for i in data["items"]]
            grading = "RELATIVE_ALL_PREVIOUS_AND_NEXT"
            return [*out, f"{head}{{>{len(items)} ALL VERTICAL {grading} SHOW", *items, "}"]
        case _:
            raise ValueError(f"unknown question type {qtype!r}")
    return [*out, f"{head}{{", *body, *([general] if general else []), "}"]


def _escape_item(text: str) -> str:
    """Ordering items are read line by line; only what would end the block needs escaping."""
    return text.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}").replace("\n", "\\n")
