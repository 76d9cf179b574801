from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import Client as HttpClient
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from clients.models import Client, CoachNote, Prescription, StageAssignment, TechniqueSignoff
from clients.selectors import load_program
from coaching.models import Invitation, User
from exercises.models import Stage
from tests.factories import make_client, make_session

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def as_coach_a(client: HttpClient, coach_a: User) -> HttpClient:
    client.force_login(coach_a)
    return client


def url(client: Client, action: str = "") -> str:
    return f"/coach/clients/{client.pk}/" + (f"{action}/" if action else "")


def confirm(coach: HttpClient, client: Client, action: str, reason: str, **data: Any) -> Any:
    """The two steps of every stage change and sign-off: see what will happen, then confirm."""
    asked = coach.post(url(client, action), data, headers=HTMX)
    assert 'id="confirm"' in asked.content.decode()
    assert StageAssignment.objects.filter(client=client).count() in {1, 2, 3, 4}
    return coach.post(
        url(client, action), {**data, "confirm": "True", "reason": reason}, headers=HTMX
    )


def make_ready(client: Client) -> None:
    for days in (5, 3, 1):
        make_session(client, days_ago=days)


def program_of(client: Client) -> Any:
    return load_program(Client.objects.get(pk=client.pk))


def day_name(client: Client, days_ago: int) -> str:
    on = client.today() - timedelta(days=days_ago)
    return f"{on:%A} {on.day} {on:%B}"


@pytest.fixture
def midday() -> Any:
    """It is noon today in the studio's zone, whatever the real hour (the clock keeps running)."""
    real = timezone.now
    noon = datetime.combine(timezone.localdate(), time(12), tzinfo=ZoneInfo("Europe/London"))
    start = real()
    with mock.patch("django.utils.timezone.now", side_effect=lambda: noon + (real() - start)):
        yield noon


def test_the_program_page_shows_stage_gate_history_and_chart(
    as_coach_a: HttpClient, client_a: Client
) -> None:
    make_session(client_a, days_ago=2, pain_during=3, notes="Tight hamstrings")
    body = as_coach_a.get(url(client_a)).content.decode()
    assert "Stage 3 of 8: Glute bridge" in body
    assert "<li>0 of 3 green days</li>" in body  # 3 during is above the floor of 2: amber
    assert "<li>Pain reached 3 during the session</li>" in body
    assert "Started</strong> to 3. Glute bridge" in body
    assert "Consented to storing health data" in body
    assert "Tight hamstrings" in body
    assert 'class="program-chart" role="img"' in body


def test_advancing_a_ready_client_with_htmx_returns_the_updated_program(
    as_coach_a: HttpClient, client_a: Client, coach_a: User
) -> None:
    make_ready(client_a)
    asked = as_coach_a.post(url(client_a, "advance"), headers=HTMX)
    question = asked.content.decode()
    assert "Advance Ava Example?" in question
    assert "Ava Example moves from stage 3 (glute bridge) to stage 4 (standing hip hinge)." in (
        question
    )
    assert "in 10 minutes: until then you can undo it" in question
    assert StageAssignment.objects.filter(client=client_a).count() == 1  # nothing done yet
    unexplained = as_coach_a.post(url(client_a, "advance"), {"confirm": "True"}, headers=HTMX)
    assert "Give the reason" in unexplained.content.decode()
    assert StageAssignment.objects.filter(client=client_a).count() == 1
    response = as_coach_a.post(
        url(client_a, "advance"), {"confirm": "True", "reason": "Three green days"}, headers=HTMX
    )
    assert response.template_name == "coaching/coach/client_detail.html#program"
    body = response.content.decode()
    assert "Stage 4 of 8: Standing hip hinge" in body
    assert "You can undo it until" in body
    assert "Advanced to stage 4: Standing hip hinge." in body
    assert "No sessions logged at this stage yet" in body  # the gate starts again
    row = StageAssignment.objects.filter(client=client_a).latest()
    assert (row.kind, row.assigned_by, row.from_stage.position, row.reason) == (
        "advance",
        coach_a,
        3,
        "Three green days",
    )


def test_advancing_without_javascript_redirects_back_with_a_message(
    as_coach_a: HttpClient, client_a: Client
) -> None:
    make_ready(client_a)
    asked = as_coach_a.post(url(client_a, "advance"))
    assert asked.status_code == 200 and 'id="confirm"' in asked.content.decode()
    response = as_coach_a.post(
        url(client_a, "advance"), {"confirm": "True", "reason": "Ready"}, follow=True
    )
    assert response.redirect_chain == [(url(client_a), 302)]
    assert "Advanced to stage 4" in response.content.decode()


