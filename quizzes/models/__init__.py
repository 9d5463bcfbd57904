from quizzes.models.accounts import User
from quizzes.models.attempts import Attempt, AttemptQuerySet, Response
from quizzes.models.content import (
    Choice,
    Difficulty,
    Question,
    QuestionQuerySet,
    Quiz,
    QuizQuerySet,
    SourceDocument,
    Status,
    Topic,
)

__all__ = [
    "Attempt",
    "AttemptQuerySet",
    "Choice",
    "Difficulty",
    "Question",
    "QuestionQuerySet",
    "Quiz",
    "QuizQuerySet",
    "Response",
    "SourceDocument",
    "Status",
    "Topic",
    "User",
]
