"""The client's outcome measures at /me/outcomes/: the PSFS and the weekly pain rating."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET, require_POST

from clients.models import CONSENT_TEXT, Client
from clients.outcomes import services
from clients.outcomes.forms import PsfsForm, WeeklyPainForm
from clients.outcomes.selectors import outcomes_of
from clients.services import ProgramError, has_consented
from clients.views import ClientRequest, client_required

PAGE = "clients/outcomes/outcomes.html"


def _context(client: Client, **extra: Any) -> dict[str, Any]:
    found = outcomes_of(client)
    context = {
        "outcomes": found,
        "consented": has_consented(client),
        "consent_text": CONSENT_TEXT,
        "psfs_form": PsfsForm(activities=found.activities),
        "weekly_form": WeeklyPainForm(),
        "pain_numbers": range(11),
    }
    context.update(extra)
    return context


@require_GET
@client_required
def outcomes(request: ClientRequest, client: Client) -> TemplateResponse:
    return TemplateResponse(request, PAGE, _context(client))


@require_POST
@client_required
def answer_psfs(request: ClientRequest, client: Client) -> HttpResponse:
    form = PsfsForm(request.POST, activities=outcomes_of(client).activities)
    if form.is_valid():
        try:
            services.answer_psfs(client=client, scores=form.scores, activities=form.named)
        except ProgramError as exc:
            form.add_error(None, str(exc))
        else:
            done = "Thank you: your three activities are saved. We will ask again in 4 weeks."
            if request.htmx:
                return TemplateResponse(request, PAGE + "#psfs_card", _context(client, done=done))
            messages.success(request, done)
            return redirect("clients:outcomes")
    template = PAGE + "#psfs_card" if request.htmx else PAGE
    return TemplateResponse(request, template, _context(client, psfs_form=form, form=form))


@require_POST
@client_required
def rate_week(request: ClientRequest, client: Client) -> HttpResponse:
    form = WeeklyPainForm(request.POST)
    if form.is_valid():
        try:
            rated = services.rate_week(client=client, rating=form.cleaned_data["rating"])
        except ProgramError as exc:
            form.add_error(None, str(exc))
        else:
            done = f"Thank you: back pain {rated.rating} out of 10 on average this past week."
            if request.htmx:
                return TemplateResponse(request, PAGE + "#weekly_card", _context(client, done=done))
            messages.success(request, done)
            return redirect("clients:outcomes")
    template = PAGE + "#weekly_card" if request.htmx else PAGE
    return TemplateResponse(request, template, _context(client, weekly_form=form, form=form))
