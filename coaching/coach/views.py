"""The coach's pages: the dashboard of clients and one client's program, with its actions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import push_url

from clients import charts
from clients.audit.selectors import recent_trail
from clients.audit.services import record
from clients.models import Client, CoachNote, StageAssignment, sees_all_clients
from clients.selectors import load_program, session_history
from clients.services import (
    ProgramError,
    add_coach_note,
    advance_stage,
    override_stage,
    reassign,
    regress_stage,
    set_prescription,
    sign_off_technique,
)
from coaching.accounts.roles import StudioRequest, coach_required
from coaching.accounts.selectors import InviteError
from coaching.accounts.services import invite_client, resend_invite
from coaching.coach import selectors
from coaching.coach.forms import (
    DashboardFilterForm,
    MoveStageForm,
    NewClientForm,
    NoteForm,
    PrescriptionForm,
    ReasonForm,
    ReassignForm,
    SignOffForm,
)

DASHBOARD_PAGE_SIZE = 25
SESSIONS_PAGE_SIZE = 50


@require_GET
@coach_required
def dashboard(request: StudioRequest) -> TemplateResponse:
    filters = DashboardFilterForm(request.GET)
    values = filters.values()
    board = selectors.dashboard(request.user, **values)
    page = Paginator(board.clients, DASHBOARD_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.rows(list(page.object_list), board.today)
    template = "coaching/coach/dashboard.html"
    if request.htmx and not request.htmx.boosted:
        template += "#client_table"
    defaults = {("show", "all"), ("sort", "status")}
    query = urlencode({k: v for k, v in values.items() if v and (k, v) not in defaults})
    response = TemplateResponse(
        request,
        template,
        {
            "filters": filters,
            "values": values,
            "page": page,
            "rows": rows,
            "counts": board.counts,
            "query": query,
            "sees_all": sees_all_clients(request.user),
        },
    )
    if request.htmx:
        # The address bar shows only the non-default filters, so reloading or sharing works.
        page_part = f"page={page.number}" if page.number > 1 else ""
        canonical = "&".join(part for part in (query, page_part) if part)
        return push_url(response, request.path + (f"?{canonical}" if canonical else ""))
    return response


def _program_context(request: StudioRequest, client: Client, **extra: Any) -> dict[str, Any]:
    program = load_program(client)
    assignments = list(
        StageAssignment.objects.filter(client=client).select_related(
            "stage__exercise", "from_stage__exercise", "assigned_by"
        )
    )
    page = Paginator(session_history(client), SESSIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    recent = list(session_history(client)[: charts.PROGRAM_SESSIONS])
    rx = program.prescription
    context = {
        "client": client,
        "program": program,
        "gate": program.gate,
        "assignments": assignments,
        "notes": list(CoachNote.objects.filter(client=client).select_related("author")[:50]),
        "page": page,
        "chart": charts.program_chart(recent, assignments),
        "move_form": MoveStageForm(stages=program.stages),
        "note_form": NoteForm(),
        "prescription_form": PrescriptionForm(
            loaded=program.is_loaded,
            initial={
                "sets": rx.sets if rx else program.stage.sets,
                "reps": rx.reps if rx else program.stage.reps,
                "seconds": rx.seconds if rx else program.stage.seconds,
                "target_load_kg": rx.target_load_kg if rx else None,
            },
        ),
        "reassign_form": ReassignForm(initial={"coach": client.coach_id}),
        "sees_all": sees_all_clients(request.user),
        "trail": recent_trail(client) if sees_all_clients(request.user) else [],
        "invite_pending": not client.user.has_usable_password(),
    }
    context.update(extra)
    return context


@require_GET
@coach_required
def client_detail(request: StudioRequest, client_id: int) -> TemplateResponse:
    client = selectors.access_client(request.user, client_id)
    record(actor=request.user, client=client, action="view")
    return TemplateResponse(
        request, "coaching/coach/client_detail.html", _program_context(request, client)
    )


def _after_action(
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
            _program_context(request, client, **forms),
        )
    if forms:
        # A plain POST with an invalid form: show the whole page with the errors.
        return TemplateResponse(
            request, "coaching/coach/client_detail.html", _program_context(request, client, **forms)
        )
    return redirect("coaching:client_detail", client_id=client.pk)


def _program_action(
    request: StudioRequest, client_id: int, action: Callable[..., Any], **kwargs: Any
) -> HttpResponse:
    client = selectors.access_client(request.user, client_id)
    try:
        result = action(client=client, by=request.user, **kwargs)
    except ProgramError as exc:
        return _after_action(request, client, error=str(exc))
    # The action changed the stored stage and gate under its lock: show what it left.
    client = selectors.access_client(request.user, client_id)
    return _after_action(request, client, ok=_describe(result))


def _reasoned_action(
    request: StudioRequest, client_id: int, action: Callable[..., Any]
) -> HttpResponse:
    form = ReasonForm(request.POST)
    if not form.is_valid():
        client = selectors.access_client(request.user, client_id)
        return _after_action(request, client, error=str(form.errors["reason"][0]))
    return _program_action(request, client_id, action, reason=form.cleaned_data["reason"])


def _describe(row: Any) -> str:
    if isinstance(row, StageAssignment):
        return f"{row.get_kind_display()} to stage {row.stage.position}: {row.stage.exercise.name}."
    return f"Technique signed off for the {row.stage.exercise.name.lower()}."


@require_POST
@coach_required
def advance_client(request: StudioRequest, client_id: int) -> HttpResponse:
    return _reasoned_action(request, client_id, advance_stage)


@require_POST
@coach_required
def regress_client(request: StudioRequest, client_id: int) -> HttpResponse:
    return _reasoned_action(request, client_id, regress_stage)


@require_POST
@coach_required
def move_client(request: StudioRequest, client_id: int) -> HttpResponse:
    client = selectors.access_client(request.user, client_id)
    form = MoveStageForm(request.POST, stages=load_program(client).stages)
    if not form.is_valid():
        return _after_action(request, client, move_form=form, form=form)
    try:
        row = override_stage(
            client=client,
            stage=form.cleaned_data["stage"],
            by=request.user,
            reason=form.cleaned_data["reason"],
        )
    except ProgramError as exc:
        form.add_error("stage", str(exc))
        return _after_action(request, client, move_form=form, form=form)
    client = selectors.access_client(request.user, client_id)
    return _after_action(request, client, ok=_describe(row))


@require_POST
@coach_required
def sign_off(request: StudioRequest, client_id: int) -> HttpResponse:
    form = SignOffForm(request.POST)
    if not form.is_valid():
        client = selectors.access_client(request.user, client_id)
        return _after_action(request, client, error=str(form.errors["note"][0]))
    return _program_action(request, client_id, sign_off_technique, note=form.cleaned_data["note"])


@require_POST
@coach_required
def add_note(request: StudioRequest, client_id: int) -> HttpResponse:
    client = selectors.access_client(request.user, client_id)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _after_action(request, client, note_form=form, form=form)
    add_coach_note(client=client, by=request.user, text=form.cleaned_data["text"])
    return _after_action(request, client, ok="Note added.")


@require_POST
@coach_required
def update_prescription(request: StudioRequest, client_id: int) -> HttpResponse:
    client = selectors.access_client(request.user, client_id)
    program = load_program(client)
    form = PrescriptionForm(request.POST, loaded=program.is_loaded)
    if not form.is_valid():
        return _after_action(request, client, prescription_form=form, form=form)
    prescription = set_prescription(
        client=client,
        stage=program.stage,
        sets=form.cleaned_data["sets"],
        reps=form.cleaned_data["reps"],
        seconds=form.cleaned_data["seconds"],
        target_load_kg=form.cleaned_data.get("target_load_kg"),
    )
    return _after_action(request, client, ok=f"Prescription set: {prescription.text}.")


@require_POST
@coach_required
def reassign_client(request: StudioRequest, client_id: int) -> HttpResponse:
    if not sees_all_clients(request.user):
        raise PermissionDenied("Only a head coach or a studio admin can reassign clients.")
    client = selectors.access_client(request.user, client_id)
    form = ReassignForm(request.POST)
    if not form.is_valid():
        return _after_action(request, client, reassign_form=form, form=form)
    reassign(client=client, coach=form.cleaned_data["coach"], by=request.user)
    return _after_action(
        request, client, ok=f"{client.name} is now coached by {form.cleaned_data['coach']}."
    )


@require_POST
@coach_required
def resend_invitation(request: StudioRequest, client_id: int) -> HttpResponse:
    client = selectors.access_client(request.user, client_id)
    try:
        resend_invite(client=client, by=request.user)
    except InviteError as exc:
        return _after_action(request, client, error=str(exc))
    return _after_action(
        request, client, ok=f"A new invitation is on its way to {client.user.email}."
    )


@require_http_methods(["GET", "POST"])
@coach_required
def new_client(request: StudioRequest) -> HttpResponse:
    if request.method == "POST":
        form = NewClientForm(request.POST)
        if form.is_valid():
            client = invite_client(
                coach=request.user,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                email=form.cleaned_data["email"],
                stage=form.cleaned_data["stage"],
                notes=form.cleaned_data["notes"],
            )
            messages.success(
                request, f"{client.name} is set up. We have emailed them an invitation link."
            )
            return redirect("coaching:client_detail", client_id=client.pk)
    else:
        form = NewClientForm()
    return TemplateResponse(request, "coaching/coach/new_client.html", {"form": form})
