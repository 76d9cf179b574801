"""Who may see what: role checks for views and where each role lands after login."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django_htmx.middleware import HtmxDetails

if TYPE_CHECKING:
    from coaching.accounts.models import User

View = Callable[..., HttpResponse]


def home_url_for(user: User) -> str:
    """Where a user lands after logging in: coaches on /coach/, clients on /me/."""
    if user.is_coach:
        return reverse("coaching:dashboard")
    if user.is_client:
        return reverse("clients:today")
    if user.is_staff:
        return reverse("admin:index")
    return reverse("coaching:home")


def coach_required(view: View) -> View:
    """Anonymous users go to login; logged-in users who are not coaches get a 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not getattr(request.user, "is_coach", False):
            raise PermissionDenied("This page is for the studio's coaches.")
        return view(request, *args, **kwargs)

    return login_required(wrapper)


class HtmxRequest(HttpRequest):
    """A request as django-htmx's middleware leaves it: `request.htmx` says if htmx sent it."""

    htmx: HtmxDetails


class StudioRequest(HtmxRequest):
    """A request on a page behind a role check: the user is logged in, one of ours."""

    user: User
