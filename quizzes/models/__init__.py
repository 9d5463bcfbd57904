from quizzes.models.accounts import User
from quizzes.models.attempts import Attempt, AttemptQuerySet, Response
from quizzes.models.classes import Assignment, Classroom, ClassroomQuerySet, Membership
from quizzes.models.content import (
    Choice,
    ContentStamp,
    Difficulty,
    Question,
    QuestionQuerySet,
    Quiz,
    QuizQuerySet,
    SourceDocument,
    Status,
    Thinking,
    Topic,
)
from quizzes.models.progress import QuestionProgress, QuestionProgressQuerySet

__all__ = [
    "Assignment",
    "Attempt",
    "AttemptQuerySet",
    "Choice",
    "Classroom",
    "ClassroomQuerySet",
    "ContentStamp",
    "Difficulty",
    "Membership",
    "Question",
    "QuestionProgress",
    "QuestionProgressQuerySet",
    "QuestionQuerySet",
    "Quiz",
    "QuizQuerySet",
    "Response",
    "SourceDocument",
    "Status",
    "Thinking",
    "Topic",
    "User",
]
