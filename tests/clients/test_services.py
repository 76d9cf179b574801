from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from clients.models import Client, SessionRevision, StageAssignment, TrainingSession
from clients.progression import Status
from clients.selectors import check_in_due, load_program
from clients.services import (
    ProgramError,
    advance_stage,
    answer_check_in,
    correct_session,
    override_stage,
    regress_stage,
    set_prescription,
    sign_off_technique,
)
from coaching.models import User
from exercises.models import Stage
from tests.factories import make_client, make_session

pytestmark = pytest.mark.django_db


def stage(position: int) -> Stage:
    return Stage.objects.get(progression__slug="hip-hinge", position=position)


def make_ready(client: Client) -> None:
    for days_ago in (5, 3, 1):
        make_session(client, days_ago=days_ago)


def test_starting_a_client_writes_the_first_history_row(client_a: Client, coach_a: User) -> None:
    """create_client records who started them, where and why."""
    row = StageAssignment.objects.get(client=client_a)
    assert (row.stage.position, row.kind, row.assigned_by, row.from_stage) == (
        3,
        StageAssignment.Kind.START,
        coach_a,
        None,
    )


def test_history_rows_can_never_be_changed_or_deleted(client_a: Client) -> None:
    """Stage assignments are append-only, through the model and through querysets."""
    row = StageAssignment.objects.get(client=client_a)
    row.reason = "rewritten"
    with pytest.raises(TypeError):
        row.save()
    with pytest.raises(TypeError):
        row.delete()
    with pytest.raises(TypeError):
        StageAssignment.objects.filter(client=client_a).update(reason="x")
    with pytest.raises(TypeError):
        StageAssignment.objects.filter(client=client_a).delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        client_a.delete()  # history is protected from cascades too
    assert StageAssignment.objects.get(client=client_a).reason == "Starting stage"


def test_advancing_a_ready_client_moves_them_on_and_records_why(
    client_a: Client, coach_a: User
) -> None:
    make_ready(client_a)
    row = advance_stage(client=client_a, by=coach_a)
    assert (row.from_stage.position, row.stage.position, row.kind) == (3, 4, "advance")
    assert row.reason == "ready for the standing hip hinge; 3 of 3 green sessions"
    assert load_program(client_a).stage.position == 4


def test_after_advancing_the_gate_starts_again_at_the_new_stage(
    client_a: Client, coach_a: User
) -> None:
    """Greens at the old stage do not count at the new one."""
    make_ready(client_a)
    advance_stage(client=client_a, by=coach_a)
    evaluation = load_program(client_a).evaluation
    assert evaluation.status is Status.HOLD
    assert evaluation.reasons[0] == "no sessions logged at this stage yet"


def test_advancing_a_client_who_is_not_ready_is_refused_with_the_reason(
    client_a: Client, coach_a: User
) -> None:
    make_session(client_a, days_ago=1)
    with pytest.raises(ProgramError, match="Not ready to progress: 1 of 3 green sessions"):
        advance_stage(client=client_a, by=coach_a)
    assert StageAssignment.objects.filter(client=client_a).count() == 1


def test_advancing_into_a_loaded_stage_needs_a_sign_off(coach_a: User) -> None:
    """Stage 4 to the kettlebell deadlift waits for the coach's technique sign-off."""
    client = make_client("hinge@example.com", coach=coach_a, position=4)
    make_ready(client)
    with pytest.raises(ProgramError, match="technique not signed off for the standing hip hinge"):
        advance_stage(client=client, by=coach_a)
    sign_off_technique(client=client, by=coach_a, note="Good hinge")
    assert advance_stage(client=client, by=coach_a).stage.position == 5


def test_signing_off_twice_is_refused(client_a: Client, coach_a: User) -> None:
    sign_off_technique(client=client_a, by=coach_a)
    with pytest.raises(ProgramError, match="already signed off"):
        sign_off_technique(client=client_a, by=coach_a)


def test_nobody_advances_past_the_last_stage(coach_a: User) -> None:
    client = make_client("top@example.com", coach=coach_a, position=8)
    make_ready(client)
    with pytest.raises(ProgramError, match="already on the final stage"):
        advance_stage(client=client, by=coach_a)


def test_regressing_moves_back_one_stage_with_the_flare_as_reason(
    client_a: Client, coach_a: User
) -> None:
    make_session(client_a, days_ago=1, pain_during=7)
    row = regress_stage(client=client_a, by=coach_a)
    assert (row.from_stage.position, row.stage.position, row.kind) == (3, 2, "regress")
    assert row.reason == "Flare-up: pain rose to 7 during the last session"


def test_nobody_regresses_below_the_first_stage(coach_a: User) -> None:
    client = make_client("first@example.com", coach=coach_a, position=1)
    with pytest.raises(ProgramError, match="already on the first stage"):
        regress_stage(client=client, by=coach_a)


