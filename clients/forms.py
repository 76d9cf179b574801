from __future__ import annotations

import uuid
import zoneinfo
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Field, Layout
from django import forms

from clients.models import FeltIn, Prescription
from exercises.models import Stage, plain_kg

PAIN_CHOICES = [(n, str(n)) for n in range(11)]
EFFORT_CHOICES = [(n, str(n)) for n in range(1, 11)]
LOG_WINDOW_DAYS = 14
PAIN_SCALE_TEMPLATE = "clients/fields/pain_scale.html"


def pain_zones(green_floor: int = 2, amber_ceiling: int = 5) -> dict[int, tuple[str, str]]:
    """Each 0-10 button's zone, in DESIGN's words: 0-2 safe, 3-5 acceptable, 6-10 too much
    with the default thresholds; a stage's own thresholds move the edges."""
    return {
        n: ("safe", "safe")
        if n <= green_floor
        else ("ok", "acceptable")
        if n <= amber_ceiling
        else ("high", "too much")
        for n in range(11)
    }


def pain_rule(amber_ceiling: int) -> str:
    """The one sentence of the rule, shown above the pain scales."""
    return (
        f'<p class="pain-rule" id="pain-rule">Some pain is fine: up to {amber_ceiling} out of 10 '
        "during and after is acceptable if your back has settled to its usual level by the next "
        "morning; "
        f"above {amber_ceiling} is too much for now. 0 is no pain, 10 the worst imaginable.</p>"
    )


class PainField(forms.TypedChoiceField):
    """A 0-10 choice whose buttons are coloured, and named, by zone."""

    zones: dict[int, tuple[str, str]] = pain_zones()


def pain_field(label: str, help_text: str) -> PainField:
    return PainField(
        label=label,
        choices=PAIN_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=help_text,
        error_messages={
            "required": f"Choose your {label.lower()}, from 0 (none) to 10 (worst)",
            "invalid_choice": "Pain is a whole number from 0 (none) to 10 (worst)",
        },
    )


def count_field(
    noun: str, label: str, *, maximum: int, example: int, required_message: str = ""
) -> forms.IntegerField:
    """Sets, reps or seconds: a whole number from 1, with plain-words errors."""
    name = noun.capitalize()
    return forms.IntegerField(
        label=label,
        min_value=1,
        max_value=maximum,
        required=bool(required_message),
        error_messages={
            "required": required_message,
            "invalid": f"{name} must be a whole number, like {example}",
            "min_value": f"{name} must be at least 1",
            "max_value": f"{name} must be {maximum} or fewer",
        },
    )


def load_field(label: str, *, required: bool, help_text: str = "") -> forms.DecimalField:
    """A load in kilograms, 0-500 with one decimal place."""
    return forms.DecimalField(
        label=label,
        min_value=Decimal("0"),
        max_value=Decimal("500"),
        decimal_places=1,
        required=required,
        help_text=help_text,
        error_messages={
            "required": "Enter the load you used, in kilograms",
            "invalid": "Load must be a number of kilograms, like 12 or 12.5",
            "min_value": "Load cannot be negative",
            "max_value": "Load must be 500 kg or less",
            "max_decimal_places": "Load can have one decimal place at most, like 12.5",
        },
    )


