"""Which database a query reads.

Everything reads and writes the primary ("default"), except the teachers' dashboards that only
read and tolerate a second of replication lag (the gradebook, question and quiz analysis, a
student's progress as their teacher sees it): they read the replica when DATABASE_REPLICA_URL
configures one. There is deliberately no database router: a student must always read their own
answers back from the primary.
"""

from django.conf import settings

REPLICA = "replica"


def dashboard_db() -> str:
    """The alias for a dashboard's read-only queries: the replica if there is one."""
    return REPLICA if REPLICA in settings.DATABASES else "default"
