"""Moodle XML, Moodle's complete question format: read and write.

    <quiz>
      <question type="category">
        <category><text>$course$/top/The Moscow Trials</text></category>
      </question>
      <question type="multichoice">
        <name><text>trials-years</text></name>
        <questiontext format="html"><text>&lt;p&gt;Between which…</text></questiontext>
        <generalfeedback format="html">
          <text>…explanation… &lt;blockquote class="quizsite-passage"…</text>
        </generalfeedback>
        <defaultgrade>1</defaultgrade> <hidden>0</hidden> <idnumber>trials-years</idnumber>
        <single>true</single>
        <answer fraction="100" format="html"><text>1936 and 1938</text></answer> …
        <tags>
          <tag><text>topic: The three trials</text></tag>
          <tag><text>difficulty: easy</text></tag>
        </tags>
      </question>
    </quiz>

Question types: multichoice (single true/false), truefalse, shortanswer, numerical, matching,
ordering (Moodle's ordering question type; answers in the right order, their fraction giving
the place) and category. quizsite's fields go where Moodle has a place for them: the key in
<name> and <idnumber>, points in <defaultgrade>, draft as <hidden>1</hidden>, topic and
difficulty as tags, and the source passage quoted in the general feedback after the
explanation, which is also where Moodle shows it to students.

Untrusted files are read with care: no DTD, no entities (so no "billion laughs" and no
external files), and every element keeps its line so that each problem names its line.
Reading is all or nothing, like GIFT.

Pure Python: no Django.
"""

from __future__ import annotations

import base64
import binascii
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from html import escape, unescape
from typing import Any
from xml.parsers import expat

from quizzes.grading import QuestionType
from quizzes.images import clean_image
from quizzes.interchange.htmltext import feedback_html, html_to_text, split_feedback, text_to_html
from quizzes.interchange.schema import (
    FormatError,
    Parsed,
    category_leaf,
    plain_number,
    slug_key,
    to_decimal,
)

SUPPORTED = ("multichoice", "truefalse", "shortanswer", "numerical", "matching", "ordering")
ORDERING_OPTIONS = {
    "layouttype": "VERTICAL",
    "selecttype": "ALL",
    "selectcount": "0",
    "gradingtype": "RELATIVE_ALL_PREVIOUS_AND_NEXT",
    "showgrading": "SHOW",
}


class _Tree:
    """An ElementTree built by expat directly, remembering each element's line."""

    def __init__(self) -> None:
        self.builder = ET.TreeBuilder()
        self.lines: dict[ET.Element, int] = {}
        self.parser = expat.ParserCreate("utf-8")
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self.builder.end
        self.parser.CharacterDataHandler = self.builder.data
        self.parser.StartDoctypeDeclHandler = self._refuse
        self.parser.EntityDeclHandler = self._refuse
        self.parser.ExternalEntityRefHandler = self._refuse
        self.parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def _start(self, tag: str, attrs: dict[str, str]) -> None:
        element = self.builder.start(tag, attrs)
        self.lines[element] = self.parser.CurrentLineNumber

    def _refuse(self, *args: Any) -> None:
        raise FormatError.at(
            self.parser.CurrentLineNumber,
            "The file declares a document type or entities, which quizsite does not read.",
        )

    def parse(self, data: bytes) -> ET.Element:
        try:
            self.parser.Parse(data, True)
        except expat.ExpatError as error:
            message = expat.ErrorString(error.code)
            raise FormatError.at(
                error.lineno, f"This is not well-formed XML ({message})."
            ) from None
        return self.builder.close()


