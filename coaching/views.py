"""The studio's public front page and the health check."""

from __future__ import annotations

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from exercises.models import Stage

ASSESSMENT_TELLS_YOU = [
    "Why you might be in pain",
    "Which movements are restricted for you, and why",
    "Which movements to stay away from for now",
    "Which movements to do to become pain-free",
]


@require_GET
def home(request: HttpRequest) -> TemplateResponse:
    stages = Stage.objects.in_order().default_progression()
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
