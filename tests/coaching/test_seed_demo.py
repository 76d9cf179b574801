from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

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


def test_seed_demo_refuses_when_debug_is_off() -> None:
    """Known passwords never reach production."""
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert not User.objects.exists()
