"""POST data that answers any question right or wrong, through the attempt's own shuffle."""

from __future__ import annotations

from quizzes.forms import AnswerForm
from quizzes.grading import QuestionType
from quizzes.models import Attempt, Question


def answer_data(attempt: Attempt, question: Question, *, right: bool) -> dict[str, object]:
    form = AnswerForm(question, attempt.seed)
    items = form.items
    match QuestionType(question.type):
        case QuestionType.SINGLE_CHOICE | QuestionType.TRUE_FALSE:
            index = next(i for i, c in enumerate(items) if c.is_correct == right)
            return {"choice": str(index)}
        case QuestionType.MULTIPLE_CHOICE:
            return {"choice": [str(i) for i, c in enumerate(items) if c.is_correct == right]}
        case QuestionType.SHORT_ANSWER:
            return {"answer": items[0].text.upper() + " " if right else "Nobody in particular"}
        case QuestionType.NUMERIC:
            value = int(question.numeric_answer)
            return {"answer": f"{value:,}" if right else str(value + 1)}
        case QuestionType.ORDERING:
            ranked = sorted(items, key=lambda c: (c.position, c.id))
            if not right:
                ranked.reverse()
            return {f"position_{i}": str(ranked.index(c) + 1) for i, c in enumerate(items)}
        case QuestionType.MATCHING:
            partners = form.partners
            data = {}
            for i, item in enumerate(items):
                partner = item if right else next(p for p in partners if p.id != item.id)
                data[f"match_{i}"] = str(partners.index(partner))
            return data
    raise ValueError(question.type)
