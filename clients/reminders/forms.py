"""The client's reminder choices, on /me/settings/."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms

from clients.reminders.models import CHECK_IN_OPENS, ReminderSettings

WEEKDAYS = [
    (0, "Monday"),
    (1, "Tuesday"),
    (2, "Wednesday"),
    (3, "Thursday"),
    (4, "Friday"),
    (5, "Saturday"),
    (6, "Sunday"),
]


class TimeInput(forms.TimeInput):
    """The phone's own time picker, which shows 12- or 24-hour time as its owner set it."""

    input_type = "time"

    def __init__(self, **attrs: Any) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


class ReminderForm(forms.Form):
    training_days = forms.TypedMultipleChoiceField(
        label="Days you train",
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="We email you on these days at the time below, unless you have already logged.",
        error_messages={"invalid_choice": "Choose days from the list"},
    )
    training_time = forms.TimeField(
        label="Training reminder at",
        required=False,
        widget=TimeInput(),
        error_messages={"invalid": "Enter a time, like 18:00"},
    )
    check_in_time = forms.TimeField(
        label="Check-in reminder at",
        required=False,
        widget=TimeInput(min="04:00"),
        help_text="The morning after a training day, unless you have already checked in. "
        "From 4:00, when the check-in opens.",
        error_messages={"invalid": "Enter a time, like 08:00"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field("training_days", wrapper_class="weekday-choices"),
            "training_time",
            "check_in_time",
        )

    @classmethod
    def for_settings(cls, chosen: ReminderSettings) -> ReminderForm:
        return cls(
            initial={
                "training_days": sorted(chosen.weekdays),
                "training_time": chosen.training_time,
                "check_in_time": chosen.check_in_time,
            },
            prefix="reminders",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        days, at = data.get("training_days"), data.get("training_time")
        if days and at is None and "training_time" not in self.errors:
            self.add_error("training_time", "Choose a time for your training reminder")
        if at is not None and not days:
            self.add_error("training_days", "Tick the days you train, or clear the time")
        check_in = data.get("check_in_time")
        if check_in is not None and check_in < CHECK_IN_OPENS:
            self.add_error(
                "check_in_time",
                "Choose 4:00 or later: the check-in opens at 4 in the morning",
            )
        return data
