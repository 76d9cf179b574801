from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from clients.models import CheckIn, Client, SessionRevision, StageAssignment, TrainingSession
from clients.program.services import (
    advance_stage,
    override_stage,
    regress_stage,
    set_prescription,
    sign_off_technique,
)
from clients.progression import Light, Reason, Status
from clients.reasons import words
from clients.selectors import CheckInDue, Program, check_in_due, load_program
from clients.services import (
    ConsentRequired,
    ProgramError,
    answer_check_in,
    correct_session,
    log_session,
)
from coaching.models import User
from exercises.models import Stage
from tests.factories import make_client, make_session

pytestmark = pytest.mark.django_db


def stage(position: int) -> Stage:
    return Stage.objects.get(progression__slug="hip-hinge", position=position)


def make_ready(client: Client) -> None:
    """Three green days: the last three decided days, the latest yesterday."""
    for days_ago in (5, 3, 1):
        make_session(client, days_ago=days_ago)


def program(client: Client) -> Program:
    """The program as a page shows it: read from the client's stored state, fresh."""
    return load_program(Client.objects.select_related("user").get(pk=client.pk))


def day_name(on: date) -> str:
    return f"{on:%A} {on.day} {on:%B}"


def values(client: Client, **overrides: Any) -> dict[str, Any]:
    """What the log form hands the service for a comfortable session today."""
    data: dict[str, Any] = {
        "performed_on": client.today(),
        "sets": 3,
        "reps": 12,
        "seconds": None,
        "load_kg": None,
        "pain_before": 1,
        "pain_during": 1,
        "pain_after": 1,
        "felt_hips": True,
        "lower_back_hurt": False,
    }
    data.update(overrides)
    return data


@pytest.fixture
def midday() -> Any:
    """It is noon today in the studio's zone, whatever the real hour (the clock keeps running).

    Yesterday's check-in is open from 4am, so tests that answer it do not depend on
    when the suite runs.
    """
    real = timezone.now
    noon = datetime.combine(timezone.localdate(), time(12), tzinfo=ZoneInfo("Europe/London"))
    start = real()
    with mock.patch("django.utils.timezone.now", side_effect=lambda: noon + (real() - start)):
        yield noon


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
    """The default reason is the gate's own words; the new stage starts today."""
    make_ready(client_a)
    client_a.refresh_from_db()
    assert client_a.gate_status == Status.READY
    row = advance_stage(client=client_a, by=coach_a)
    assert (row.from_stage.position, row.stage.position, row.kind) == (3, 4, "advance")
    assert row.reason == "ready for the standing hip hinge; 3 of 3 green days"
    assert row.entered_on == client_a.today()
    assert program(client_a).stage.position == 4


def test_after_advancing_the_gate_starts_again_at_the_new_stage(
    client_a: Client, coach_a: User
) -> None:
    """Greens at the old stage do not count at the new one."""
    make_ready(client_a)
    advance_stage(client=client_a, by=coach_a)
    gate_now = program(client_a).gate
    assert gate_now.status is Status.HOLD
    assert gate_now.reasons[:2] == ["no sessions logged at this stage yet", "0 of 3 green days"]
    assert gate_now.green_days == 0


def test_a_session_dated_before_entering_the_stage_is_refused(
    client_a: Client, coach_a: User
) -> None:
    """Moved on this morning: yesterday's session belongs to the previous stage."""
    make_ready(client_a)
    advance_stage(client=client_a, by=coach_a)
    client_a.refresh_from_db()
    yesterday = client_a.today() - timedelta(days=1)
    with pytest.raises(ProgramError, match="You started this stage on"):
        log_session(client=client_a, values=values(client_a, performed_on=yesterday))
    assert not TrainingSession.objects.filter(client=client_a, stage__position=4).exists()
    logged = log_session(client=client_a, values=values(client_a))
    assert (logged.session.stage.position, logged.session.performed_on) == (4, client_a.today())


