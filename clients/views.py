from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET


@require_GET
@login_required
def today(request: HttpRequest) -> TemplateResponse:
    if not request.user.is_client:
        raise PermissionDenied("This page is for the studio's clients.")
    return TemplateResponse(request, "clients/today.html", {})
