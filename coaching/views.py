from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import push_url

from clients import charts
from clients.models import (
    CONSENT_TEXT,
    FACT_FIELDS,
    Client,
    CoachNote,
    StageAssignment,
    TrainingSession,
    sees_all_clients,
)
from clients.progression import Status, history_lights
from clients.services import (
    ProgramError,
    add_coach_note,
    advance_stage,
    load_program,
    override_stage,
    reassign,
    regress_stage,
    set_prescription,
    sign_off_technique,
    summarize_clients,
    thresholds_of,
)
from coaching.forms import (
    AcceptInviteForm,
    DashboardFilterForm,
    MoveStageForm,
    NewClientForm,
    NoteForm,
    PrescriptionForm,
    ReasonForm,
    ReassignForm,
)
from coaching.invites import (
    InviteError,
    accept_invite,
    find_invitation,
    invite_client,
    resend_invite,
)
from coaching.models import User
from coaching.roles import coach_required, home_url_for
from exercises.models import Stage

ASSESSMENT_TELLS_YOU = [
    "Why you might be in pain",
    "Which movements are restricted for you, and why",
    "Which movements to stay away from for now",
    "Which movements to do to become pain-free",
]


@require_GET
def home(request: HttpRequest) -> TemplateResponse:
    stages = Stage.objects.in_order().filter(progression__slug="hip-hinge")
    return TemplateResponse(
        request,
        "coaching/home.html",
        {"assessment_points": ASSESSMENT_TELLS_YOU, "stages": stages},
    )


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


class StudioLoginView(LoginView):
    """Django's login view, sending each role to its own home page."""

    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        return home_url_for(self.request.user)  # type: ignore[arg-type]


# --- Coach dashboard and client programs ---------------------------------------------

STATUS_ORDER = {Status.FLARE: 0, Status.READY: 1, Status.HOLD: 2}
STATUS_LABELS = {Status.READY: "Ready", Status.HOLD: "Hold", Status.FLARE: "Flare-up"}
DASHBOARD_PAGE_SIZE = 25
SESSIONS_PAGE_SIZE = 50


def access_client(user: User, client_id: int) -> Client:
    """The client, if this coach may see them; 404 otherwise (no hint that they exist)."""
    client = (
        Client.objects.for_coach(user)
        .select_related("user", "coach", "progression")
        .filter(pk=client_id)
        .first()
    )
    if client is None:
        raise Http404("No such client.")
    return client


@require_GET
@coach_required
def dashboard(request: HttpRequest) -> TemplateResponse:
    filters = DashboardFilterForm(request.GET)
    values = filters.values()
    clients = Client.objects.for_coach(request.user).filter(status=Client.Status.ACTIVE)
    if values["q"]:
        for word in values["q"].split():
            clients = clients.filter(
                Q(user__first_name__icontains=word)
                | Q(user__last_name__icontains=word)
                | Q(user__email__icontains=word)
            )
    summaries = summarize_clients(clients)
    counts = Counter(row.status for row in summaries)
    quiet_count = sum(row.is_quiet for row in summaries)
    shown = {
        "all": summaries,
        "ready": [r for r in summaries if r.status is Status.READY],
        "flare": [r for r in summaries if r.status is Status.FLARE],
        "quiet": [r for r in summaries if r.is_quiet],
    }[values["show"]]
    if values["sort"] == "activity":
        shown.sort(key=lambda r: (r.last_session_on is None, r.days_quiet or 0, r.client.name))
    else:
        shown.sort(key=lambda r: (STATUS_ORDER[r.status], r.client.name))
    page = Paginator(shown, DASHBOARD_PAGE_SIZE).get_page(request.GET.get("page"))
    template = "coaching/dashboard.html"
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
            "counts": {
                "all": len(summaries),
                "ready": counts[Status.READY],
                "flare": counts[Status.FLARE],
                "hold": counts[Status.HOLD],
                "quiet": quiet_count,
            },
            "query": query,
            "status_labels": STATUS_LABELS,
            "sees_all": sees_all_clients(request.user),
        },
    )
    if request.htmx:
        # The address bar shows only the non-default filters, so reloading or sharing works.
        page_part = f"page={page.number}" if page.number > 1 else ""
        canonical = "&".join(part for part in (query, page_part) if part)
        return push_url(response, request.path + (f"?{canonical}" if canonical else ""))
    return response