def test_advancing_a_client_who_is_not_ready_is_refused_with_the_reason(
    client_a: Client, coach_a: User
) -> None:
    make_session(client_a, days_ago=3)
    make_session(client_a, days_ago=1)
    with pytest.raises(ProgramError, match="Not ready to progress: 2 of 3 green days"):
        advance_stage(client=client_a, by=coach_a)
    assert StageAssignment.objects.filter(client=client_a).count() == 1


def test_advancing_into_a_loaded_stage_needs_a_sign_off(coach_a: User) -> None:
    """Stage 4 to the kettlebell deadlift waits for the coach's technique sign-off."""
    client = make_client("hinge@example.com", coach=coach_a, position=4)
    make_ready(client)
    client.refresh_from_db()
    assert client.gate_status == Status.HOLD
    with pytest.raises(
        ProgramError,
        match="3 of 3 green days; technique not signed off for the standing hip hinge",
    ):
        advance_stage(client=client, by=coach_a)
    sign_off_technique(client=client, by=coach_a, note="Good hinge")
    assert program(client).gate.status is Status.READY  # the sign-off refreshed the gate
    assert advance_stage(client=client, by=coach_a).stage.position == 5


def test_signing_off_twice_is_refused(client_a: Client, coach_a: User) -> None:
    sign_off_technique(client=client_a, by=coach_a)
    with pytest.raises(ProgramError, match="already signed off"):
        sign_off_technique(client=client_a, by=coach_a)


def test_nobody_advances_past_the_last_stage(coach_a: User) -> None:
    client = make_client("top@example.com", coach=coach_a, position=8)
    make_ready(client)
    client.refresh_from_db()
    assert (client.gate_status, client.gate_reasons[0]) == (Status.READY, {"code": "complete"})
    with pytest.raises(ProgramError, match="already on the final stage"):
        advance_stage(client=client, by=coach_a)


def test_regressing_moves_back_one_stage_with_the_flare_as_reason(
    client_a: Client, coach_a: User
) -> None:
    """Logged yesterday with pain 7 during: red, known yesterday, and the client is FLARE."""
    make_session(client_a, days_ago=1, pain_during=7)
    client_a.refresh_from_db()
    assert client_a.gate_status == Status.FLARE
    row = regress_stage(client=client_a, by=coach_a)
    assert (row.from_stage.position, row.stage.position, row.kind) == (3, 2, "regress")
    yesterday = client_a.today() - timedelta(days=1)
    assert row.reason == (
        f"Flare-up: red on {day_name(yesterday)}: pain during was above the ceiling"
    )


def test_nobody_regresses_below_the_first_stage(coach_a: User) -> None:
    client = make_client("first@example.com", coach=coach_a, position=1)
    with pytest.raises(ProgramError, match="already on the first stage"):
        regress_stage(client=client, by=coach_a)


def test_an_override_needs_a_written_reason(client_a: Client, coach_a: User) -> None:
    with pytest.raises(ProgramError, match="Give a reason"):
        override_stage(client=client_a, stage=stage(6), by=coach_a, reason="  ")
    row = override_stage(client=client_a, stage=stage(6), by=coach_a, reason="Trained before")
    assert (row.kind, row.stage.position, row.reason) == ("override", 6, "Trained before")
    assert program(client_a).stage.position == 6


def test_an_override_to_the_current_stage_is_refused(client_a: Client, coach_a: User) -> None:
    with pytest.raises(ProgramError, match="already on that stage"):
        override_stage(client=client_a, stage=stage(3), by=coach_a, reason="x")


