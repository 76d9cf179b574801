"""Intake answers are kept only while they serve the visitor: 90 days after the appointment."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from clients.models import Client
from coaching.models import Assessment, User

pytestmark = pytest.mark.django_db


def booked(coach: User, *, days_ago: int, client: Client | None = None) -> Assessment:
    start = timezone.now() - timedelta(days=days_ago)
    return Assessment.objects.create(
        coach=coach.coach_profile,
        starts_at=start,
        ends_at=start + timedelta(minutes=30),
        blocked_until=start + timedelta(minutes=45),
        status="completed",
        manage_token_hash=f"{days_ago:064d}",
        name="Vera Visitor",
        email=f"vera{days_ago}@example.com",
        phone="0123",
        where_it_hurts="Lower back",
        how_long="A month",
        why_in_pain="Bends through the back",
        consented_at=start,
        client=client,
    )


def test_tick_deletes_intake_of_visitors_who_never_became_clients_after_90_days(
    coach_a: User, client_a: Client
) -> None:
    expired = booked(coach_a, days_ago=91)
    recent = booked(coach_a, days_ago=89)
    became_client = booked(coach_a, days_ago=200, client=client_a)
    out = StringIO()
    call_command("tick", stdout=out)
    assert "expired intake answers queued" in out.getvalue()
    expired.refresh_from_db()
    assert (expired.name, expired.email, expired.phone, expired.where_it_hurts) == ("", "", "", "")
    assert expired.why_in_pain == "" and expired.status == "completed"
    for kept in (recent, became_client):
        kept.refresh_from_db()
        assert kept.where_it_hurts == "Lower back" and kept.name == "Vera Visitor"
    again = StringIO()
    call_command("tick", stdout=again)
    assert "expired intake" not in again.getvalue()


def test_the_retention_period_is_a_setting(coach_a: User, settings: pytest.FixtureRequest) -> None:
    settings.INTAKE_RETENTION_DAYS = 30  # type: ignore[attr-defined]
    month_old = booked(coach_a, days_ago=31)
    call_command("tick", stdout=StringIO())
    month_old.refresh_from_db()
    assert month_old.where_it_hurts == ""
