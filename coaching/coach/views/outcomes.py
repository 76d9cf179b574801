"""One client's outcome measures for their coach: on the client's page, or on its own."""

from __future__ import annotations

from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from clients.audit.services import record
from clients.outcomes.selectors import outcomes_of
from coaching.accounts.roles import StudioRequest, coach_required
from coaching.coach.selectors import access_client


@require_GET
@coach_required
def client_outcomes(request: StudioRequest, client_id: int) -> TemplateResponse:
    """The client's page loads this as a fragment, so its own query count stays put."""
    client = access_client(request.user, client_id)
    record(actor=request.user, client=client, action="view outcomes")
    template = "coaching/coach/outcomes/outcomes.html"
    if request.htmx:
        template += "#outcomes"
    return TemplateResponse(request, template, {"client": client, "outcomes": outcomes_of(client)})
