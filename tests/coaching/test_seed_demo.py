from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from clients.models import Client
from clients.progression import Status
from coaching.models import Coach, User

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=True)
def test_seed_demo_builds_the_documented_logins_and_can_run_twice() -> None:
    """Running it twice leaves one of each account, with the documented password."""
    out = StringIO()
    call_command("seed_demo", stdout=out)
    call_command("seed_demo", stdout=out)
    assert "coach@example.com" in out.getvalue()
    coach = User.objects.get(email="coach@example.com")
    assert coach.check_password("demo-pass-123")
    assert coach.is_coach
    assert Coach.objects.count() == 2
    assert User.objects.filter(email="coach@example.com").count() == 1
    assert Client.objects.filter(user__email="client@example.com").count() == 1


@override_settings(DEBUG=True)
def test_seed_demo_shows_every_status_stored_as_the_gate_decides() -> None:
    """At least one READY, one FLARE and one HOLD waiting for a check-in (the documented
    client), over the eight stages; the stored state is what the gate gives from history."""
    call_command("seed_demo", stdout=StringIO())
    clients = list(Client.objects.select_related("user", "stage"))
    assert len(clients) >= 12
    assert {c.stage.position for c in clients if c.stage} == set(range(1, 9))
    statuses = {c.gate_status for c in clients}
    assert {Status.READY, Status.FLARE, Status.HOLD} <= statuses
    jamie = next(c for c in clients if c.user.email == "client@example.com")
    assert jamie.gate_status == Status.HOLD
    assert any(r["code"] == "check_in_wait" for r in jamie.gate_reasons)
    out = StringIO()
    call_command("recompute_gate", "--check", stdout=out)  # exits 1 on any difference
    assert "0 differences found" in out.getvalue()


def test_seed_demo_refuses_when_debug_is_off() -> None:
    """Known passwords never reach production."""
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert not User.objects.exists()