def test_a_stage_change_tells_the_client_by_a_link_only_after_the_undo_window(
    client_a: Client, coach_a: User, django_capture_on_commit_callbacks: Any
) -> None:
    """Nothing is sent for 10 minutes (the coach may undo); then one email, a link only.

    The email names no stage, reason or pain score: the page shows them after login.
    """
    import time_machine

    from clients import tick

    make_session(client_a, days_ago=1, pain_during=7)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            regress_stage(client=client_a, by=coach_a, reason="Back pain flared at work")
        clock.move_to(start + timedelta(minutes=9))
        with django_capture_on_commit_callbacks(execute=True):
            assert tick.tell_stage_changes(timezone.now()) == 0
        assert mail.outbox == []
        clock.move_to(start + timedelta(minutes=11))
        with django_capture_on_commit_callbacks(execute=True):
            assert tick.tell_stage_changes(timezone.now()) == 1
            assert tick.tell_stage_changes(timezone.now()) == 0
    (email,) = mail.outbox
    assert email.to == [client_a.user.email]
    assert email.body.rstrip().endswith("/me/")
    for private in ("flared", "pain", "Kneeling", "Glute", "7"):
        assert private not in email.body.rsplit("http", 1)[0]


def test_a_change_undone_in_time_is_never_told_and_keeps_its_history(
    client_a: Client, coach_a: User, django_capture_on_commit_callbacks: Any
) -> None:
    """The undo is a new history entry back to the stage (and its start day) the client had;
    sessions logged at the new stage meanwhile stay at it; the client hears nothing."""
    import time_machine

    from clients import tick
    from clients.program.services import undo_last_change

    before = Client.objects.get(pk=client_a.pk).stage_entered_on
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        regress_stage(client=client_a, by=coach_a, reason="Trying the bridge again")
        make_session(client_a, days_ago=0)
        clock.move_to(start + timedelta(minutes=5))
        undo_last_change(client=client_a, by=coach_a)
        clock.move_to(start + timedelta(minutes=20))
        with django_capture_on_commit_callbacks(execute=True):
            tick.tell_stage_changes(timezone.now())
    assert mail.outbox == []
    kinds = list(
        StageAssignment.objects.filter(client=client_a)
        .order_by("assigned_at", "id")
        .values_list("kind", "stage__position")
    )
    assert kinds == [("start", 3), ("regress", 2), ("undo", 3)]
    client_a.refresh_from_db()
    assert client_a.stage_entered_on == before
    assert TrainingSession.objects.get().stage.position == 2


def test_only_the_coach_who_made_a_change_undoes_it_within_10_minutes(
    client_a: Client, coach_a: User
) -> None:
    import time_machine

    from clients.program.services import UndoError, undo_last_change
    from tests.factories import make_coach

    head = make_coach("head@example.com", first_name="Hana", head=True)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        regress_stage(client=client_a, by=coach_a, reason="x")
        with pytest.raises(UndoError, match="nothing of yours to undo"):
            undo_last_change(client=client_a, by=head)
        clock.move_to(start + timedelta(minutes=10, seconds=1))
        with pytest.raises(UndoError):
            undo_last_change(client=client_a, by=coach_a)


def test_at_the_windows_last_instant_the_undo_wins_and_the_client_is_never_told(
    client_a: Client, coach_a: User, django_capture_on_commit_callbacks: Any
) -> None:
    """At exactly 10 minutes an undo is still allowed, so tick waits; an email queued for
    a change undone before it went is not sent."""
    import time_machine

    from clients import tick
    from clients.models import StageAssignment
    from clients.program.services import undo_last_change
    from clients.tasks import tell_client_of_stage_change

    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        regress_stage(client=client_a, by=coach_a, reason="x")
        clock.move_to(start + timedelta(minutes=10))
        with django_capture_on_commit_callbacks(execute=True):
            assert tick.tell_stage_changes(timezone.now()) == 0
        regressed = StageAssignment.objects.filter(client=client_a).first()
        assert regressed is not None and regressed.kind == "regress"
        undo_last_change(client=client_a, by=coach_a)
        tell_client_of_stage_change.call(regressed.pk)  # a send queued before the undo
        clock.move_to(start + timedelta(minutes=11))
        with django_capture_on_commit_callbacks(execute=True):
            assert tick.tell_stage_changes(timezone.now()) == 0
    assert mail.outbox == []