def parse_moodle_xml(data: bytes | str) -> tuple[str, list[Parsed]]:
    """Read a Moodle XML file into (category, question dicts). Raises FormatError."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    tree = _Tree()
    root = tree.parse(data)
    if root.tag != "quiz":
        raise FormatError.at(
            tree.lines[root], f"A Moodle XML file starts with <quiz>, not <{root.tag}>."
        )
    category = ""
    questions: list[Parsed] = []
    problems: list[tuple[int, str]] = []
    for element in root:
        line = tree.lines[element]
        if element.tag != "question":
            problems.append((line, f"Expected a <question>, found <{element.tag}>."))
            continue
        qtype = element.get("type", "")
        if qtype == "category":
            category = _text(element, "category").strip()
            continue
        try:
            questions.append(Parsed(line, _question(element, qtype, category)))
        except ValueError as error:
            name = _text(element, "name").strip()
            label = f"question “{name}”: " if name else ""
            problems.append((line, f"{label}{error}"))
    if problems:
        raise FormatError(problems)
    if not questions:
        raise FormatError.at(0, "The file has no questions in it.")
    return category, questions


def _text(element: ET.Element, path: str) -> str:
    found = element.find(f"{path}/text")
    return (found.text or "") if found is not None else ""


def _formatted(element: ET.Element | None) -> str:
    """The text of a <questiontext>, <answer>, <subquestion>…, as plain text."""
    if element is None:
        return ""
    found = element.find("text")
    text = (found.text or "") if found is not None else ""
    if element.get("format", "html") == "html":
        return html_to_text(text)
    return text.strip()


def _fraction(answer: ET.Element) -> Decimal:
    value = to_decimal(answer.get("fraction", "0"))
    if value is None:
        raise ValueError(f"the fraction “{answer.get('fraction')}” is not a number.")
    return value


def _question(element: ET.Element, qtype: str, category: str) -> dict[str, Any]:
    if qtype not in SUPPORTED:
        kind = qtype or "(no type)"
        raise ValueError(
            f"quizsite cannot import {kind} questions; it imports {', '.join(SUPPORTED)}."
        )
    prompt = _formatted(element.find("questiontext"))
    if not prompt:
        raise ValueError("it has no question text.")
    answers = element.findall("answer")
    match qtype:
        case "multichoice":
            data = _multichoice(element, answers)
        case "truefalse":
            right = [_formatted(a).casefold() for a in answers if _fraction(a) > 0]
            if right not in (["true"], ["false"]):
                raise ValueError(
                    "a true/false question gives 100 to exactly one of true and false."
                )
            data = {"type": QuestionType.TRUE_FALSE, "answer": right == ["true"]}
        case "shortanswer":
            data = {"type": QuestionType.SHORT_ANSWER, "answers": _full_marks(answers, "answer")}
        case "numerical":
            data = _numerical(answers)
        case "matching":
            data = _matching(element)
        case _:  # ordering
            ranked = sorted(enumerate(answers), key=lambda ia: (_fraction(ia[1]), ia[0]))
            data = {"type": QuestionType.ORDERING, "items": [_formatted(a) for _, a in ranked]}
    feedback = element.find("generalfeedback")
    explanation, passage, start = ("", "", None)
    if feedback is not None:
        raw = _text(element, "generalfeedback")
        if feedback.get("format", "html") == "html":
            explanation, passage, start = split_feedback(raw)
        else:
            explanation = raw.strip()
    name = _text(element, "name").strip()
    idnumber = (element.findtext("idnumber") or "").strip()
    tags = [(t.text or "").strip() for t in element.findall("tags/tag/text")]
    tagged = dict(t.split(":", 1) for t in tags if ":" in t)
    tagged = {k.strip().casefold(): v.strip() for k, v in tagged.items()}
    difficulty = tagged.get("difficulty", "medium")
    result = {
        "key": idnumber if re.fullmatch(r"[-a-zA-Z0-9_]+", idnumber) else slug_key(name or prompt),
        **data,
        "prompt": prompt,
        "explanation": explanation,
        "passage": passage,
        "topic": tagged.get("topic") or category_leaf(category) or "General",
        "difficulty": difficulty,
        "points": _points(element.findtext("defaultgrade")),
        "status": "draft" if (element.findtext("hidden") or "0").strip() == "1" else "published",
    }
    if start is not None:
        result["passage_start"] = start
    image = _image(element.find("questiontext"))
    if image:
        result["image"] = image
    return result


PLUGINFILE = "@@PLUGINFILE@@/"
_IMG_ALT = re.compile(r"<img\b[^>]*?\balt\s*=\s*(\"[^\"]*\"|'[^']*')", re.IGNORECASE)


def _image(questiontext: ET.Element | None) -> dict[str, Any] | None:
    """The first picture embedded in the question text (<file encoding="base64">, shown by
    an <img src="@@PLUGINFILE@@/name">), checked and re-encoded like an upload."""
    embedded = questiontext.find("file") if questiontext is not None else None
    if embedded is None:
        return None
    try:
        raw = base64.b64decode("".join((embedded.text or "").split()), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("its picture is not valid base64.") from None
    clean = clean_image(raw)  # an ImageProblem is a ValueError: a problem of this question
    html = questiontext.findtext("text") or ""
    alt = _IMG_ALT.search(html)
    alt_text = unescape(alt.group(1)[1:-1]).strip() if alt else ""
    if not alt_text:
        raise ValueError("its picture has no alt text: describe it in the <img>'s alt.")
    return {"data": clean.data, "extension": clean.extension, "alt": alt_text}


def _multichoice(element: ET.Element, answers: list[ET.Element]) -> dict[str, Any]:
    single = (element.findtext("single") or "true").strip().casefold() in ("true", "1")
    choices = [(_formatted(a), _fraction(a)) for a in answers]
    if len(choices) < 2:
        raise ValueError("a choice question needs at least two answers.")
    if single:
        partial = [t for t, f in choices if 0 < f < 100]
        if partial:
            raise ValueError(
                f"the answer “{partial[0]}” earns part of the marks: quizsite's single-choice "
                "questions have one right answer (or make it a multiple-answer question)."
            )
        right = sum(1 for _, f in choices if f >= 100)
        if right != 1:
            raise ValueError(
                f"a single-answer question needs exactly one answer worth 100%, not {right}."
            )
        qtype = QuestionType.SINGLE_CHOICE
    else:
        if not any(f > 0 for _, f in choices):
            raise ValueError("no answer earns any marks.")
        qtype = QuestionType.MULTIPLE_CHOICE
    return {"type": qtype, "choices": [{"text": t, "correct": f > 0} for t, f in choices]}


def _full_marks(answers: list[ET.Element], what: str) -> list[str]:
    accepted = []
    for answer in answers:
        fraction = _fraction(answer)
        text = _formatted(answer)
        if fraction == 0 or text == "*":
            continue  # feedback for wrong answers: nothing to keep
        if fraction != 100:
            raise ValueError(
                f"the {what} “{text}” earns {fraction}%: quizsite's answers are right or wrong."
            )
        accepted.append(text)
    if not accepted:
        raise ValueError(f"no {what} earns full marks.")
    return accepted


def _numerical(answers: list[ET.Element]) -> dict[str, Any]:
    values = _full_marks(answers, "number")
    if len(values) != 1:
        raise ValueError("a numeric question has exactly one right value here.")
    answer = next(a for a in answers if _formatted(a) == values[0])
    value = to_decimal(values[0])
    tolerance = to_decimal(answer.findtext("tolerance") or "0")
    if value is None or tolerance is None:
        raise ValueError(f"“{values[0]}” is not a number.")
    return {
        "type": QuestionType.NUMERIC,
        "answer": plain_number(value),
        "tolerance": plain_number(abs(tolerance)),
    }


def _matching(element: ET.Element) -> dict[str, Any]:
    pairs, spares = [], []
    for sub in element.findall("subquestion"):
        left = _formatted(sub)
        right = (sub.findtext("answer/text") or "").strip()
        if not right:
            raise ValueError(f"the item “{left}” has no answer to match it.")
        if left:
            pairs.append({"left": left, "right": right})
        else:
            spares.append(right)
    return {"type": QuestionType.MATCHING, "pairs": pairs, "spares": spares}


def _points(text: str | None) -> Any:
    value = to_decimal(text or "1")
    if value is not None and value == value.to_integral_value() and value >= 1:
        return int(value)
    return text  # question_problems says what is wrong with it


# Writing


def write_moodle_xml(questions: list[dict[str, Any]], *, category: str = "") -> bytes:
    """A Moodle XML file of question dicts, that Moodle imports and `parse_moodle_xml` reads
    back the same."""
    quiz = ET.Element("quiz")
    if category:
        cat = ET.SubElement(quiz, "question", type="category")
        _sub_text(ET.SubElement(cat, "category"), category)
    for data in questions:
        quiz.append(_write_question(data))
    ET.indent(quiz, space="  ")
    comment = (
        "<!-- Exported from quizsite. Each question's general feedback quotes its source "
        "passage; its tags carry the topic and difficulty. -->\n"
    )
    body = ET.tostring(quiz, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{comment}{body}\n'.encode()


def _sub_text(parent: ET.Element, text: str, tag: str = "text") -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = text
    return element


def _html(parent: ET.Element, tag: str, html: str, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, format="html", **attrs)
    _sub_text(element, html)
    return element


def _answer(parent: ET.Element, fraction: str, text: str, html: bool = True) -> ET.Element:
    if html:
        answer = _html(parent, "answer", text_to_html(text), fraction=fraction)
    else:
        answer = ET.SubElement(parent, "answer", fraction=fraction, format="moodle_auto_format")
        _sub_text(answer, text)
    feedback = ET.SubElement(answer, "feedback", format="html")
    _sub_text(feedback, "")
    return answer


def _embed_image(questiontext: ET.Element, image: dict[str, Any]) -> None:
    """Moodle's way: the file inside the question text, the <img> naming it by @@PLUGINFILE@@."""
    name = f"picture.{image['extension']}"
    html = questiontext.find("text")
    alt = escape(image["alt"], quote=True)
    html.text += f'<p><img src="{PLUGINFILE}{name}" alt="{alt}"></p>'
    embedded = ET.SubElement(questiontext, "file", name=name, path="/", encoding="base64")
    embedded.text = base64.b64encode(image["data"]).decode("ascii")