def test_advancing_a_client_who_is_not_ready_is_refused_with_the_reason(
    as_coach_a: HttpClient, client_a: Client
) -> None:
    make_session(client_a, days_ago=3)
    make_session(client_a, days_ago=1)
    response = confirm(as_coach_a, client_a, "advance", "Keen to move on")
    assert "Not ready to progress: 2 of 3 green days." in response.content.decode()
    assert StageAssignment.objects.filter(client=client_a).count() == 1


def test_regressing_below_the_first_stage_is_refused(as_coach_a: HttpClient, coach_a: User) -> None:
    first = make_client("first@example.com", coach=coach_a, position=1)
    response = as_coach_a.post(url(first, "regress"), follow=True)
    assert "already on the first stage" in response.content.decode()


def test_advancing_past_the_last_stage_is_refused(as_coach_a: HttpClient, coach_a: User) -> None:
    top = make_client("top@example.com", coach=coach_a, position=8)
    make_ready(top)
    response = as_coach_a.post(url(top, "advance"), follow=True)
    assert "already on the final stage" in response.content.decode()


def test_regressing_records_the_flare_as_the_reason(
    as_coach_a: HttpClient, client_a: Client
) -> None:
    make_session(client_a, days_ago=1, pain_during=7)
    page = as_coach_a.get(url(client_a)).content.decode()
    assert f"Red on {day_name(client_a, 1)}: pain during was above the ceiling" in page
    assert "Suggested: cut the volume or load at this stage" in page
    response = confirm(as_coach_a, client_a, "regress", "Flare-up: back to the thrust")
    assert "Stage 2 of 8: Kneeling hip thrust" in response.content.decode()
    row = StageAssignment.objects.filter(client=client_a).latest()
    assert (row.kind, row.stage.position, row.reason) == (
        "regress",
        2,
        "Flare-up: back to the thrust",
    )


@pytest.mark.parametrize(
    ("first_red", "suggestion"),
    [
        (7, "Suggested: regress one stage (two red days within a week)"),
        (8, "Suggested: cut the volume or load at this stage"),
    ],
)
def test_two_red_days_within_a_week_suggest_regressing(
    as_coach_a: HttpClient, client_a: Client, first_red: int, suggestion: str
) -> None:
    """Reds known 6 days apart suggest regressing one stage; 7 apart, cutting the load."""
    make_session(client_a, days_ago=first_red, pain_during=6)
    make_session(client_a, days_ago=1, pain_after=6)
    body = as_coach_a.get(url(client_a)).content.decode()
    assert suggestion in body


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"move-stage": "", "move-reason": "x"}, "stage", "Choose the stage"),
        ({"move-stage": "999999", "move-reason": "x"}, "stage", "Choose one of the stages"),
        ({"move-stage": "abc", "move-reason": "x"}, "stage", "Choose one of the stages"),
        ({"move-stage": "STAGE6", "move-reason": "   "}, "reason", "Give a reason"),
        ({"move-stage": "STAGE3", "move-reason": "why"}, "stage", "already on that stage"),
    ],
)
def test_moving_outside_the_gate_needs_a_valid_stage_and_a_reason(
    as_coach_a: HttpClient, client_a: Client, data: dict[str, str], field: str, message: str
) -> None:
    for position in (3, 6):
        stage = Stage.objects.get(progression__slug="hip-hinge", position=position)
        data = {k: (str(stage.pk) if v == f"STAGE{position}" else v) for k, v in data.items()}
    response = as_coach_a.post(url(client_a, "move"), data, headers=HTMX)
    assert response.status_code == 200
    assert message in " ".join(response.context["move_form"].errors[field])
    assert "There is a problem" in response.content.decode()
    assert StageAssignment.objects.filter(client=client_a).count() == 1


def test_moving_with_a_reason_writes_an_override(as_coach_a: HttpClient, client_a: Client) -> None:
    stage = Stage.objects.get(progression__slug="hip-hinge", position=6)
    data = {"move-stage": stage.pk, "move-reason": "Ex-lifter"}
    asked = as_coach_a.post(url(client_a, "move"), data, headers=HTMX)
    assert 'name="reason"' in asked.content.decode() and "Ex-lifter</textarea>" in (
        asked.content.decode()
    )
    confirm(as_coach_a, client_a, "move", "Ex-lifter", **data)
    row = StageAssignment.objects.filter(client=client_a).latest()
    assert (row.kind, row.stage.position, row.reason) == ("override", 6, "Ex-lifter")


