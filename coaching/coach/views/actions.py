"""What a coach does to a client's program: each change confirmed, the last one undoable.

Stage changes and sign-offs go through one confirm step (`confirmed`): the first
POST shows what will happen and asks for the reason (and, when the target stage
is on the assessment's avoid list, an explicit acknowledgement); the second POST,
with the reason, does it. With htmx the program section is swapped; without it
the whole page renders, so every action works as a plain form post too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from clients.adherence.services import nudge
from clients.messages.services import send_to_many
from clients.models import AssessmentSummary, Client, StageAssignment, sees_all_clients
from clients.program.services import (
    UNDO_MINUTES,
    add_coach_note,
    advance_stage,
    override_stage,
    reassign,
    regress_stage,
    set_prescription,
    sign_off_technique,
    undo_last_change,
)
from clients.selectors import Program, load_program
from clients.services import ProgramError
from coaching.accounts.roles import StudioRequest, coach_required
from coaching.accounts.selectors import InviteError
from coaching.accounts.services import resend_invite
from coaching.coach import selectors
from coaching.coach.forms import (
    BulkForm,
    ConfirmForm,
    MoveStageForm,
    NoteForm,
    PrescriptionForm,
    ReassignForm,
)
from coaching.coach.views import program_context
from exercises.models import Stage


def after_action(
    request: StudioRequest, client: Client, *, ok: str = "", error: str = "", **forms: Any
) -> HttpResponse:
    """Answer an action: the updated program for htmx, a redirect otherwise."""
    if ok:
        messages.success(request, ok)
    if error:
        messages.error(request, error)
    if request.htmx:
        return TemplateResponse(
            request,
            "coaching/coach/client_detail.html#program",
            program_context(request, client, **forms),
        )
    if forms:
        # A plain POST that needs more from the coach: the whole page, with the form.
        return TemplateResponse(
            request, "coaching/coach/client_detail.html", program_context(request, client, **forms)
        )
    return redirect("coaching:client_detail", client_id=client.pk)


@dataclass
class Preview:
    """What a change will do, in words, before the coach confirms it."""

    title: str
    action_url: str
    button: str
    will_happen: list[str]
    warnings: list[str] = field(default_factory=list)
    reason_label: str = "Reason (the client sees it with the change)"
    carry: dict[str, Any] = field(default_factory=dict)


def _avoid_warning(client: Client, stage: Stage) -> list[str]:
    summary = AssessmentSummary.objects.filter(client=client).first()
    if summary is not None and summary.avoids(stage):
        exercise = stage.exercise.name.lower()
        return [f"The {exercise} is on the avoid list from {client.name}'s assessment."]
    return []


def _move_words(client: Client, program: Program, stage: Stage) -> list[str]:
    first = client.user.first_name or client.name
    return [
        f"{client.name} moves from stage {program.stage.position} "
        f"({program.stage.exercise.name.lower()}) to stage {stage.position} "
        f"({stage.exercise.name.lower()}).",
        "Sessions count towards the new stage from today: the green days start again.",
        f"{first} sees the change and your reason, on their phone and by email, in "
        f"{UNDO_MINUTES} minutes: until then you can undo it.",
    ]


def confirmed(
    request: StudioRequest,
    client: Client,
    preview: Preview,
    run: Callable[[str], Any],
) -> HttpResponse:
    """Show the preview and ask for the reason; with both given, run the change."""
    data = request.POST if request.POST.get("confirm") else None
    form = ConfirmForm(
        data,
        warnings=preview.warnings,
        reason_label=preview.reason_label,
        initial={"reason": preview.carry.get("move-reason", "")},
    )
    if data is None or not form.is_valid():
        return after_action(request, client, confirm=preview, confirm_form=form, form=form)
    try:
        result = run(form.cleaned_data["reason"])
    except ProgramError as exc:
        return after_action(request, client, error=str(exc))
    client = selectors.access_client(request.user, client.pk)
    return after_action(request, client, ok=describe(result))


def describe(row: Any) -> str:
    if isinstance(row, StageAssignment):
        return f"{row.get_kind_display()} to stage {row.stage.position}: {row.stage.exercise.name}."
    if getattr(row, "undone_at", None):
        return f"Sign-off for the {row.stage.exercise.name.lower()} undone."
    return f"Technique signed off for the {row.stage.exercise.name.lower()}."


@require_POST
@coach_required
def advance_client(request: StudioRequest, client_id: int) -> HttpResponse:
    client = selectors.access_client(request.user, client_id)
    program = load_program(client)
    if program.next_stage is None:
        return after_action(request, client, error="This client is already on the final stage.")
    following = program.next_stage
    preview = Preview(
        title=f"Advance {client.name}?",
        action_url=request.path,
        button=f"Advance to stage {following.position}",
        will_happen=_move_words(client, program, following),
        warnings=_avoid_warning(client, following),
    )
    return confirmed(
        request,
        client,
        preview,
        lambda reason: advance_stage(client=client, by=request.user, reason=reason),
    )


@require_POST
@coach_required
def regress_client(request: StudioRequest, client_id: int) -> HttpResponse:
    client = selectors.access_client(request.user, client_id)
    program = load_program(client)
    if program.previous_stage is None:
        return after_action(request, client, error="This client is already on the first stage.")
    preview = Preview(
        title=f"Regress {client.name}?",
        action_url=request.path,
        button=f"Regress to stage {program.previous_stage.position}",
        will_happen=_move_words(client, program, program.previous_stage),
    )
    return confirmed(
        request,
        client,
        preview,
        lambda reason: regress_stage(client=client, by=request.user, reason=reason),
    )


@require_POST
@coach_required
def move_client(request: StudioRequest, client_id: int) -> HttpResponse:
    client = selectors.access_client(request.user, client_id)
    program = load_program(client)
    form = MoveStageForm(request.POST, stages=program.stages)
    if not form.is_valid():
        return after_action(request, client, move_form=form, form=form)
    stage = form.cleaned_data["stage"]
    if stage.pk == program.stage.pk:
        form.add_error("stage", "The client is already on that stage")
        return after_action(request, client, move_form=form, form=form)
    preview = Preview(
        title=f"Move {client.name} outside the gate?",
        action_url=request.path,
        button=f"Move to stage {stage.position}",
        will_happen=_move_words(client, program, stage),
        warnings=_avoid_warning(client, stage),
        carry={"move-stage": stage.pk, "move-reason": form.cleaned_data["reason"]},
    )
    return confirmed(
        request,
        client,
        preview,
        lambda reason: override_stage(client=client, stage=stage, by=request.user, reason=reason),
    )


@require_POST
@coach_required
def sign_off(request: StudioRequest, client_id: int) -> HttpResponse:
    client = selectors.access_client(request.user, client_id)
    program = load_program(client)
    if program.signed_off:
        return after_action(
            request,
            client,
            error=f"Technique at {program.stage.exercise.name} is already signed off.",
        )
    exercise = program.stage.exercise.name.lower()
    will_happen = [f"You record that {client.name}'s technique at the {exercise} is mastered."]
    following = program.next_stage
    if following is not None and following.technique_signoff_required:
        will_happen.append(
            f"It opens the gate into the {following.exercise.name.lower()}, a loaded stage, "
            f"once they have {program.gate.green_days_needed} green days."
        )
    will_happen.append(f"You can undo it for {UNDO_MINUTES} minutes.")
    preview = Preview(
        title=f"Sign off the {exercise}?",
        action_url=request.path,
        button="Sign off technique",
        will_happen=will_happen,
        reason_label="What you saw (kept with the sign-off)",
    )
    return confirmed(
        request,
        client,
        preview,
        lambda note: sign_off_technique(client=client, by=request.user, note=note),
    )


@require_POST
@coach_required
def undo_change(request: StudioRequest, client_id: int) -> HttpResponse:
    client = selectors.access_client(request.user, client_id)
    try:
        result = undo_last_change(client=client, by=request.user)
    except ProgramError as exc:
        return after_action(request, client, error=str(exc))
    client = selectors.access_client(request.user, client_id)
    if isinstance(result, StageAssignment):
        return after_action(request, client, ok=f"Undone: back on stage {result.stage.position}.")
    return after_action(request, client, ok=describe(result))


@require_POST
@coach_required
def add_note(request: StudioRequest, client_id: int) -> HttpResponse:
    client = selectors.access_client(request.user, client_id)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return after_action(request, client, note_form=form, form=form)
    add_coach_note(client=client, by=request.user, text=form.cleaned_data["text"])
    return after_action(request, client, ok="Note added.")


@require_POST
@coach_required
def update_prescription(request: StudioRequest, client_id: int) -> HttpResponse:
    client = selectors.access_client(request.user, client_id)
    program = load_program(client)
    form = PrescriptionForm(request.POST, loaded=program.is_loaded)
    if not form.is_valid():
        return after_action(request, client, prescription_form=form, form=form)
    data = form.cleaned_data
    prescription = set_prescription(
        client=client,
        stage=program.stage,
        by=request.user,
        sets=data["sets"],
        reps=data["reps"],
        seconds=data["seconds"],
        target_load_kg=data.get("target_load_kg"),
        sessions_per_week=data["sessions_per_week"],
        rest_seconds=data["rest_seconds"],
        tempo=data["tempo"] or "",
        notes=data["plan_notes"],
    )
    return after_action(request, client, ok=f"Prescription set: {prescription.text}.")


@require_POST
@coach_required
def reassign_client(request: StudioRequest, client_id: int) -> HttpResponse:
    if not sees_all_clients(request.user):
        raise PermissionDenied("Only a head coach or a studio admin can reassign clients.")
    client = selectors.access_client(request.user, client_id)
    form = ReassignForm(request.POST)
    if not form.is_valid():
        return after_action(request, client, reassign_form=form, form=form)
    reassign(client=client, coach=form.cleaned_data["coach"], by=request.user)
    return after_action(
        request, client, ok=f"{client.name} is now coached by {form.cleaned_data['coach']}."
    )


@require_POST
@coach_required
def resend_invitation(request: StudioRequest, client_id: int) -> HttpResponse:
    client = selectors.access_client(request.user, client_id)
    try:
        resend_invite(client=client, by=request.user)
    except InviteError as exc:
        return after_action(request, client, error=str(exc))
    return after_action(
        request, client, ok=f"A new invitation is on its way to {client.user.email}."
    )


@require_POST
@coach_required
def bulk_action(request: StudioRequest) -> HttpResponse:
    """Nudge or message the clients ticked on the dashboard (only the coach's own)."""
    mine = list(Client.objects.for_coach(request.user).select_related("user"))
    form = BulkForm(request.POST, client_ids=[c.pk for c in mine])
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("coaching:dashboard")
    chosen = [c for c in mine if c.pk in set(form.cleaned_data["clients"])]
    if form.cleaned_data["action"] == "message":
        try:
            sent, skipped = send_to_many(
                clients=chosen, author=request.user, text=form.cleaned_data["text"]
            )
        except ProgramError as exc:
            messages.error(request, str(exc))
            return redirect("coaching:dashboard")
        text = f"Message sent to {sent} client{'s' if sent != 1 else ''}."
        if skipped:
            text += f" {skipped} not sent: they have not agreed to the privacy notice yet."
        messages.success(request, text)
        return redirect("coaching:dashboard")
    sent = nudge(clients=chosen, by=request.user)
    skipped = len(chosen) - sent
    text = f"Nudged {sent} client{'s' if sent != 1 else ''}."
    if skipped:
        text += f" {skipped} already had a nudge today, or are not active."
    messages.success(request, text)
    return redirect("coaching:dashboard")
