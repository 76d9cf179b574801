"""Forms for the privacy pages: what the client asks for, and the head coach's confirmation."""

from __future__ import annotations

from typing import Any

from django import forms


class DataRequestForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("json", "JSON"), ("csv", "CSV"), ("erase", "Erase")],
        error_messages={"required": "Choose a download, or erasure"},
    )


class ConfirmErasureForm(forms.Form):
    """Typing the client's name is the confirmation: erasure cannot be undone."""

    confirm = forms.CharField(
        label="Type the client's full name to confirm",
        max_length=300,
        error_messages={"required": "Type the client's name to confirm the erasure"},
    )

    def __init__(self, *args: Any, name: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.name = name

    def clean_confirm(self) -> str:
        typed: str = self.cleaned_data["confirm"].strip()
        if typed.casefold() != self.name.strip().casefold():
            raise forms.ValidationError("The name does not match: nothing was erased")
        return typed