def _program_context(request: HttpRequest, client: Client, **extra: Any) -> dict[str, Any]:
    program = load_program(client)
    history = list(
        TrainingSession.objects.filter(client=client)
        .only(*FACT_FIELDS)
        .order_by("performed_on", "logged_at", "id")
    )
    facts = [s.facts() for s in history]
    assignments = list(
        StageAssignment.objects.filter(client=client).select_related(
            "stage__exercise", "from_stage__exercise", "assigned_by"
        )
    )
    lights = history_lights(facts, {s.pk: thresholds_of(s) for s in program.stages})
    page = Paginator(
        TrainingSession.objects.filter(client=client).select_related("stage__exercise"),
        SESSIONS_PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    rx = program.prescription
    context = {
        "client": client,
        "program": program,
        "evaluation": program.evaluation,
        "status_label": STATUS_LABELS[program.evaluation.status],
        "assignments": assignments,
        "notes": list(CoachNote.objects.filter(client=client).select_related("author")[:50]),
        "page": page,
        "lights": lights,
        "chart": charts.program_chart(facts, assignments),
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
        "invite_pending": not client.user.has_usable_password(),
    }
    context.update(extra)
    return context


@require_GET
@coach_required
def client_detail(request: HttpRequest, client_id: int) -> TemplateResponse:
    client = access_client(request.user, client_id)
    return TemplateResponse(
        request, "coaching/client_detail.html", _program_context(request, client)
    )


def _after_action(
    request: HttpRequest, client: Client, *, ok: str = "", error: str = "", **forms: Any
) -> HttpResponse:
    """Answer an action: the updated program for htmx, a redirect otherwise."""
    if ok:
        messages.success(request, ok)
    if error:
        messages.error(request, error)
    if request.htmx:
        return TemplateResponse(
            request,
            "coaching/client_detail.html#program",
            _program_context(request, client, **forms),
        )
    if forms:
        # A plain POST with an invalid form: show the whole page with the errors.
        return TemplateResponse(
            request, "coaching/client_detail.html", _program_context(request, client, **forms)
        )
    return redirect("coaching:client_detail", client_id=client.pk)


def _program_action(
    request: HttpRequest, client_id: int, action: Callable[..., Any], **kwargs: Any
) -> HttpResponse:
    client = access_client(request.user, client_id)
    try:
        result = action(client=client, by=request.user, **kwargs)
    except ProgramError as exc:
        return _after_action(request, client, error=str(exc))
    return _after_action(request, client, ok=_describe(result))


def _describe(row: Any) -> str:
    if isinstance(row, StageAssignment):
        return f"{row.get_kind_display()} to stage {row.stage.position}: {row.stage.exercise.name}."
    return f"Technique signed off for the {row.stage.exercise.name.lower()}."


@require_POST
@coach_required
def advance_client(request: HttpRequest, client_id: int) -> HttpResponse:
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _program_action(request, client_id, advance_stage, reason=reason)


@require_POST
@coach_required
def regress_client(request: HttpRequest, client_id: int) -> HttpResponse:
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _program_action(request, client_id, regress_stage, reason=reason)


@require_POST
@coach_required
def move_client(request: HttpRequest, client_id: int) -> HttpResponse:
    client = access_client(request.user, client_id)
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
    return _after_action(request, client, ok=_describe(row))


@require_POST
@coach_required
def sign_off(request: HttpRequest, client_id: int) -> HttpResponse:
    note = request.POST.get("note", "")[:500]
    return _program_action(request, client_id, sign_off_technique, note=note)


@require_POST
@coach_required
def add_note(request: HttpRequest, client_id: int) -> HttpResponse:
    client = access_client(request.user, client_id)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _after_action(request, client, note_form=form, form=form)
    add_coach_note(client=client, by=request.user, text=form.cleaned_data["text"])
    return _after_action(request, client, ok="Note added.")


@require_POST
@coach_required
def update_prescription(request: HttpRequest, client_id: int) -> HttpResponse:
    client = access_client(request.user, client_id)
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
def reassign_client(request: HttpRequest, client_id: int) -> HttpResponse:
    if not sees_all_clients(request.user):
        raise PermissionDenied("Only a head coach or a studio admin can reassign clients.")
    client = access_client(request.user, client_id)
    form = ReassignForm(request.POST)
    if not form.is_valid():
        return _after_action(request, client, reassign_form=form, form=form)
    reassign(client=client, coach=form.cleaned_data["coach"], by=request.user)
    return _after_action(
        request, client, ok=f"{client.name} is now coached by {form.cleaned_data['coach']}."
    )


@require_POST
@coach_required
def resend_invitation(request: HttpRequest, client_id: int) -> HttpResponse:
    client = access_client(request.user, client_id)
    try:
        resend_invite(client=client, by=request.user)
    except InviteError as exc:
        return _after_action(request, client, error=str(exc))
    return _after_action(
        request, client, ok=f"A new invitation is on its way to {client.user.email}."
    )


@require_http_methods(["GET", "POST"])
@coach_required
def new_client(request: HttpRequest) -> HttpResponse:
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
    return TemplateResponse(request, "coaching/new_client.html", {"form": form})


@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = find_invitation(token)
    except InviteError as exc:
        return TemplateResponse(
            request, "coaching/invite_invalid.html", {"problem": str(exc)}, status=410
        )
    form = AcceptInviteForm(request.POST or None, user=invitation.user, consent_text=CONSENT_TEXT)
    if request.method == "POST" and form.is_valid():
        try:
            accept_invite(request=request, token=token, password=form.cleaned_data["password1"])
        except InviteError as exc:
            return TemplateResponse(
                request, "coaching/invite_invalid.html", {"problem": str(exc)}, status=410
            )
        messages.success(request, "Welcome! Your password is set.")
        return redirect("clients:today")
    return TemplateResponse(
        request, "coaching/accept_invite.html", {"form": form, "invitation": invitation}
    )
