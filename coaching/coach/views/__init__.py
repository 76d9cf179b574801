"""The coach's pages: the dashboard of clients, one client's program, adding a client.

The program's actions (each confirmed, the last one undoable) are in coaching.coach.views.actions.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import push_url

from clients import charts
from clients.audit.selectors import recent_trail
from clients.audit.services import record
from clients.messages.models import MESSAGE_MAX_LENGTH
from clients.models import (
    DEFAULT_SESSIONS_PER_WEEK,
    Client,
    CoachNote,
    StageAssignment,
    sees_all_clients,
)
from clients.program.services import undo_deadline, undoable
from clients.selectors import assessment_findings, load_program, session_history, sheet_context
from coaching.accounts.roles import StudioRequest, coach_required
from coaching.accounts.services import invite_client
from coaching.coach import selectors
from coaching.coach.forms import (
    DashboardFilterForm,
    MoveStageForm,
    NewClientForm,
    NoteForm,
    PrescriptionForm,
    ReassignForm,
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
            "message_max_length": MESSAGE_MAX_LENGTH,
        },
    )
    if request.htmx:
        # The address bar shows only the non-default filters, so reloading or sharing works.
        page_part = f"page={page.number}" if page.number > 1 else ""
        canonical = "&".join(part for part in (query, page_part) if part)
        return push_url(response, request.path + (f"?{canonical}" if canonical else ""))
    return response


def program_context(request: StudioRequest, client: Client, **extra: Any) -> dict[str, Any]:
    """Everything the program page shows; `extra` carries forms with errors or a confirm step."""
    program = load_program(client)
    assignments = list(
        StageAssignment.objects.filter(client=client).select_related(
            "stage__exercise", "from_stage__exercise", "assigned_by"
        )
    )
    page = Paginator(session_history(client), SESSIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    recent = list(session_history(client)[: charts.PROGRAM_SESSIONS])
    rx = program.prescription
    undo = undoable(
        assignments[0] if assignments else None,
        program.signoff,
        by=request.user,
        now=timezone.now(),
    )
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
                "sessions_per_week": rx.sessions_per_week if rx else DEFAULT_SESSIONS_PER_WEEK,
                "rest_seconds": rx.rest_seconds if rx else None,
                "tempo": rx.tempo if rx else "",
                "plan_notes": rx.notes if rx else "",
            },
        ),
        "reassign_form": ReassignForm(initial={"coach": client.coach_id}),
        "sees_all": sees_all_clients(request.user),
        "trail": recent_trail(client) if sees_all_clients(request.user) else [],
        "invite_pending": not client.user.has_usable_password(),
        "undo": undo,
        "undo_until": undo_deadline(undo) if undo else None,
        "findings": assessment_findings(client, program.stages),
    }
    context.update(extra)
    return context


@require_GET
@coach_required
def client_detail(request: StudioRequest, client_id: int) -> TemplateResponse:
    client = selectors.access_client(request.user, client_id)
    record(actor=request.user, client=client, action="view")
    return TemplateResponse(
        request, "coaching/coach/client_detail.html", program_context(request, client)
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


@require_GET
@coach_required
def stage_sheet(request: StudioRequest, client_id: int) -> TemplateResponse:
    """The printable one-page sheet of the client's current stage."""
    client = selectors.access_client(request.user, client_id)
    return TemplateResponse(request, "clients/sheet.html", sheet_context(client))
