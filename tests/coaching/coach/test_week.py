"""The coach's week: nudges, the printable stage sheet, the avoid list, one load format."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext

from clients.messages.models import Message
from clients.models import AssessmentSummary, Client, Prescription, StageAssignment
from clients.program.services import set_prescription
from coaching.models import User
from exercises.models import Stage, format_kg
from tests.factories import make_client

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.mark.parametrize(
    ("load", "text"),
    [
        (Decimal("16.0"), "16 kg"),
        (Decimal("20.0"), "20 kg"),
        (Decimal("100"), "100 kg"),
        (Decimal("12.5"), "12.5 kg"),
        (Decimal("20"), "20 kg"),
        (0, "0 kg"),
    ],
)
def test_a_load_reads_the_same_everywhere(load: Any, text: str) -> None:
    assert format_kg(load) == text


def test_a_nudge_goes_to_the_ticked_clients_once_a_day_with_a_link_only(
    client: HttpClient,
    coach_a: User,
    client_a: Client,
    client_b: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Another coach's client cannot be nudged by ticking their id."""
    other = make_client("other@example.com", coach=coach_a, first_name="Otto")
    client.force_login(coach_a)
    data = {"action": "nudge", "clients": [client_a.pk, other.pk]}
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post("/coach/bulk/", data, follow=True)
    assert "Nudged 2 clients." in first.content.decode()
    assert sorted(m.to[0] for m in mail.outbox) == [client_a.user.email, other.user.email]
    assert all(m.body.rstrip().endswith("/me/") for m in mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post("/coach/bulk/", data, follow=True)
    assert "Nudged 0 clients. 2 already had a nudge today" in again.content.decode()
    assert len(mail.outbox) == 2
    refused = client.post(
        "/coach/bulk/", {"action": "nudge", "clients": [client_b.pk]}, follow=True
    )
    assert "Tick clients from the list" in refused.content.decode()
    assert len(mail.outbox) == 2


def test_a_bulk_message_lands_in_each_ticked_thread_and_the_email_has_no_text(
    client: HttpClient,
    coach_a: User,
    client_a: Client,
    client_b: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Only the coach's own clients, only those who consented; the text never leaves the app."""
    waiting = make_client("waiting@example.com", coach=coach_a, consented=False)
    client.force_login(coach_a)
    secret = "Your hamstrings felt tight on Tuesday"
    data = {"action": "message", "clients": [client_a.pk, waiting.pk], "text": f"  {secret} "}
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post("/coach/bulk/", data, follow=True)
    page = sent.content.decode()
    assert "Message sent to 1 client. 1 not sent: they have not agreed" in page
    assert [m.text for m in Message.objects.filter(client=client_a)] == [secret]
    assert not Message.objects.filter(client=waiting).exists()
    assert [m.to[0] for m in mail.outbox] == [client_a.user.email]
    assert secret not in mail.outbox[0].body and secret not in mail.outbox[0].subject

    empty = client.post("/coach/bulk/", {**data, "text": "   "}, follow=True)
    assert "Write the message to send" in empty.content.decode()
    refused = client.post("/coach/bulk/", {**data, "clients": [client_b.pk]}, follow=True)
    assert "Tick clients from the list" in refused.content.decode()
    assert Message.objects.count() == 1


def test_the_stage_sheet_prints_the_plan_the_cues_and_the_pain_rule(
    client: HttpClient, coach_a: User, client_a: Client, coach_b: User
) -> None:
    assert client_a.stage is not None
    set_prescription(
        client=client_a,
        stage=client_a.stage,
        by=coach_a,
        sets=4,
        reps=8,
        seconds=None,
        target_load_kg=None,
        sessions_per_week=2,
        tempo="3-1-1",
    )
    client.force_login(client_a.user)
    mine = client.get("/me/sheet/")
    body = mine.content.decode()
    assert mine["Cache-Control"].startswith("no-store")
    assert "Stage 3 of 8: Glute bridge" in body and "4 × 8 reps" in body
    assert "2 sessions a week · tempo 3-1-1" in body
    assert "The pain rule" in body and "Get emergency help now" in body
    assert body.count("<tr><td>&nbsp;</td>") == 10
    assert 'href="/static/css/print.css"' in body
    client.force_login(coach_a)
    assert "4 × 8 reps" in client.get(f"/coach/clients/{client_a.pk}/sheet/").content.decode()
    client.force_login(coach_b)
    assert client.get(f"/coach/clients/{client_a.pk}/sheet/").status_code == 404


@pytest.mark.parametrize(
    ("load", "shown"),
    [(Decimal("16.0"), "16"), (Decimal("20.00"), "20"), (Decimal("12.5"), "12.5")],
)
def test_the_log_form_starts_from_the_prescription(
    client: HttpClient, coach_a: User, load: Decimal, shown: str
) -> None:
    """The plan's sets, reps and load fill the form in; the load reads '20', never '20.0'
    or '2E+1'."""
    loaded = make_client("kb@example.com", coach=coach_a, position=5)
    assert loaded.stage is not None
    set_prescription(
        client=loaded,
        stage=loaded.stage,
        by=coach_a,
        sets=5,
        reps=6,
        seconds=None,
        target_load_kg=load,
    )
    client.force_login(loaded.user)
    form = client.get("/me/log/").context["form"]
    assert (form["sets"].value(), form["reps"].value(), str(form["load_kg"].value())) == (
        5,
        6,
        shown,
    )
    page = client.get("/me/log/").content.decode()
    assert f"plan: 5 × 6 reps at {shown} kg" in page
    assert re.search(rf'name="load_kg"[^>]*value="{re.escape(shown)}"', page) or re.search(
        rf'value="{re.escape(shown)}"[^>]*name="load_kg"', page
    )


def test_assigning_a_stage_on_the_avoid_list_asks_the_coach_to_confirm(
    client: HttpClient, coach_a: User, client_a: Client
) -> None:
    summary = AssessmentSummary.objects.create(
        client=client_a, assessed_on=client_a.today(), why_in_pain="Bends through the back"
    )
    target = Stage.objects.get(progression__slug="hip-hinge", position=6)
    summary.avoid_stages.add(target)
    client.force_login(coach_a)
    url = f"/coach/clients/{client_a.pk}/move/"
    data = {"move-stage": target.pk, "move-reason": "Strong lifter"}
    asked = client.post(url, data, headers=HTMX).content.decode()
    assert "is on the avoid list from Ava Example&#x27;s assessment" in asked
    unticked = client.post(url, {**data, "confirm": "True", "reason": "Strong"}, headers=HTMX)
    assert "Tick the box to confirm you have read the warning" in unticked.content.decode()
    assert StageAssignment.objects.filter(client=client_a).count() == 1
    client.post(
        url, {**data, "confirm": "True", "reason": "Strong", "acknowledge": "on"}, headers=HTMX
    )
    assert StageAssignment.objects.filter(client=client_a).latest().stage == target
    assert Prescription.objects.count() == 0


def test_the_assessments_findings_show_on_me_and_on_the_program_at_no_extra_query(
    client: HttpClient, coach_a: User, client_a: Client
) -> None:
    """All four findings carry over; the avoid list names the stages, with the free text."""
    me, program = "/me/", f"/coach/clients/{client_a.pk}/"

    def queries(user: User, url: str) -> tuple[int, str]:
        client.force_login(user)
        with CaptureQueriesContext(connection) as captured:
            page = client.get(url).content.decode()
        return len(captured), page

    before = queries(client_a.user, me)[0], queries(coach_a, program)[0]
    assert "Movements to avoid for now" not in queries(client_a.user, me)[1]
    summary = AssessmentSummary.objects.create(
        client=client_a,
        assessed_on=client_a.today(),
        why_in_pain="Bends through the back",
        restricted_movements="Hip flexion",
        movements_to_avoid="Sit-ups",
        movements_to_do="Hinges at home",
    )
    summary.avoid_stages.add(Stage.objects.get(progression__slug="hip-hinge", position=6))
    (me_count, page), (program_count, coach_page) = (
        queries(client_a.user, me),
        queries(coach_a, program),
    )
    assert (me_count, program_count) == before and me_count <= 8
    for text in ("Movements to avoid for now", "Stage 6: Romanian deadlift", "Sit-ups"):
        assert text in page and text in coach_page
    for text in ("Bends through the back", "Hip flexion", "Hinges at home"):
        assert text in page and text in coach_page