def test_an_override_needs_a_written_reason(client_a: Client, coach_a: User) -> None:
    with pytest.raises(ProgramError, match="Give a reason"):
        override_stage(client=client_a, stage=stage(6), by=coach_a, reason="  ")
    row = override_stage(client=client_a, stage=stage(6), by=coach_a, reason="Trained before")
    assert (row.kind, row.stage.position, row.reason) == ("override", 6, "Trained before")


def test_an_override_to_the_current_stage_is_refused(client_a: Client, coach_a: User) -> None:
    with pytest.raises(ProgramError, match="already on that stage"):
        override_stage(client=client_a, stage=stage(3), by=coach_a, reason="x")


def test_the_check_in_records_next_morning_pain_once(client_a: Client) -> None:
    session = make_session(client_a, days_ago=1, next_day_pain=None)
    assert check_in_due(client_a) == session
    answer_check_in(client=client_a, session_id=session.pk, pain=2)
    session.refresh_from_db()
    assert session.next_day_pain == 2 and session.next_day_answered_at is not None
    assert check_in_due(client_a) is None
    with pytest.raises(ProgramError, match="already answered"):
        answer_check_in(client=client_a, session_id=session.pk, pain=0)


def test_the_check_in_opens_the_morning_after(client_a: Client) -> None:
    session = make_session(client_a, days_ago=0, next_day_pain=None)
    assert check_in_due(client_a) is None
    with pytest.raises(ProgramError, match="opens the morning after"):
        answer_check_in(client=client_a, session_id=session.pk, pain=1)


def test_nobody_answers_a_check_in_for_someone_elses_session(
    client_a: Client, client_b: Client
) -> None:
    theirs = make_session(client_b, days_ago=1, next_day_pain=None)
    with pytest.raises(ProgramError, match="could not find"):
        answer_check_in(client=client_a, session_id=theirs.pk, pain=1)
    theirs.refresh_from_db()
    assert theirs.next_day_pain is None


def test_a_correction_keeps_the_earlier_values(client_a: Client) -> None:
    session = make_session(client_a, days_ago=0, next_day_pain=None, logged_at=timezone.now())
    correct_session(session=session, values={"pain_during": 4, "notes": "typo fixed"})
    session.refresh_from_db()
    assert session.pain_during == 4
    revision = SessionRevision.objects.get(session=session)
    assert revision.previous_values["pain_during"] == 1
    assert revision.previous_values["performed_on"] == str(session.performed_on)


def test_a_session_from_an_earlier_day_cannot_be_corrected(client_a: Client) -> None:
    session = make_session(client_a, days_ago=2, logged_at=timezone.now() - timedelta(days=2))
    with pytest.raises(ProgramError, match="on the day it was logged"):
        correct_session(session=session, values={"pain_during": 4})


def test_the_database_refuses_impossible_scores(client_a: Client) -> None:
    """Constraints back the rules: pain 0-10, positive sets, no negative load."""
    for bad in [{"pain_during": 11}, {"sets": 0}, {"load_kg": -1}, {"felt_hips": False}]:
        with pytest.raises(IntegrityError), transaction.atomic():
            make_session(client_a, **bad)
    assert not TrainingSession.objects.exists()


def test_a_prescription_overrides_the_stage_default(client_a: Client) -> None:
    assert load_program(client_a).prescription_text == "3 × 12 reps"
    set_prescription(
        client=client_a, stage=stage(3), sets=4, reps=8, seconds=None, target_load_kg=None
    )
    assert load_program(client_a).prescription_text == "4 × 8 reps"


def test_old_sessions_at_a_stage_do_not_count_after_coming_back(
    client_a: Client, coach_a: User
) -> None:
    """Regress then return: only sessions since the latest entry count."""
    make_ready(client_a)
    regress_stage(client=client_a, by=coach_a, reason="Felt off")
    override_stage(client=client_a, stage=stage(3), by=coach_a, reason="Back to it")
    assert load_program(client_a).evaluation.green_days == 0
    assert timezone.now() - StageAssignment.objects.filter(
        client=client_a
    ).latest().assigned_at < timedelta(minutes=1)


def test_the_admin_shows_history_but_cannot_edit_it(
    client: Any, studio_admin: User, client_a: Client
) -> None:
    """Admins browse clients and their history; assignments have no add/change/delete."""
    client.force_login(studio_admin)
    assert client.get(f"/admin/clients/client/{client_a.pk}/change/").status_code == 200
    assert client.get("/admin/clients/stageassignment/").status_code == 200
    assert client.get("/admin/clients/stageassignment/add/").status_code == 403
    row = StageAssignment.objects.get(client=client_a)
    assert (
        client.post(f"/admin/clients/stageassignment/{row.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )


def test_the_admin_advance_action_goes_through_the_gate(
    client: Any, studio_admin: User, client_a: Client
) -> None:
    client.force_login(studio_admin)
    client.post(
        "/admin/clients/client/",
        {"action": "advance", "_selected_action": [client_a.pk]},
    )
    assert StageAssignment.objects.filter(client=client_a).count() == 1
    make_ready(client_a)
    client.post("/admin/clients/client/", {"action": "advance", "_selected_action": [client_a.pk]})
    assert load_program(client_a).stage.position == 4