def test_a_sign_off_is_undone_as_a_new_state_not_a_deletion(
    client_a: Client, coach_a: User
) -> None:
    from clients.models import TechniqueSignoff
    from clients.program.services import undo_last_change

    sign_off_technique(client=client_a, by=coach_a, note="Clean bridge")
    undo_last_change(client=client_a, by=coach_a)
    signoff = TechniqueSignoff.objects.get()
    assert signoff.undone_at is not None and signoff.undone_by == coach_a
    sign_off_technique(client=client_a, by=coach_a, note="Clean bridge, really")
    assert TechniqueSignoff.objects.count() == 2


# --- Check-ins ------------------------------------------------------------------------


def test_the_check_in_records_next_morning_pain_once(client_a: Client, midday: datetime) -> None:
    session = make_session(client_a, days_ago=1, next_day_pain=None)
    yesterday = session.performed_on
    assert session.light == ""  # pending: waiting for this morning's answer
    assert check_in_due(client_a) == CheckInDue(training_day=yesterday, exercise="Glute bridge")
    answer_check_in(client=client_a, training_day=yesterday, pain=2)
    session.refresh_from_db()
    assert session.next_day_pain == 2 and session.next_day_answered_at is not None
    assert session.light == Light.AMBER  # 1 above the usual level of 1
    assert check_in_due(client_a) is None
    with pytest.raises(ProgramError, match="already answered the check-in for that day"):
        answer_check_in(client=client_a, training_day=yesterday, pain=0)
    assert CheckIn.objects.get(client=client_a).pain == 2


def test_one_check_in_answers_every_session_of_the_day(client_a: Client, midday: datetime) -> None:
    """Two sessions yesterday, one tap this morning; the day is as good as its worst session."""
    first = make_session(client_a, days_ago=1, next_day_pain=None)
    second = make_session(client_a, days_ago=1, next_day_pain=None, pain_during=3)
    answer_check_in(client=client_a, training_day=first.performed_on, pain=1)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.next_day_pain, second.next_day_pain) == (1, 1)
    assert (first.light, second.light) == (Light.GREEN, Light.AMBER)
    client_a.refresh_from_db()
    assert client_a.gate_green_days == 0


def test_the_check_in_opens_the_morning_after(client_a: Client) -> None:
    session = make_session(client_a, days_ago=0, next_day_pain=None)
    assert check_in_due(client_a) is None
    with pytest.raises(ProgramError, match="The check-in opens at 4am"):
        answer_check_in(client=client_a, training_day=session.performed_on, pain=1)
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize("zone", ["America/Los_Angeles", "Asia/Tokyo"])
@pytest.mark.parametrize(
    ("days_after", "clock", "refusal"),
    [
        (1, time(3, 59), "The check-in opens at 4am"),
        (1, time(4, 0), None),
        (1, time(23, 59), None),
        (2, time(0, 1), "This check-in closed at midnight."),
    ],
)
def test_the_check_in_is_open_from_4am_to_midnight_in_the_clients_zone(
    coach_a: User, zone: str, days_after: int, clock: time, refusal: str | None
) -> None:
    """The server's clock decides, in the session's zone: 03:59 and 00:01 are refused,
    and a check-in refused after midnight leaves the session missed there and then."""
    client = make_client("zone@example.com", coach=coach_a, position=3, time_zone=zone)
    session = make_session(client, days_ago=1, next_day_pain=None)
    at = datetime.combine(
        session.performed_on + timedelta(days=days_after), clock, tzinfo=ZoneInfo(zone)
    )
    with mock.patch("django.utils.timezone.now", return_value=at):
        if refusal:
            with pytest.raises(ProgramError, match=refusal):
                answer_check_in(client=client, training_day=session.performed_on, pain=1)
        else:
            answer_check_in(client=client, training_day=session.performed_on, pain=1)
    session.refresh_from_db()  # before any tick of the clock's task
    if refusal is None:
        assert (session.next_day_pain, session.light) == (1, Light.GREEN)
    elif days_after == 2:
        assert (session.next_day_pain, session.light) == (None, Light.MISSED)
    else:
        assert (session.next_day_pain, session.light) == (None, "")