def _fraction_text(value: Decimal) -> str:
    return f"{value:.7f}".rstrip("0").rstrip(".")


def _write_question(data: dict[str, Any]) -> ET.Element:
    qtype = data["type"]
    moodle_type = {
        QuestionType.SINGLE_CHOICE: "multichoice",
        QuestionType.MULTIPLE_CHOICE: "multichoice",
        QuestionType.TRUE_FALSE: "truefalse",
        QuestionType.SHORT_ANSWER: "shortanswer",
        QuestionType.NUMERIC: "numerical",
        QuestionType.MATCHING: "matching",
        QuestionType.ORDERING: "ordering",
    }[qtype]
    question = ET.Element("question", type=moodle_type)
    _sub_text(ET.SubElement(question, "name"), data["key"])
    text = _html(question, "questiontext", f"<p>{text_to_html(str(data['prompt']))}</p>")
    if data.get("image"):
        _embed_image(text, data["image"])
    feedback = feedback_html(
        str(data.get("explanation", "")), str(data.get("passage", "")), data.get("passage_start")
    )
    _html(question, "generalfeedback", feedback)
    _sub_text(question, str(data.get("points", 1)), "defaultgrade")
    _sub_text(question, "1" if qtype == QuestionType.TRUE_FALSE else "0.3333333", "penalty")
    _sub_text(question, "0" if data.get("status") == "published" else "1", "hidden")
    _sub_text(question, data["key"], "idnumber")
    match qtype:
        case QuestionType.SINGLE_CHOICE | QuestionType.MULTIPLE_CHOICE:
            single = qtype == QuestionType.SINGLE_CHOICE
            _sub_text(question, "true" if single else "false", "single")
            _sub_text(question, "true", "shuffleanswers")
            _sub_text(question, "abc", "answernumbering")
            right = sum(1 for c in data["choices"] if c.get("correct")) or 1
            share = Decimal(100) / right
            for choice in data["choices"]:
                if single:
                    fraction = "100" if choice.get("correct") else "0"
                else:
                    fraction = _fraction_text(share if choice.get("correct") else -share)
                _answer(question, fraction, choice["text"])
        case QuestionType.TRUE_FALSE:
            _answer(question, "100" if data["answer"] else "0", "true", html=False)
            _answer(question, "0" if data["answer"] else "100", "false", html=False)
        case QuestionType.SHORT_ANSWER:
            _sub_text(question, "0", "usecase")
            for accepted in data["answers"]:
                _answer(question, "100", accepted, html=False)
        case QuestionType.NUMERIC:
            answer = _answer(question, "100", str(data["answer"]), html=False)
            _sub_text(answer, str(data.get("tolerance", 0)), "tolerance")
        case QuestionType.MATCHING:
            _sub_text(question, "true", "shuffleanswers")
            rows = [(p["left"], p["right"]) for p in data["pairs"]]
            rows += [("", spare) for spare in data.get("spares", [])]
            for left, right in rows:
                sub = _html(question, "subquestion", text_to_html(left) if left else "")
                _sub_text(ET.SubElement(sub, "answer"), right)
        case QuestionType.ORDERING:
            for tag, value in ORDERING_OPTIONS.items():
                _sub_text(question, value, tag)
            for place, item in enumerate(data["items"], start=1):
                _answer(question, str(place), item)
    tags = ET.SubElement(question, "tags")
    for name in ("topic", "difficulty"):
        if data.get(name):
            _sub_text(ET.SubElement(tags, "tag"), f"{name}: {data[name]}")
    return question
