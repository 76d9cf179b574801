"""The client's phone pages: today, log a session, the check-in, progress, settings."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails

from clients import charts
from clients.emergency import emergency_number
from clients.forms import CheckInForm, DismissForm, SessionForm, ZoneForm, pain_zones
from clients.models import CONSENT_TEXT, Client, Prescription, TrainingSession
from clients.outcomes.selectors import outcomes_of, today_prompts
from clients.progression import Light
from clients.reasons import LIGHT_WORDS, check_in_wait, reasons_in_words
from clients.reminders.forms import ReminderForm
from clients.reminders.selectors import reminders_of
from clients.selectors import (
    assessment_findings,
    check_in_due,
    gate_of,
    load_program,
    session_history,
    sheet_context,
    stage_entries,
    stage_notice,
)
from clients.services import (
    ProgramError,
    answer_check_in,
    correct_session,
    dismiss_stage_notice,
    has_consented,
    record_consent,
    report_emergency,
    set_time_zone,
)
from clients.services import log_session as record_session

if TYPE_CHECKING:
    from coaching.accounts.models import User

ClientView = Callable[..., HttpResponse]
# The check-in's 0-10 buttons, coloured and named by DESIGN's zones (0-2, 3-5, 6-10).
PAIN_BUTTONS = [(n, zone, words) for n, (zone, words) in pain_zones().items()]
PAIN_LEGEND = [
    (zone, f"{min(ns)}–{max(ns)} {words}")
    for zone, words in dict.fromkeys(pain_zones().values())
    for ns in [[n for n, z, _ in PAIN_BUTTONS if z == zone]]
]
HISTORY_PAGE_SIZE = 20


class ClientRequest(HttpRequest):
    """A request on a client's page, behind `client_required`: the user is logged in, a
    client; `request.htmx` is set by django-htmx's middleware."""

    htmx: HtmxDetails
    user: User


