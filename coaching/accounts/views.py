"""Logging in and accepting an invitation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from clients.models import CONSENT_TEXT
from coaching.accounts.forms import AcceptInviteForm
from coaching.accounts.models import User
from coaching.accounts.roles import home_url_for
from coaching.accounts.selectors import InviteError, find_invitation
from coaching.accounts.services import accept_invite


class StudioLoginView(LoginView):
    """Django's login view, sending each role to its own home page."""

    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        user = self.request.user
        assert isinstance(user, User)
        return home_url_for(user)


def _invalid(request: HttpRequest, problem: str) -> TemplateResponse:
    return TemplateResponse(
        request, "coaching/accounts/invite_invalid.html", {"problem": problem}, status=410
    )


@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = find_invitation(token)
    except InviteError as exc:
        return _invalid(request, str(exc))
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