def test_signing_off_technique_opens_the_gate_into_a_loaded_stage(
    as_coach_a: HttpClient, coach_a: User
) -> None:
    hinge = make_client("hinge@example.com", coach=coach_a, position=4)
    make_ready(hinge)
    body = as_coach_a.get(url(hinge)).content.decode()
    assert "<li>3 of 3 green days</li>" in body
    assert "<li>Technique not signed off for the standing hip hinge</li>" in body
    asked = as_coach_a.post(url(hinge, "sign-off"), headers=HTMX).content.decode()
    assert "It opens the gate into the kettlebell deadlift, a loaded stage" in asked
    signed = confirm(as_coach_a, hinge, "sign-off", "Clean hinge")
    assert "<li>Ready for the kettlebell deadlift</li>" in signed.content.decode()
    signoff = TechniqueSignoff.objects.get(client=hinge)
    assert (signoff.coach, signoff.note) == (coach_a, "Clean hinge")
    confirm(as_coach_a, hinge, "advance", "Ready and signed off")
    assert program_of(hinge).stage.position == 5


def test_an_over_long_sign_off_note_or_reason_is_refused_and_nothing_is_saved(
    as_coach_a: HttpClient, coach_a: User
) -> None:
    hinge = make_client("hinge@example.com", coach=coach_a, position=4)
    make_ready(hinge)
    refused = confirm(as_coach_a, hinge, "sign-off", "x" * 501)
    assert "Keep the reason to 500 characters or fewer" in refused.content.decode()
    assert not TechniqueSignoff.objects.filter(client=hinge).exists()
    long_reason = as_coach_a.post(url(hinge, "regress"), {"confirm": "True", "reason": "x" * 501})
    assert "Keep the reason to 500 characters or fewer" in long_reason.content.decode()
    assert program_of(hinge).stage.position == 4


def test_notes_are_added_with_who_and_when(
    as_coach_a: HttpClient, client_a: Client, coach_a: User
) -> None:
    empty = as_coach_a.post(url(client_a, "notes"), {"note-text": "  "}, headers=HTMX)
    assert "Write the note before saving it" in empty.content.decode()
    as_coach_a.post(url(client_a, "notes"), {"note-text": "Sleeping badly"}, headers=HTMX)
    note = CoachNote.objects.get(client=client_a)
    assert (note.author, note.text) == (coach_a, "Sleeping badly")


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"rx-sets": "0", "rx-reps": "8"}, "sets", "at least 1"),
        ({"rx-sets": "x", "rx-reps": "8"}, "sets", "whole number"),
        ({"rx-sets": "3"}, "reps", "either reps per set or seconds"),
        ({"rx-sets": "3", "rx-reps": "8", "rx-seconds": "30"}, "reps", "not both"),
        (
            {"rx-sets": "3", "rx-reps": "8", "rx-sessions_per_week": "0"},
            "sessions_per_week",
            "at least 1",
        ),
        ({"rx-sets": "3", "rx-reps": "8", "rx-tempo": "slow"}, "tempo", "like 3-1-1"),
        ({"rx-sets": "3", "rx-reps": "8", "rx-rest_seconds": "-5"}, "rest_seconds", "negative"),
    ],
)
def test_bad_prescriptions_are_explained_and_not_saved(
    as_coach_a: HttpClient, client_a: Client, data: dict[str, str], field: str, message: str
) -> None:
    response = as_coach_a.post(url(client_a, "prescription"), data, headers=HTMX)
    assert message in " ".join(response.context["prescription_form"].errors[field])
    assert not Prescription.objects.exists()


def test_a_prescription_is_saved_for_the_current_stage(
    as_coach_a: HttpClient, client_a: Client
) -> None:
    as_coach_a.post(
        url(client_a, "prescription"),
        {
            "rx-sets": "4",
            "rx-reps": "6",
            "rx-sessions_per_week": "2",
            "rx-rest_seconds": "90",
            "rx-tempo": "3-1-1",
            "rx-plan_notes": "Squeeze at the top",
        },
    )
    program = load_program(client_a)
    assert program.prescription_text == "4 × 6 reps"
    assert program.prescription is not None
    assert program.prescription.details == [
        "2 sessions a week",
        "90 s rest between sets",
        "tempo 3-1-1",
    ]
    as_coach_a.post(
        url(client_a, "prescription"),
        {"rx-sets": "3", "rx-reps": "8", "rx-sessions_per_week": "3"},
    )
    versions = Prescription.objects.filter(client=client_a).order_by("valid_from", "id")
    assert [(p.sets, p.sessions_per_week) for p in versions] == [(4, 2), (3, 3)]
    assert load_program(client_a).prescription_text == "3 × 8 reps"


