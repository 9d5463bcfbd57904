from quizzes.models.accounts import User, UserQuerySet
from quizzes.models.attempts import Attempt, AttemptQuerySet, Response, ResponseQuerySet
from quizzes.models.cards import LoginCard
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
from quizzes.models.live import LiveAnswer, LiveGame, LivePlayer
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
    "LiveAnswer",
    "LiveGame",
    "LivePlayer",
    "LoginCard",
    "Membership",
    "Question",
    "QuestionProgress",
    "QuestionProgressQuerySet",
    "QuestionQuerySet",
    "Quiz",
    "QuizQuerySet",
    "Response",
    "ResponseQuerySet",
    "SourceDocument",
    "Status",
    "Thinking",
    "Topic",
    "User",
    "UserQuerySet",
]
