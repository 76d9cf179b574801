"""The privacy notice: what the studio keeps about people, why, who sees it, for how long."""

from __future__ import annotations

from email.utils import parseaddr

from django.conf import settings
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

# Intake answers of bookings that never became clients are deleted this many days after
# the appointment; the retention work reads the same setting.
DEFAULT_INTAKE_RETENTION_DAYS = 90


@require_GET
def privacy(request: HttpRequest) -> TemplateResponse:
    days = getattr(settings, "INTAKE_RETENTION_DAYS", DEFAULT_INTAKE_RETENTION_DAYS)
    context = {"retention_days": days, "contact_email": parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}
    return TemplateResponse(request, "coaching/privacy/privacy.html", context)
