"""Joining a class is exactly-once under real concurrency: a hundred simultaneous "Join" posts by
one student make one membership. PostgreSQL only, like tests/test_concurrency.py."""

from quizzes.models import Membership
from tests.concurrency import CONCURRENT, THREADS, run_at_once
from tests.factories import ClassroomFactory, UserFactory

pytestmark = CONCURRENT


def test_simultaneous_joins_make_one_membership():
    classroom = ClassroomFactory()
    student = UserFactory()
    responses = run_at_once(
        student, lambda c: c.post("/classes/join/", {"code": classroom.join_code})
    )
    assert [r.status_code for r in responses] == [302] * THREADS
    assert Membership.objects.filter(classroom=classroom, student=student).count() == 1