def client_required(view: ClientView) -> ClientView:
    """Only clients reach these pages, and each view gets the client's own record."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        client = getattr(request.user, "client_profile", None)
        if client is None:
            raise PermissionDenied("These pages are for the studio's clients.")
        return view(request, client, *args, **kwargs)

    return login_required(wrapper)


def _common(client: Client) -> dict[str, Any]:
    return {"consent_text": CONSENT_TEXT, "consented": has_consented(client)}


@require_GET
@client_required
def today(request: ClientRequest, client: Client) -> TemplateResponse:
    program = load_program(client)
    return TemplateResponse(
        request,
        "clients/today.html",
        {
            **_common(client),
            "prompts": today_prompts(client, consented=has_consented(client)),
            "program": program,
            "gate": program.gate,
            "check_in": check_in_due(client),
            "notice": stage_notice(client),
            "pain_buttons": PAIN_BUTTONS,
            "pain_legend": PAIN_LEGEND,
            "findings": assessment_findings(client, program.stages),
        },
    )


def _session_form(
    client: Client, data: Any = None, plan: Prescription | None = None
) -> SessionForm:
    assert client.stage is not None
    return SessionForm(
        data,
        stage=client.stage,
        today=client.today(),
        earliest=client.stage_entered_on,
        plan=plan,
    )


@require_http_methods(["GET", "POST"])
@client_required
def log_session(request: ClientRequest, client: Client) -> HttpResponse:
    assert client.stage is not None
    if request.method == "POST":
        form = _session_form(client, request.POST)
        if form.is_valid():
            try:
                logged = record_session(
                    client=client,
                    values=form.session_values(),
                    idempotency_key=form.cleaned_data.get("token"),
                )
            except ProgramError as exc:
                form.add_error(None, str(exc))
            else:
                session = logged.session
                light = Light(session.shown_light)
                # One wording for a check-in still to come, on every page (reasons.py).
                light_words = (
                    check_in_wait(session.performed_on, logged.client.today()).capitalize()
                    if light == Light.PENDING
                    else LIGHT_WORDS[light]
                )
                summary = f"Session saved. {light_words}."
                if request.htmx:
                    return TemplateResponse(
                        request,
                        "clients/log_session.html#log_result",
                        {
                            **_common(logged.client),
                            "stage": client.stage,
                            "session": session,
                            "light": light,
                            "light_words": light_words,
                            "light_reasons": reasons_in_words(
                                session.light_reasons, logged.client.today()
                            ),
                            "gate": gate_of(logged.client),
                            "summary": summary,
                        },
                    )
                messages.success(request, summary)
                return redirect("clients:today")
    prescription = Prescription.objects.current(client, client.stage)
    if request.method != "POST":
        form = _session_form(client, plan=prescription)
    template = "clients/log_session.html"
    if request.htmx:
        template += "#log_form"
    plan = prescription.text if prescription else client.stage.prescription
    return TemplateResponse(
        request, template, {**_common(client), "form": form, "stage": client.stage, "plan": plan}
    )


@require_POST
@client_required
def check_in(request: ClientRequest, client: Client) -> HttpResponse:
    form = CheckInForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            answer = answer_check_in(
                client=client,
                training_day=form.cleaned_data["day"],
                pain=form.cleaned_data["pain"],
            )
        except ProgramError as exc:
            error = str(exc)
        else:
            text = f"Thanks: back pain now {answer.pain} out of 10."
            if request.htmx:
                # The check-in's client is the locked row the service refreshed the gate on.
                return TemplateResponse(
                    request,
                    "clients/today.html#check_in_done",
                    {"summary": text, "gate": gate_of(answer.client), "stage": answer.client.stage},
                )
            messages.success(request, text)
            return redirect("clients:today")
    else:
        error = str(next(iter(form.errors.values()))[0])
    if request.htmx:
        return TemplateResponse(
            request,
            "clients/today.html#check_in_card",
            {
                "check_in": check_in_due(client),
                "check_in_error": error,
                "pain_buttons": PAIN_BUTTONS,
                "pain_legend": PAIN_LEGEND,
            },
        )
    messages.error(request, error)
    return redirect("clients:today")


@require_http_methods(["GET", "POST"])
@client_required
def edit_session(request: ClientRequest, client: Client, session_id: int) -> HttpResponse:
    session = (
        TrainingSession.objects.filter(client=client, pk=session_id)
        .select_related("stage__exercise")
        .first()
    )
    if session is None:
        raise Http404("No such session.")
    today = client.today()
    # A correction cannot move a session to before the client entered its stage.
    earliest = client.stage_entered_on if session.stage_id == client.stage_id else None
    if request.method == "POST":
        form = SessionForm(request.POST, stage=session.stage, today=today, earliest=earliest)
        if form.is_valid():
            try:
                correct_session(session=session, values=form.session_values(), by=request.user)
            except ProgramError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, "Session corrected. The earlier values are kept.")
            if request.htmx:
                return HttpResponseClientRedirect("/me/progress/")
            return redirect("clients:progress")
    else:
        form = SessionForm(
            initial=SessionForm.initial_from(session), stage=session.stage, today=today
        )
    return TemplateResponse(
        request, "clients/edit_session.html", {"form": form, "session": session}
    )


@require_GET
@client_required
def progress(request: ClientRequest, client: Client) -> TemplateResponse:
    program = load_program(client)
    page = Paginator(session_history(client), HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    recent = list(session_history(client)[: charts.TREND_SESSIONS])
    return TemplateResponse(
        request,
        "clients/progress.html",
        {
            **_common(client),
            "program": program,
            "gate": program.gate,
            "entered": stage_entries(client),
            "page": page,
            "chart": charts.pain_trend(recent),
            "today": program.today,
            "outcomes": outcomes_of(client),
        },
    )


@require_POST
@client_required
def give_consent(request: ClientRequest, client: Client) -> HttpResponse:
    record_consent(client=client)
    messages.success(request, "Thank you. You can now log your sessions.")
    return redirect("clients:today")


@require_http_methods(["GET", "POST"])
@client_required
def settings_page(request: ClientRequest, client: Client) -> HttpResponse:
    form = ZoneForm(request.POST or None, initial={"time_zone": client.zone})
    if request.method == "POST" and form.is_valid():
        set_time_zone(client=client, time_zone=form.cleaned_data["time_zone"])
        messages.success(request, "Saved. Your days and check-ins now follow this time zone.")
        return redirect("clients:settings_page")
    return TemplateResponse(
        request,
        "clients/settings.html",
        {
            "form": form,
            "client": client,
            "reminder_form": ReminderForm.for_settings(reminders_of(client)),
        },
    )


@require_POST
@client_required
def browser_zone(request: ClientRequest, client: Client) -> HttpResponse:
    """The browser's zone, sent once after the first login; a chosen zone is never replaced."""
    form = ZoneForm(request.POST)
    if not client.time_zone and form.is_valid():
        set_time_zone(client=client, time_zone=form.cleaned_data["time_zone"])
    return HttpResponse(status=204)


@require_POST
@client_required
def emergency(request: ClientRequest, client: Client) -> TemplateResponse:
    report_emergency(client=client)
    return TemplateResponse(
        request,
        "clients/emergency.html",
        {"client": client, "number": emergency_number(client.zone)},
    )


@require_POST
@client_required
def dismiss_notice(request: ClientRequest, client: Client) -> HttpResponse:
    form = DismissForm(request.POST)
    if form.is_valid():
        dismiss_stage_notice(client=client, assignment_id=form.cleaned_data["assignment"])
    if request.htmx:
        return HttpResponse("")
    return redirect("clients:today")


@require_GET
@client_required
def stage_sheet(request: ClientRequest, client: Client) -> TemplateResponse:
    """This stage on one printable page, for training away from the phone."""
    return TemplateResponse(request, "clients/sheet.html", sheet_context(client))
