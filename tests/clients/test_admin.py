"""The studio admin edits through the same rules as the app: corrections and thresholds."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client as HttpClient

from clients.models import Client, TrainingSession
from clients.progression import Light, Status
from coaching.models import User
from exercises.models import Stage
from tests.factories import make_session

pytestmark = pytest.mark.django_db


def stage_form(stage: Stage, **changes: Any) -> dict[str, Any]:
    data = {
        "progression": stage.progression_id,
        "position": stage.position,
        "exercise": stage.exercise_id,
        "sets": stage.sets,
        "reps": stage.reps or "",
        "seconds": stage.seconds or "",
        "green_days_needed": stage.green_days_needed,
        "green_floor": stage.green_floor,
        "amber_ceiling": stage.amber_ceiling,
        "technique_signoff_required": "on" if stage.technique_signoff_required else "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_a_threshold_edit_recomputes_every_client_at_the_stage_and_recolours_nothing(
    client: HttpClient,
    studio_admin: User,
    client_a: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Two green days needed instead of three: the client at that stage is READY at once.

    The sessions keep the lights they were decided with.
    """
    make_session(client_a, days_ago=3)
    make_session(client_a, days_ago=1)
    client_a.refresh_from_db()
    assert client_a.gate_status == Status.HOLD
    stage = client_a.stage
    assert stage is not None
    client.force_login(studio_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/exercises/stage/{stage.pk}/change/", stage_form(stage, green_days_needed=2)
        )
    assert response.status_code == 302
    client_a.refresh_from_db()
    assert client_a.gate_status == Status.READY
    assert set(TrainingSession.objects.values_list("light", flat=True)) == {Light.GREEN}
    assert {s["decided_with"]["green_days_needed"] for s in TrainingSession.objects.values()} == {3}


def test_an_admin_edit_of_pain_scores_goes_through_the_correction_service(
    client: HttpClient, studio_admin: User, client_a: Client
) -> None:
    """The old values are kept with who changed them, and the gate decides the session again."""
    session = make_session(client_a, days_ago=4)
    assert session.light == Light.GREEN
    client.force_login(studio_admin)
    page = client.get(f"/admin/clients/trainingsession/{session.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form.initial.get(name) for name in form.fields}
    data = {k: ("on" if v is True else v) for k, v in data.items() if v not in (None, False)}
    data["pain_during"] = 8
    data.update(
        {
            "revisions-TOTAL_FORMS": "0",
            "revisions-INITIAL_FORMS": "0",
        }
    )
    response = client.post(f"/admin/clients/trainingsession/{session.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    session.refresh_from_db()
    assert (session.pain_during, session.light) == (8, Light.RED)
    revision = session.revisions.get()
    assert revision.previous_values["pain_during"] == 1
    assert revision.revised_by == studio_admin
    client_a.refresh_from_db()
    assert client_a.gate_status == Status.FLARE


def change_form_data(page: Any, **changes: Any) -> dict[str, Any]:
    """What the admin's change page would post back, with `changes`."""
    form = page.context["adminform"].form
    data = {name: form.initial.get(name) for name in form.fields}
    data = {k: ("on" if v is True else v) for k, v in data.items() if v not in (None, False)}
    for inline in page.context["inline_admin_formsets"]:  # read-only history: no rows sent
        data |= {f"{inline.formset.prefix}-{key}": 0 for key in ("TOTAL_FORMS", "INITIAL_FORMS")}
    return data | changes


def test_an_admin_correction_the_rules_refuse_shows_why_and_saves_nothing(
    client: HttpClient, studio_admin: User, client_a: Client
) -> None:
    session = make_session(client_a, days_ago=4)
    assert client_a.stage_entered_on is not None
    client.force_login(studio_admin)
    url = f"/admin/clients/trainingsession/{session.pk}/change/"
    early = client_a.stage_entered_on.replace(year=client_a.stage_entered_on.year - 1)
    response = client.post(url, change_form_data(client.get(url), performed_on=early))
    assert response.status_code == 200
    assert "a session at it cannot be dated earlier" in response.content.decode()
    assert not session.revisions.exists()


def test_an_admin_state_change_goes_through_the_service_and_a_bad_zone_is_refused(
    client: HttpClient, studio_admin: User, client_a: Client
) -> None:
    from clients.models import CoachNote, StateChange

    client.force_login(studio_admin)
    url = f"/admin/clients/client/{client_a.pk}/change/"
    wrong = client.post(url, change_form_data(client.get(url), time_zone="Mars/Olympus"))
    assert wrong.status_code == 200
    assert "Enter a time zone by its IANA name" in wrong.content.decode()
    response = client.post(
        url, change_form_data(client.get(url), status="paused", time_zone="Asia/Kolkata")
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    client_a.refresh_from_db()
    assert (client_a.status, client_a.time_zone) == ("paused", "Asia/Kolkata")
    change = StateChange.objects.get(client=client_a)
    assert (change.state, change.changed_by) == ("paused", studio_admin)
    assert CoachNote.objects.filter(client=client_a, text="Marked paused.").exists()
