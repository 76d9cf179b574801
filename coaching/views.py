from __future__ import annotations

from django.contrib.auth.views import LoginView
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

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


@require_GET
@coach_required
def dashboard(request: HttpRequest) -> TemplateResponse:
    return TemplateResponse(request, "coaching/dashboard.html", {})
