from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails

from clients import charts
from clients.forms import CheckInForm, SessionForm
from clients.models import CONSENT_TEXT, Client, StageAssignment, TrainingSession
from clients.progression import Light, Status
from clients.selectors import check_in_due, load_program, session_history, session_lights
from clients.services import (
    ProgramError,
    answer_check_in,
    correct_session,
    record_consent,
)
from clients.services import (
    log_session as record_session,
)

ClientView = Callable[..., HttpResponse]


class ClientRequest(HttpRequest):
    """A request on a client's page: `request.htmx` is set by django-htmx's middleware."""

    htmx: HtmxDetails


PAIN_NUMBERS = range(11)

STATUS_WORDS = {
    Status.READY: "Ready to progress",
    Status.HOLD: "Keep going at this stage",
    Status.FLARE: "Flare-up: take it easy",
}
LIGHT_WORDS = {
    Light.GREEN: "Green: well tolerated",
    Light.AMBER: "Amber: acceptable, keep an eye on it",
    Light.RED: "Red: too much for now",
    Light.PENDING: "Waiting for tomorrow morning's check-in",
}


def client_required(view: ClientView) -> ClientView:
    """Only clients reach these pages, and each view gets the client's own record."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        client = getattr(request.user, "client_profile", None)
        if client is None:
            raise PermissionDenied("These pages are for the studio's clients.")
        return view(request, client, *args, **kwargs)

    return login_required(wrapper)


def _status_context(program: Any) -> dict[str, Any]:
    return {
        "consent_text": CONSENT_TEXT,
        "program": program,
        "evaluation": program.evaluation,
        "status_words": STATUS_WORDS[program.evaluation.status],
    }


@require_GET
@client_required
def today(request: ClientRequest, client: Client) -> TemplateResponse:
    program = load_program(client)
    due = check_in_due(client)
    return TemplateResponse(
        request,
        "clients/today.html",
        {**_status_context(program), "check_in": due, "pain_numbers": PAIN_NUMBERS},
    )


@require_http_methods(["GET", "POST"])
@client_required
def log_session(request: ClientRequest, client: Client) -> HttpResponse:
    program = load_program(client)
    if request.method == "POST":
        form = SessionForm(request.POST, stage=program.stage)
        if form.is_valid():
            session, evaluation = record_session(program=program, values=form.session_values())
            light = evaluation.lights[session.pk].light
            summary = f"Session saved. {LIGHT_WORDS[light]}. {STATUS_WORDS[evaluation.status]}."
            if request.htmx:
                return TemplateResponse(
                    request,
                    "clients/log_session.html#log_result",
                    {
                        **_status_context(program),
                        "session": session,
                        "light": light,
                        "light_words": LIGHT_WORDS[light],
                        "light_reasons": evaluation.lights[session.pk].reasons,
                        "summary": summary,
                    },
                )
            messages.success(request, summary)
            return redirect("clients:today")
    else:
        form = SessionForm(stage=program.stage)
    template = "clients/log_session.html"
    if request.htmx:
        template += "#log_form"
    return TemplateResponse(request, template, {**_status_context(program), "form": form})


@require_POST
@client_required
def check_in(request: ClientRequest, client: Client) -> HttpResponse:
    form = CheckInForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            session = answer_check_in(
                client=client,
                session_id=form.cleaned_data["session"],
                pain=form.cleaned_data["pain"],
            )
        except ProgramError as exc:
            error = str(exc)
        else:
            text = f"Thanks: back pain this morning {session.next_day_pain} out of 10."
            if request.htmx:
                return TemplateResponse(
                    request,
                    "clients/today.html#check_in_done",
                    {"answered": session, "summary": text},
                )
            messages.success(request, text)
            return redirect("clients:today")
    else:
        error = "Choose a number from 0 (no pain) to 10 (worst imaginable)."
    if request.htmx:
        return TemplateResponse(
            request,
            "clients/today.html#check_in_card",
            {
                "check_in": check_in_due(client),
                "check_in_error": error,
                "pain_numbers": PAIN_NUMBERS,
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
    if timezone.localdate(session.logged_at) != timezone.localdate():
        messages.error(request, "A session can only be corrected on the day it was logged.")
        return redirect("clients:progress")
    if request.method == "POST":
        form = SessionForm(request.POST, stage=session.stage)
        if form.is_valid():
            try:
                correct_session(session=session, values=form.session_values())
            except ProgramError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, "Session corrected. The earlier values are kept.")
            if request.htmx:
                return HttpResponseClientRedirect("/me/progress/")
            return redirect("clients:progress")
    else:
        form = SessionForm(initial=SessionForm.initial_from(session), stage=session.stage)
    return TemplateResponse(
        request, "clients/edit_session.html", {"form": form, "session": session}
    )


@require_GET
@client_required
def progress(request: ClientRequest, client: Client) -> TemplateResponse:
    program = load_program(client)
    entered: dict[int, Any] = {}
    for assignment in StageAssignment.objects.filter(client=client).order_by("assigned_at", "id"):
        entered.setdefault(assignment.stage_id, assignment.assigned_at)
    history = session_history(client)
    lights = session_lights(history, program.stages)
    page = Paginator(
        TrainingSession.objects.filter(client=client).select_related("stage__exercise"), 20
    ).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "clients/progress.html",
        {
            **_status_context(program),
            "entered": entered,
            "page": page,
            "lights": lights,
            "chart": charts.pain_trend(history),
            "today": timezone.localdate(),
        },
    )


@require_POST
@client_required
def give_consent(request: ClientRequest, client: Client) -> HttpResponse:
    record_consent(client=client)
    messages.success(request, "Thank you. You can now log your sessions.")
    return redirect("clients:today")
