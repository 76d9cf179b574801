"""Forms for accounts: logging in (with the pause after too many failures), accepting an
invitation."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest

from coaching.accounts.backends import LOGIN_PAUSED_FLAG
from coaching.accounts.models import User

LOGIN_PAUSED = (
    "Too many failed attempts to log in from your connection, so logging in is paused "
    "for up to %(minutes)s minutes. Try again after that, or reset your password."
)


def login_paused_error(request: HttpRequest | None) -> forms.ValidationError | None:
    """The pause message when the backend refused this login for too many failures."""
    minutes = getattr(request, LOGIN_PAUSED_FLAG, None)
    if minutes is None:
        return None
    return forms.ValidationError(LOGIN_PAUSED, code="throttled", params={"minutes": minutes})


class LoginForm(AuthenticationForm):
    """Django's login form; after too many failures it says so, the same for every email."""

    def get_invalid_login_error(self) -> forms.ValidationError:
        return login_paused_error(self.request) or super().get_invalid_login_error()


class AdminLoginForm(AdminAuthenticationForm):
    """The admin's login form, with the same pause message."""

    def get_invalid_login_error(self) -> forms.ValidationError:
        return login_paused_error(self.request) or super().get_invalid_login_error()


class AcceptInviteForm(forms.Form):
    """Choose a password and give consent to storing health data."""

    password1 = forms.CharField(
        label="Choose a password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
        error_messages={"required": "Choose a password"},
    )
    password2 = forms.CharField(
        label="Type the password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Type the password again"},
    )
    consent = forms.BooleanField(
        error_messages={"required": "Tick the box to agree, so we can store your pain scores"},
    )

    def __init__(self, *args: Any, user: User, consent_text: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["consent"].label = consent_text
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_password2(self) -> str:
        first = self.cleaned_data.get("password1")
        second: str = self.cleaned_data["password2"]
        if first and first != second:
            raise forms.ValidationError("The two passwords do not match")
        password_validation.validate_password(second, self.user)
        return second
