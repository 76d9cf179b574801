"""Forms for accounts: accepting an invitation."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth import password_validation

from coaching.accounts.models import User


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