def test_nobody_answers_a_check_in_for_someone_elses_session(
    client_a: Client, client_b: Client, midday: datetime
) -> None:
    theirs = make_session(client_b, days_ago=1, next_day_pain=None)
    with pytest.raises(ProgramError, match="could not find a session of yours on that day"):
        answer_check_in(client=client_a, training_day=theirs.performed_on, pain=1)
    theirs.refresh_from_db()
    assert theirs.next_day_pain is None
    assert not CheckIn.objects.exists()


def test_a_red_check_in_after_a_regress_flares_at_the_new_stage_and_alerts_once(
    client_a: Client, coach_a: User, midday: datetime, django_capture_on_commit_callbacks: Any
) -> None:
    """Yesterday at stage 3, regressed this morning, then 2 above the usual level: a red known
    today, so it counts at stage 2; the coach hears once, with no health data."""
    session = make_session(client_a, days_ago=1, next_day_pain=None)
    regress_stage(client=client_a, by=coach_a, reason="Busy week")
    with django_capture_on_commit_callbacks(execute=True):
        answer_check_in(client=client_a, training_day=session.performed_on, pain=3)
    session.refresh_from_db()
    assert (session.light, session.red_known_on) == (Light.RED, client_a.today())
    client_a.refresh_from_db()
    assert (client_a.stage.position, client_a.gate_status) == (2, Status.FLARE)
    alerts = [m for m in mail.outbox if m.subject == "Flare-up: Ava Example"]
    assert len(alerts) == 1 and alerts[0].to == [coach_a.email]
    assert f"/coach/clients/{client_a.pk}/" in alerts[0].body
    assert not any(ch.isdigit() for ch in alerts[0].body.split("http")[0])


# --- Logging and correcting -----------------------------------------------------------


def test_logging_a_session_decides_what_it_can_at_once(client_a: Client) -> None:
    """A comfortable session waits for its check-in; pain after above the ceiling is red now."""
    waiting = log_session(client=client_a, values=values(client_a))
    assert waiting.decision is not None and waiting.decision.light is Light.PENDING
    assert (waiting.session.light, waiting.client.gate_status) == ("", Status.HOLD)
    assert waiting.client.last_session_on == client_a.today()
    red = log_session(client=client_a, values=values(client_a, pain_after=6))
    assert red.decision is not None and red.decision.light is Light.RED
    assert (red.session.light, red.session.red_known_on) == (Light.RED, client_a.today())
    assert red.client.gate_status == Status.FLARE
    assert words(Reason.from_json(red.client.gate_reasons[0]), client_a.today()) == (
        "red today: pain after was above the ceiling"
    )


def test_the_same_form_token_twice_saves_one_session(client_a: Client) -> None:
    """A double tap or a resent form: the second answers with the first session."""
    key = uuid.uuid4()
    first = log_session(client=client_a, values=values(client_a), idempotency_key=key)
    again = log_session(
        client=client_a, values=values(client_a, pain_during=4), idempotency_key=key
    )
    assert (first.repeated, again.repeated) == (False, True)
    assert again.session.pk == first.session.pk and again.session.pain_during == 1
    assert TrainingSession.objects.filter(client=client_a).count() == 1


def test_nothing_is_stored_for_a_client_who_never_agreed(coach_a: User) -> None:
    """Consent is checked on the server for every write of health data."""
    client = make_client("new@example.com", coach=coach_a, consented=False)
    with pytest.raises(ConsentRequired):
        log_session(client=client, values=values(client))
    with pytest.raises(ConsentRequired):
        answer_check_in(client=client, training_day=client.today(), pain=1)
    assert not TrainingSession.objects.exists() and not CheckIn.objects.exists()


