from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms

from clients.forms import PAIN_CHOICES, pain_field
from clients.outcomes.models import ACTIVITY_MAX_LENGTH

ABILITY_SCALE_TEMPLATE = "clients/outcomes/fields/ability_scale.html"
ORDINALS = ["first", "second", "third"]


def ability_field(label: str, activity: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=PAIN_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": f"Choose how well you can do {activity} today, "
            "from 0 (unable) to 10 (as before)",
            "invalid_choice": "Choose a whole number from 0 (unable) to 10 (as before)",
        },
    )


class PsfsForm(forms.Form):
    """Three activities scored 0-10; the first time the client also names them."""

    def __init__(self, *args: Any, activities: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.activities = activities
        layout: list[Any] = []
        for i, ordinal in enumerate(ORDINALS, start=1):
            if not activities:
                self.fields[f"activity_{i}"] = forms.CharField(
                    label=f"The {ordinal} activity",
                    max_length=ACTIVITY_MAX_LENGTH,
                    help_text="For example: putting on socks, sitting through a film, "
                    "lifting a child."
                    if i == 1
                    else "",
                    error_messages={
                        "required": f"Name the {ordinal} activity",
                        "max_length": f"Keep the {ordinal} activity to "
                        f"{ACTIVITY_MAX_LENGTH} characters or fewer",
                    },
                )
                layout.append(f"activity_{i}")
                activity = f"the {ordinal} activity"
                label = f"How well can you do {activity} today?"
            else:
                activity = activities[i - 1].lower()
                label = f"{activities[i - 1]}: how well can you do it today?"
            self.fields[f"score_{i}"] = ability_field(label, activity)
            layout.append(Field(f"score_{i}", template=ABILITY_SCALE_TEMPLATE))
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*layout)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.activities:
            names = [data.get(f"activity_{i}", "").strip().lower() for i in (1, 2, 3)]
            if all(names) and len(set(names)) < 3:
                raise forms.ValidationError("Name three different activities")
        return data

    @property
    def scores(self) -> list[int]:
        return [self.cleaned_data[f"score_{i}"] for i in (1, 2, 3)]

    @property
    def named(self) -> list[str] | None:
        """The activities the client named, the first time; None after that."""
        if self.activities:
            return None
        return [self.cleaned_data[f"activity_{i}"].strip() for i in (1, 2, 3)]


class WeeklyPainForm(forms.Form):
    rating = pain_field("Back pain on average over the past week", "")
