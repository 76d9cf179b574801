"""Production runs background work through the database and a worker process."""

from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings

from coaching.accounts.services import invite_client
from coaching.models import User
from exercises.models import Stage

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}


@pytest.mark.usefixtures("seeded_transactional_db")
def test_an_invitation_waits_in_the_database_until_the_worker_sends_it(coach_a: User) -> None:
    """With the database backend nothing is sent in the request; db_worker sends it."""
    with override_settings(TASKS=DATABASE_TASKS):
        invite_client(
            coach=coach_a,
            first_name="Wendy",
            last_name="Worker",
            email="wendy@example.com",
            stage=Stage.objects.get(progression__slug="hip-hinge", position=1),
        )
        assert mail.outbox == []
        call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO())
    assert [m.to for m in mail.outbox] == [["wendy@example.com"]]


def test_production_defaults_to_the_database_backend(settings: Any) -> None:
    """DEBUG off means TASKS_BACKEND=database unless said otherwise."""
    import subprocess
    import sys

    from tests.coaching.test_settings import GOOD_PRODUCTION, ROOT

    env = {**GOOD_PRODUCTION, "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", "import coaching.settings as s; print(s.TASKS)"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "django_tasks_db.backend.DatabaseBackend" in result.stdout, result.stderr


# The assessment's reminders are queued by `manage.py tick`: see
# tests/coaching/assessments/test_reminders.py.