def test_a_correction_keeps_the_earlier_values_and_who_made_them(client_a: Client) -> None:
    session = make_session(client_a, days_ago=0, next_day_pain=None, logged_at=timezone.now())
    correct_session(
        session=session, values={"pain_during": 4, "notes": "typo fixed"}, by=client_a.user
    )
    session.refresh_from_db()
    assert session.pain_during == 4
    revision = SessionRevision.objects.get(session=session)
    assert revision.previous_values["pain_during"] == 1
    assert revision.previous_values["performed_on"] == str(session.performed_on)
    assert revision.revised_by == client_a.user


def test_a_same_day_correction_to_red_flares_and_alerts_the_coach_once(
    client_a: Client, coach_a: User, django_capture_on_commit_callbacks: Any
) -> None:
    """Corrected to 6 during (just above the ceiling): red, known today; corrected back, it
    no longer counts."""
    session = make_session(client_a, days_ago=0, next_day_pain=None, logged_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        corrected = correct_session(session=session, values={"pain_during": 6}, by=client_a.user)
    assert (corrected.light, corrected.red_known_on) == (Light.RED, client_a.today())
    client_a.refresh_from_db()
    assert client_a.gate_status == Status.FLARE
    assert [m.subject for m in mail.outbox] == ["Flare-up: Ava Example"]
    with django_capture_on_commit_callbacks(execute=True):
        back = correct_session(session=session, values={"pain_during": 1}, by=client_a.user)
    assert (back.light, back.red_known_on) == ("", None)
    client_a.refresh_from_db()
    assert client_a.gate_status == Status.HOLD
    assert len(mail.outbox) == 1
    assert SessionRevision.objects.filter(session=session).count() == 2


def test_a_session_from_an_earlier_day_is_corrected_only_by_the_studio(
    client_a: Client, studio_admin: User
) -> None:
    session = make_session(client_a, days_ago=2, logged_at=timezone.now() - timedelta(days=2))
    with pytest.raises(ProgramError, match="on the day it was logged"):
        correct_session(session=session, values={"pain_during": 4}, by=client_a.user)
    assert not SessionRevision.objects.exists()
    corrected = correct_session(
        session=session, values={"pain_during": 4}, by=studio_admin, any_day=True
    )
    assert corrected.pain_during == 4
    assert SessionRevision.objects.get(session=session).revised_by == studio_admin


def test_the_database_refuses_impossible_scores(client_a: Client) -> None:
    """Constraints back the rules: pain 0-10, positive sets, no negative load."""
    for bad in [{"pain_during": 11}, {"sets": 0}, {"load_kg": -1}, {"felt_hips": False}]:
        with pytest.raises(IntegrityError), transaction.atomic():
            make_session(client_a, **bad)
    assert not TrainingSession.objects.exists()


def test_a_prescription_overrides_the_stage_default(client_a: Client) -> None:
    assert load_program(client_a).prescription_text == "3 × 12 reps"
    set_prescription(
        client=client_a,
        stage=stage(3),
        by=client_a.coach,
        sets=4,
        reps=8,
        seconds=None,
        target_load_kg=None,
    )
    assert load_program(client_a).prescription_text == "4 × 8 reps"


def test_old_sessions_at_a_stage_do_not_count_after_coming_back(
    client_a: Client, coach_a: User
) -> None:
    """Regress then return: only sessions since the latest entry count."""
    make_ready(client_a)
    regress_stage(client=client_a, by=coach_a, reason="Felt off")
    override_stage(client=client_a, stage=stage(3), by=coach_a, reason="Back to it")
    gate_now = program(client_a).gate
    assert (gate_now.status, gate_now.green_days) == (Status.HOLD, 0)
    assert gate_now.reasons[0] == "no sessions logged at this stage yet"
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
    assert program(client_a).stage.position == 4
