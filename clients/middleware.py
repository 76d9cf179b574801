"""Times on a page follow the person reading it: a client's own zone, a coach's own zone."""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.http import HttpRequest, HttpResponse
from django.utils import timezone


class PersonalTimeZoneMiddleware:
    """Activate the logged-in person's time zone for the request (no extra query).

    The user comes with their role profiles in one query (the auth backend), so
    reading a zone here costs nothing; visitors keep the studio's zone.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        zone = self._zone(request)
        if zone:
            with timezone.override(ZoneInfo(zone)):
                return self.get_response(request)
        return self.get_response(request)

    @staticmethod
    def _zone(request: HttpRequest) -> str:
        user = request.user
        if not user.is_authenticated:
            return ""
        client = getattr(user, "client_profile", None)
        if client is not None:
            return str(client.zone)
        coach = getattr(user, "coach_profile", None)
        return str(coach.time_zone) if coach is not None else ""