class SessionForm(forms.Form):
    """A session at the client's current stage; load only at loaded stages."""

    performed_on = forms.DateField(
        label="Date of the session",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Enter the date of the session",
            "invalid": "Enter the date as a real date, for example 25/11/2026",
        },
    )
    sets = count_field(
        "sets", "Sets", maximum=20, example=3, required_message="Enter how many sets you did"
    )
    reps = count_field(
        "reps",
        "Reps per set",
        maximum=100,
        example=10,
        required_message="Enter how many reps you did in each set",
    )
    load_kg = load_field(
        "Load (kg)",
        required=True,
        help_text="The weight you used, in kilograms, for example 12 or 12.5.",
    )
    pain_before = pain_field("Pain before", "Your back pain just before you started.")
    pain_during = pain_field("Worst pain during", "The worst it got while you exercised.")
    pain_after = pain_field("Pain after", "Your back pain once you had finished.")
    felt_in = forms.TypedMultipleChoiceField(
        label="Where did you feel the work?",
        choices=FeltIn.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick all that apply. Feeling your back muscles work is expected in hinges.",
        error_messages={
            "required": "Tick at least one place where you felt the work",
            "invalid_choice": "Choose from the places listed",
        },
    )
    lower_back_hurt = forms.TypedChoiceField(
        label="Did your lower back hurt?",
        choices=[("no", "No"), ("yes", "Yes")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text=(
            "Pain in your lower back, not the muscles working. Hinges and swings are meant "
            "to work your back muscles: that alone is a no."
        ),
        error_messages={
            "required": "Say whether your lower back hurt: yes or no",
            "invalid_choice": "Choose yes or no",
        },
    )
    effort = forms.TypedChoiceField(
        label="How hard was it? (optional)",
        choices=[("", "Skip"), *EFFORT_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
        help_text="1 is very easy, 10 is the hardest you could do.",
        error_messages={"invalid_choice": "Effort is a whole number from 1 to 10"},
    )
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Notes must be 2,000 characters or fewer"},
    )

    token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        stage: Stage,
        today: date,
        earliest: date | None = None,
        plan: Prescription | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.stage = stage
        self.today = today
        self.earliest = earliest
        self.fields["performed_on"].initial = today
        self.fields["token"].initial = uuid.uuid4()
        self.fields["sets"].initial = stage.sets
        if stage.reps:
            self.fields["reps"].initial = stage.reps
        else:
            self.fields["seconds"] = count_field(
                "seconds",
                "Seconds per set",
                maximum=600,
                example=30,
                required_message="Enter how many seconds you held each set",
            )
            self.fields["seconds"].initial = stage.seconds
            del self.fields["reps"]
        if not stage.exercise.is_loaded:
            del self.fields["load_kg"]
        if plan is not None:
            # The coach's plan fills the numbers in: the client only changes what differed.
            load = plain_kg(plan.target_load_kg) if plan.target_load_kg is not None else None
            prefill: dict[str, object] = {
                "sets": plan.sets,
                "reps": plan.reps,
                "seconds": plan.seconds,
                "load_kg": load,
            }
            for name, value in prefill.items():
                if name in self.fields and value is not None:
                    self.fields[name].initial = value
        self.helper = FormHelper()
        self.helper.form_tag = False
        zones = pain_zones(stage.green_floor, stage.amber_ceiling)
        layout: list[Any] = []
        for name, field in self.fields.items():
            if isinstance(field, PainField):
                field.zones = zones
                if name == "pain_before":
                    layout.append(HTML(pain_rule(stage.amber_ceiling)))
                layout.append(Field(name, template=PAIN_SCALE_TEMPLATE))
            else:
                layout.append(name)
        self.helper.layout = Layout(*layout)

    def clean_performed_on(self) -> date:
        value: date = self.cleaned_data["performed_on"]
        if value > self.today:
            raise forms.ValidationError("The date of the session cannot be in the future")
        if value < self.today - timedelta(days=LOG_WINDOW_DAYS):
            raise forms.ValidationError(
                f"You can log sessions from the last {LOG_WINDOW_DAYS} days only; "
                "ask your coach to add older ones"
            )
        if self.earliest is not None and value < self.earliest:
            raise forms.ValidationError(
                f"You started this stage on {self.earliest:%-d %B}: sessions before then belong "
                "to your previous stage. Ask your coach to add them"
            )
        return value

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not self.stage.exercise.is_loaded and self.data.get("load_kg", "").strip():
            raise forms.ValidationError(
                f"The {self.stage.exercise.name.lower()} uses no load: leave the load out"
            )
        return data

    def session_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        felt = set(data["felt_in"])
        return {
            "performed_on": data["performed_on"],
            "sets": data["sets"],
            "reps": data.get("reps"),
            "seconds": data.get("seconds"),
            "load_kg": data.get("load_kg"),
            "pain_before": data["pain_before"],
            "pain_during": data["pain_during"],
            "pain_after": data["pain_after"],
            "felt_hips": FeltIn.HIPS in felt,
            "felt_hamstrings": FeltIn.HAMSTRINGS in felt,
            "felt_lower_back": FeltIn.LOWER_BACK in felt,
            "felt_elsewhere": FeltIn.ELSEWHERE in felt,
            "lower_back_hurt": data["lower_back_hurt"],
            "effort": data.get("effort"),
            "notes": data.get("notes", ""),
        }

    @classmethod
    def initial_from(cls, session: Any) -> dict[str, Any]:
        return {
            "performed_on": session.performed_on,
            "sets": session.sets,
            "reps": session.reps,
            "seconds": session.seconds,
            "load_kg": session.load_kg,
            "pain_before": session.pain_before,
            "pain_during": session.pain_during,
            "pain_after": session.pain_after,
            "felt_in": session.felt_in,
            "lower_back_hurt": "yes" if session.lower_back_hurt else "no",
            "effort": session.effort,
            "notes": session.notes,
        }


class CheckInForm(forms.Form):
    """This morning's one tap: back pain now, for the sessions of the day it names."""

    day = forms.DateField(
        widget=forms.HiddenInput,
        error_messages={
            "required": "That check-in is not open",
            "invalid": "That check-in is not open",
        },
    )
    pain = pain_field("Back pain now", "")


def zone_choices() -> list[tuple[str, str]]:
    return [(zone, zone.replace("_", " ")) for zone in sorted(zoneinfo.available_timezones())]


class ZoneForm(forms.Form):
    time_zone = forms.ChoiceField(
        label="Your time zone",
        choices=zone_choices,
        help_text="Your days, check-in times and reminders follow it.",
        error_messages={
            "required": "Choose your time zone",
            "invalid_choice": "Choose a time zone from the list",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class DismissForm(forms.Form):
    assignment = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
