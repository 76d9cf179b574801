from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from coaching.accounts.models import User
from coaching.accounts.services import give_back, spend_login_attempt

# Set on the request when a login was refused for too many failures; the login
# forms read it to show the pause instead of "wrong email or password".
LOGIN_PAUSED_FLAG = "login_paused_minutes"


class EmailBackend(ModelBackend):
    """Django's model backend, throttled, loading role profiles in one query.

    Every login (our page, the admin's, `authenticate()` anywhere) spends an
    attempt before the password is checked; the right password gives it back, so
    only failures use up the budget (see accounts.throttle for why this order).
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if username is None or password is None:
            return None
        attempt = spend_login_attempt(request=request, username=username)
        if not attempt.allowed:
            if request is not None:
                setattr(request, LOGIN_PAUSED_FLAG, attempt.minutes)
            # Stops authenticate() at once: no other backend checks the password either.
            raise PermissionDenied("Too many failed logins.")
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None:
            give_back(attempt)
        return user

    def get_user(self, user_id: Any) -> User | None:
        user = (
            User.objects.select_related(
                "coach_profile",
                "client_profile__assessment_summary",
                "client_profile__stage__exercise",
            )
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
