"""After the call: the coach records attended or no-show and an outcome; the visitor gets a
link to a private summary (the email names no health details) that lasts as long as the
studio keeps the intake; "Start program" carries everything over in full."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client as HttpClient
from django.utils import timezone

from coaching.assessments.services import due_work
from coaching.models import Assessment, User
from exercises.models import Stage
from tests.coaching.assessments.test_booking import past_assessment

pytestmark = pytest.mark.django_db
WHY = "Bends through the lower back instead of the hips. " * 8  # longer than 200 characters


def stage(position: int) -> Stage:
    return Stage.objects.get(progression__slug="hip-hinge", position=position)


def record(client: HttpClient, found: Assessment, **extra: Any) -> Any:
    prefix = f"a{found.pk}"
    data = {
        f"{prefix}-why_in_pain": WHY,
        f"{prefix}-restricted_movements": "Hip flexion past 90 degrees",
        f"{prefix}-avoid_stages": [stage(5).pk, stage(8).pk],
        f"{prefix}-movements_to_avoid": "Sit-ups and toe touches",
        f"{prefix}-movements_to_do": "Rock backs twice a day",
        f"{prefix}-recommended_stage": stage(2).pk,
        **extra,
    }
    return client.post(f"/coach/assessments/{found.pk}/outcome/", data, follow=True)


def test_the_visitor_gets_a_private_summary_link_and_the_email_says_nothing_else(
    client: HttpClient, coach_a: User, django_capture_on_commit_callbacks: Any
) -> None:
    found = past_assessment(coach_a)
    client.force_login(coach_a)
    with django_capture_on_commit_callbacks(execute=True):
        saved = record(client, found)
    assert "We have emailed them a link to read it" in saved.content.decode()
    (email,) = mail.outbox
    assert email.to == ["paula@example.com"]
    for secret in [
        "lower back",
        "Hip flexion",
        "Sit-ups",
        "Rock backs",
        "Kettlebell",
        "Lower back",
    ]:
        assert secret not in email.body and secret not in email.subject
    link = re.search(r"(/assessment/outcome/\S+/)", email.body).group(1)
    page = HttpClient().get(link)
    body = page.content.decode()
    assert page.status_code == 200 and page["Cache-Control"].startswith("no-store")
    assert WHY.strip() in body.replace("<br>", "")
    assert "Kettlebell deadlift" in body and "Kettlebell swing" in body and "Sit-ups" in body
    assert "Rock backs twice a day" in body and "Hip flexion past 90 degrees" in body
    found.refresh_from_db()
    assert found.status == "completed" and found.outcome_token_hash
    assert link.split("/")[3] not in found.outcome_token_hash  # only a hash is kept
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        record(client, found, **{f"a{found.pk}-movements_to_do": "Bridges"})
    assert mail.outbox == []  # an edit updates the page, no second email
    assert "Bridges" in HttpClient().get(link).content.decode()


def test_the_outcome_link_stops_working_when_the_retention_period_passes(
    client: HttpClient, coach_a: User, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.INTAKE_RETENTION_DAYS = 30
    found = past_assessment(coach_a)
    client.force_login(coach_a)
    with django_capture_on_commit_callbacks(execute=True):
        record(client, found)
    link = re.search(r"(/assessment/outcome/\S+/)", mail.outbox[0].body).group(1)
    assert HttpClient().get(link).status_code == 200
    Assessment.objects.filter(pk=found.pk).update(starts_at=found.starts_at - timedelta(days=30))
    gone = HttpClient().get(link)
    assert gone.status_code == 404 and "This link no longer works" in gone.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert due_work(timezone.now()).outcome_links_to_expire == 1
    found.refresh_from_db()
    assert found.outcome_token_hash == ""
    assert due_work(timezone.now()).outcome_links_to_expire == 0


def test_the_outcome_page_goes_when_the_outcome_is_deleted(
    client: HttpClient, coach_a: User, django_capture_on_commit_callbacks: Any
) -> None:
    found = past_assessment(coach_a)
    client.force_login(coach_a)
    with django_capture_on_commit_callbacks(execute=True):
        record(client, found)
    link = re.search(r"(/assessment/outcome/\S+/)", mail.outbox[0].body).group(1)
    Assessment.objects.filter(pk=found.pk).update(outcome_recorded_at=None, why_in_pain="")
    assert HttpClient().get(link).status_code == 404
    Assessment.objects.filter(pk=found.pk).delete()
    assert HttpClient().get(link).status_code == 404


def test_a_no_show_has_no_outcome(client: HttpClient, coach_a: User) -> None:
    found = past_assessment(coach_a)
    client.force_login(coach_a)
    client.post(f"/coach/assessments/{found.pk}/status/", {"status": "no_show"})
    response = record(client, found)
    assert "Only an assessment that took place has an outcome" in response.content.decode()


def test_start_program_carries_all_four_parts_and_the_avoid_list_over_in_full(
    client: HttpClient, coach_a: User, django_capture_on_commit_callbacks: Any
) -> None:
    found = past_assessment(coach_a)
    client.force_login(coach_a)
    record(client, found)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/coach/assessments/{found.pk}/start/")
    found.refresh_from_db()
    summary = found.client.assessment_summary
    assert summary.why_in_pain == WHY.strip()  # in full: no 200-character cut
    assert summary.restricted_movements == "Hip flexion past 90 degrees"
    assert summary.movements_to_avoid == "Sit-ups and toe touches"
    assert summary.movements_to_do == "Rock backs twice a day"
    assert {s.position for s in summary.avoid_stages.all()} == {5, 8}
    assert summary.avoids(stage(8)) and not summary.avoids(stage(2))
    assert summary.assessed_on == timezone.localtime(found.starts_at).date()
    assert found.client.stage == stage(2)
