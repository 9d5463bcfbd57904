"""Joining a class is exactly-once under real concurrency: twenty simultaneous "Join" posts by
one student make one membership. PostgreSQL only, like tests/test_concurrency.py."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client

from quizzes.models import Membership
from tests.factories import ClassroomFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL)"),
]
THREADS = 20


def test_simultaneous_joins_make_one_membership():
    classroom = ClassroomFactory()
    student = UserFactory()
    barrier = threading.Barrier(THREADS)
    statuses: list[int] = []

    def join() -> None:
        client = Client()
        client.force_login(student)
        barrier.wait()
        try:
            response = client.post("/classes/join/", {"code": classroom.join_code})
            statuses.append(response.status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=join) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [302] * THREADS
    assert Membership.objects.filter(classroom=classroom, student=student).count() == 1
