from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from django import forms

from clients.messages.models import MESSAGE_MAX_LENGTH


class MessageForm(forms.Form):
    text = forms.CharField(
        label="Your message",
        max_length=MESSAGE_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Write your message",
            "max_length": f"Messages must be {MESSAGE_MAX_LENGTH:,} characters or fewer",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class EarlierForm(forms.Form):
    """Which page of the thread: the messages before this id (the latest page if absent)."""

    before = forms.IntegerField(min_value=1, required=False)