def test_flaring_up_emails_the_coach_once(
    client: HttpClient,
    client_a: Client,
    coach_a: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """A session that turns the client red sends one alert naming the client, with a link
    to their program and no health data (the program page gives the reason)."""
    client.force_login(client_a.user)
    data = {
        "performed_on": timezone.localdate().isoformat(),
        "sets": "3",
        "reps": "12",
        "pain_before": "1",
        "pain_during": "8",
        "pain_after": "3",
        "felt_in": ["lower_back"],
        "lower_back_hurt": "no",
    }
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/me/log/", data)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/me/log/", data)  # still flaring: no second email
    assert len(mail.outbox) == 1
    alert = mail.outbox[0]
    assert alert.to == [coach_a.email]
    assert alert.subject == "Flare-up: Ava Example"
    assert alert.body.rstrip().endswith(f"/coach/clients/{client_a.pk}/")
    text = alert.body.split("http")[0]
    assert not any(ch.isdigit() for ch in text) and "pain" not in text.lower()


def test_a_red_check_in_answer_also_alerts_the_coach(
    client: HttpClient,
    client_a: Client,
    midday: datetime,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """2 above the usual level the next morning is red: the coach hears, by a link only."""
    session = make_session(client_a, days_ago=1, pain_before=1, next_day_pain=None)
    client.force_login(client_a.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/me/check-in/", {"day": session.performed_on.isoformat(), "pain": "3"})
    assert [m.subject for m in mail.outbox] == ["Flare-up: Ava Example"]
    assert f"/coach/clients/{client_a.pk}/" in mail.outbox[0].body
    assert not any(ch.isdigit() for ch in mail.outbox[0].body.split("http")[0])
    client.force_login(client_a.coach)
    page = client.get(url(client_a)).content.decode()
    assert "Red today: back pain was 2 or more points worse the next morning" in page


# --- Who sees what -------------------------------------------------------------------

ACTIONS = ["advance", "regress", "move", "sign-off", "notes", "prescription", "invite"]


def test_a_coach_cannot_see_or_change_another_coachs_client(
    as_coach_a: HttpClient, client_b: Client
) -> None:
    assert as_coach_a.get(url(client_b)).status_code == 404
    for action in ACTIONS:
        assert as_coach_a.post(url(client_b, action), {}).status_code == 404, action
    assert StageAssignment.objects.filter(client=client_b).count() == 1
    assert not CoachNote.objects.exists()


def test_clients_and_strangers_cannot_use_coach_pages(client: HttpClient, client_a: Client) -> None:
    for target in ["/coach/", "/coach/clients/new/", url(client_a)]:
        assert client.get(target).status_code == 302  # anonymous: to login
    client.force_login(client_a.user)
    for target in ["/coach/", "/coach/clients/new/", url(client_a)]:
        assert client.get(target).status_code == 403
    for action in ACTIONS:
        assert client.post(url(client_a, action)).status_code == 403


def test_only_a_head_coach_can_reassign_and_it_is_recorded(
    client: HttpClient, coach_a: User, coach_b: User, client_a: Client
) -> None:
    client.force_login(coach_a)
    assert client.post(url(client_a, "reassign"), {"reassign-coach": coach_b.pk}).status_code == 403
    coach_a.coach_profile.is_head_coach = True
    coach_a.coach_profile.save()
    bad = client.post(url(client_a, "reassign"), {"reassign-coach": "999999"}, headers=HTMX)
    assert "Choose one of the coaches listed" in bad.content.decode()
    client.post(url(client_a, "reassign"), {"reassign-coach": coach_b.pk})
    client_a.refresh_from_db()
    assert client_a.coach == coach_b
    assert "Reassigned from Alex Example to Blair Example" in CoachNote.objects.get().text


def test_a_head_coach_can_act_on_any_client(
    client: HttpClient, coach_a: User, client_b: Client
) -> None:
    coach_a.coach_profile.is_head_coach = True
    coach_a.coach_profile.save()
    client.force_login(coach_a)
    assert client.get(url(client_b)).status_code == 200


# --- Query counts ------------------------------------------------------------------------


@pytest.mark.parametrize("sessions", [10, 500])
def test_the_program_page_makes_the_same_queries_for_10_or_500_sessions(
    as_coach_a: HttpClient,
    client_a: Client,
    django_assert_num_queries: DjangoAssertNumQueries,
    sessions: int,
) -> None:
    """Ten sessions or five hundred: 12 queries (budget 14), the session and user included,
    and the view written to the audit trail."""
    from clients.audit.models import AuditEntry
    from tests.factories import make_many_sessions

    make_many_sessions(client_a, sessions)
    with django_assert_num_queries(12):
        response = as_coach_a.get(url(client_a))
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(sessions, 50)
    viewed = AuditEntry.objects.filter(additional_data__what="view").get()
    assert (viewed.actor, viewed.additional_data["client_id"]) == (
        response.wsgi_request.user,
        client_a.pk,
    )


def test_the_head_coach_sees_the_audit_trail_within_the_query_budget(
    client: HttpClient, client_a: Client, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    """The head coach's page adds the trail: 13 queries (budget 14); other coaches never see it."""
    from tests.factories import make_coach

    head = make_coach("head@example.com", first_name="Hana", head=True)
    client.force_login(head)
    client.get(url(client_a))
    with django_assert_num_queries(13):
        response = client.get(url(client_a))
    body = response.content.decode()
    assert "Audit trail" in body and "Hana Example · View" in body
    client.force_login(client_a.coach)
    assert "Audit trail" not in client.get(url(client_a)).content.decode()


# --- Invitations ---------------------------------------------------------------------------


def invite_link(message: Any) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/invite/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def new_client_data(**overrides: str) -> dict[str, str]:
    stage = Stage.objects.get(progression__slug="hip-hinge", position=2)
    data = {
        "first_name": "Nina",
        "last_name": "Patel",
        "email": "Nina@Example.com",
        "stage": str(stage.pk),
        "notes": "Desk job",
    }
    data.update(overrides)
    return data


def test_adding_a_client_sends_a_one_time_invitation(
    as_coach_a: HttpClient, coach_a: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = as_coach_a.post("/coach/clients/new/", new_client_data())
    nina = Client.objects.get(user__email="nina@example.com")
    assert response["Location"] == url(nina)
    assert nina.coach == coach_a and not nina.user.has_usable_password()
    assert load_program(nina).stage.position == 2
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["nina@example.com"]
    link = invite_link(mail.outbox[0])

    anonymous = HttpClient()
    page = anonymous.get(link)
    assert "Welcome, Nina" in page.content.decode()
    bad = anonymous.post(link, {"password1": "short", "password2": "other"})
    assert "There is a problem" in bad.content.decode()
    assert "The two passwords do not match" in bad.content.decode()
    no_consent = anonymous.post(
        link, {"password1": "a-long-pass-99", "password2": "a-long-pass-99"}
    )
    assert "Tick the box to agree" in no_consent.content.decode()
    done = anonymous.post(
        link, {"password1": "a-long-pass-99", "password2": "a-long-pass-99", "consent": "on"}
    )
    assert done["Location"] == "/me/"
    assert anonymous.get("/me/").status_code == 200
    nina.refresh_from_db()
    assert nina.consented_at is not None and nina.consent_version == "2026-11"

    again = HttpClient().get(link)
    assert again.status_code == 410
    assert "already been used" in again.content.decode()


def test_an_expired_or_unknown_invitation_explains_itself(
    as_coach_a: HttpClient, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        as_coach_a.post("/coach/clients/new/", new_client_data())
    link = invite_link(mail.outbox[0])
    Invitation.objects.update(expires_at=timezone.now())
    response = HttpClient().get(link)
    assert response.status_code == 410 and "has expired" in response.content.decode()
    unknown = HttpClient().get("/accounts/invite/not-a-real-token/")
    assert unknown.status_code == 410 and "not valid" in unknown.content.decode()


def test_resending_an_invitation_replaces_the_old_link(
    as_coach_a: HttpClient, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        as_coach_a.post("/coach/clients/new/", new_client_data())
    nina = Client.objects.get(user__email="nina@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        as_coach_a.post(url(nina, "invite"))
    old, new = invite_link(mail.outbox[0]), invite_link(mail.outbox[1])
    assert old != new
    assert HttpClient().get(old).status_code == 410
    assert HttpClient().get(new).status_code == 200


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": "COACH.A@example.com"}, "email", "An account already uses this email address"),
        ({"email": "not-an-email"}, "email", "Enter an email address like"),
        ({"first_name": ""}, "first_name", "Enter the client's first name"),
        ({"stage": "0"}, "stage", "Choose one of the stages listed"),
    ],
)
def test_adding_a_client_with_bad_input_saves_nothing(
    as_coach_a: HttpClient, overrides: dict[str, str], field: str, message: str
) -> None:
    response = as_coach_a.post("/coach/clients/new/", new_client_data(**overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert "<title>Error: Add a client" in response.content.decode()
    assert not Client.objects.exists() and not mail.outbox
