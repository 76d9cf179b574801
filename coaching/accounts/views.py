"""Logging in, resetting a password and accepting an invitation, each within its limits."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.views import LoginView, PasswordResetView
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from clients.models import CONSENT_TEXT
from coaching.accounts.forms import AcceptInviteForm, LoginForm
from coaching.accounts.models import User
from coaching.accounts.roles import home_url_for
from coaching.accounts.selectors import InviteError, InviteNotFound, find_invitation
from coaching.accounts.services import (
    Attempt,
    accept_invite,
    give_back,
    spend_link_guess,
    spend_password_reset,
)

RESET_PAUSED = (
    "Too many password reset requests from your connection. Wait up to %(minutes)s "
    "minutes and try again. If you asked already, the email may be in your spam folder."
)


def too_many_attempts(request: HttpRequest, attempt: Attempt, *, what: str) -> TemplateResponse:
    """The 429 page for a secret link tried too often from one connection."""
    response = TemplateResponse(
        request,
        "coaching/accounts/too_many_attempts.html",
        {"what": what, "minutes": attempt.minutes},
        status=429,
    )
    response["Retry-After"] = str(attempt.minutes * 60)
    return response


class StudioLoginView(LoginView):
    """Django's login view: throttled (see EmailBackend), each role sent to its home page."""

    redirect_authenticated_user = True
    authentication_form = LoginForm

    def get_default_redirect_url(self) -> str:
        user = self.request.user
        assert isinstance(user, User)
        return home_url_for(user)

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        if form.has_error(NON_FIELD_ERRORS, "throttled"):
            response.status_code = 429
        return response


class StudioPasswordResetView(PasswordResetView):
    """Django's reset view; a valid request spends the address's budget, a field error does not.

    The page answers the same whether or not an account uses the address.
    """

    email_template_name = "registration/password_reset_email.txt"

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        attempt = spend_password_reset(request=self.request, email=form.cleaned_data["email"])
        if not attempt.allowed:
            form.add_error(
                None,
                ValidationError(
                    RESET_PAUSED, code="throttled", params={"minutes": attempt.minutes}
                ),
            )
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().form_valid(form)


def _invalid(request: HttpRequest, problem: str) -> TemplateResponse:
    return TemplateResponse(
        request, "coaching/accounts/invite_invalid.html", {"problem": problem}, status=410
    )


@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    # Spent before the lookup and given back for a real link: only wrong tokens count.
    guess = spend_link_guess(request=request, kind="invite")
    if not guess.allowed:
        return too_many_attempts(request, guess, what="invitation links")
    try:
        invitation = find_invitation(token)
    except InviteNotFound as exc:
        return _invalid(request, str(exc))
    except InviteError as exc:
        give_back(guess)
        return _invalid(request, str(exc))
    give_back(guess)
    form = AcceptInviteForm(request.POST or None, user=invitation.user, consent_text=CONSENT_TEXT)
    if request.method == "POST" and form.is_valid():
        try:
            accept_invite(request=request, token=token, password=form.cleaned_data["password1"])
        except InviteError as exc:
            return _invalid(request, str(exc))
        messages.success(request, "Welcome! Your password is set.")
        return redirect("clients:today")
    return TemplateResponse(
        request, "coaching/accounts/accept_invite.html", {"form": form, "invitation": invitation}
    )
