"""Forms for the assessment: the intake with its red-flag screen, outcomes, availability."""

from __future__ import annotations

import zoneinfo
from typing import Any, cast

from crispy_forms.helper import FormHelper
from django import forms
from django.forms.formsets import INITIAL_FORM_COUNT, TOTAL_FORM_COUNT

from coaching.assessments.models import AvailabilityWindow, TimeOff
from exercises.forms import StageChoiceField, stage_choices

# Fields whose input is read as a number, a date, a time or a row id. Python's own
# parsers take "٣" as 3 and some choke on "²"; such input is refused, in plain words.
PARSED_FIELDS = (
    forms.IntegerField,
    forms.fields.BaseTemporalField,
    forms.DurationField,
    forms.ModelChoiceField,
    forms.TypedChoiceField,
)
NOT_ASCII = "Use the digits 0 to 9"


def refuse_foreign_digits(form: forms.BaseForm) -> None:
    """Add a field error wherever a number, date, time or id was typed with other characters.

    Free text (names, intake answers) may hold any character; only fields that are
    parsed into numbers are held to ASCII.
    """
    for name, field in form.fields.items():
        if not isinstance(field, PARSED_FIELDS):
            continue
        raw = field.widget.value_from_datadict(form.data, form.files, form.add_prefix(name))
        values = raw if isinstance(raw, list | tuple) else [raw]
        if any(isinstance(value, str) and not value.isascii() for value in values):
            form.add_error(name, NOT_ASCII)


RED_FLAGS = [
    (
        "saddle_numbness",
        "Numbness or pins and needles around your bottom, genitals or inner thighs",
    ),
    ("bladder_bowel", "New problems controlling or emptying your bladder or bowels"),
    ("leg_weakness", "Weakness or numbness in your legs that is getting worse"),
    ("cancer_history", "Cancer now or in the past"),
    ("fever_weight_loss", "A fever, feeling generally unwell, or weight loss you cannot explain"),
    ("trauma", "A recent fall, accident or other significant injury to your back"),
    ("night_pain", "Constant pain at night that does not ease whatever position you lie in"),
]
YES_NO = [("no", "No"), ("yes", "Yes")]


class IntakeForm(forms.Form):
    """The assessment intake, starting with the red-flag screen."""

    name = forms.CharField(
        label="Your name", max_length=150, error_messages={"required": "Enter your name"}
    )
    email = forms.EmailField(
        label="Email address",
        help_text="We send your confirmation and calendar invite here.",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address like name@example.com",
        },
    )
    phone = forms.CharField(label="Phone (optional)", max_length=40, required=False)
    where_it_hurts = forms.CharField(
        label="Where does it hurt?",
        max_length=300,
        error_messages={"required": "Tell us where it hurts, for example lower back, left side"},
    )
    how_long = forms.CharField(
        label="For how long?",
        max_length=100,
        error_messages={"required": "Tell us how long it has hurt, for example 3 weeks"},
    )
    worse_with = forms.CharField(
        label="What makes it worse? (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    goals = forms.CharField(
        label="What would you like to be able to do? (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    consent = forms.BooleanField(
        label=(
            "I agree that the studio may store what I tell it about my health to prepare "
            "and run my assessment."
        ),
        error_messages={"required": "Tick the box to agree, so we can prepare your assessment"},
    )
    # Humans never see this field; bots fill it in.
    website = forms.CharField(required=False, label="Leave this empty")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, question in RED_FLAGS:
            self.fields[f"flag_{key}"] = forms.ChoiceField(
                label=question,
                choices=YES_NO,
                widget=forms.RadioSelect,
                error_messages={"required": "Answer yes or no"},
            )
        self.helper = FormHelper()
        self.helper.form_tag = False

    @property
    def flag_fields(self) -> list[Any]:
        return [self[f"flag_{key}"] for key, _ in RED_FLAGS]

    @property
    def detail_fields(self) -> list[Any]:
        names = ["name", "email", "phone", "where_it_hurts", "how_long", "worse_with", "goals"]
        return [self[name] for name in names]

    def red_flags(self) -> list[str]:
        return [
            question for key, question in RED_FLAGS if self.cleaned_data.get(f"flag_{key}") == "yes"
        ]

    def is_bot(self) -> bool:
        return bool(self.data.get("website", "").strip())

    def intake(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"].strip(),
            "email": data["email"].strip().lower(),
            "phone": data["phone"].strip(),
            "where_it_hurts": data["where_it_hurts"].strip(),
            "how_long": data["how_long"].strip(),
            "worse_with": data["worse_with"].strip(),
            "goals": data["goals"].strip(),
        }


class OutcomeForm(forms.Form):
    why_in_pain = forms.CharField(
        label="Why they might be in pain",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write what you found about why they are in pain"},
    )
    restricted_movements = forms.CharField(
        label="Restricted movements", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    movements_to_avoid = forms.CharField(
        label="Movements to stay away from",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    movements_to_do = forms.CharField(
        label="Movements to do to be pain-free",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    recommended_stage = StageChoiceField(
        queryset=stage_choices(),
        label="Recommended starting stage",
        required=False,
        error_messages={"invalid_choice": "Choose one of the stages listed"},
    )

    def __init__(self, data: Any = None, *, prefix: str, **kwargs: Any) -> None:
        super().__init__(data, prefix=prefix, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self) -> dict[str, Any]:
        refuse_foreign_digits(self)
        super().clean()
        return self.cleaned_data


class CoachSettingsForm(forms.Form):
    prefix = "me"

    time_zone = forms.ChoiceField(label="Your time zone")
    video_link = forms.URLField(
        label="Video-call link",
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "Enter the full link, like https://meet.example.com/coach"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zones = cast(forms.ChoiceField, self.fields["time_zone"])
        zones.choices = [(z, z) for z in sorted(zoneinfo.available_timezones())]
        self.helper = FormHelper()
        self.helper.form_tag = False


class WindowForm(forms.ModelForm[AvailabilityWindow]):
    class Meta:
        model = AvailabilityWindow
        fields = ["weekday", "starts_at", "ends_at"]
        widgets = {
            "starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "ends_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }
        error_messages = {
            "starts_at": {"required": "Enter a start time", "invalid": "Enter a time like 09:00"},
            "ends_at": {"required": "Enter an end time", "invalid": "Enter a time like 12:00"},
        }

    def clean(self) -> dict[str, Any]:
        super().clean()
        refuse_foreign_digits(self)
        data = self.cleaned_data
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", "The end time must be after the start time")
        return data


class TimeOffForm(forms.ModelForm[TimeOff]):
    class Meta:
        model = TimeOff
        fields = ["starts_at", "ends_at", "note"]
        widgets = {
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "ends_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
        }
        error_messages = {
            "starts_at": {
                "required": "Enter when the time off starts",
                "invalid": "Enter a date and time",
            },
            "ends_at": {
                "required": "Enter when the time off ends",
                "invalid": "Enter a date and time",
            },
        }

    def clean(self) -> dict[str, Any]:
        super().clean()
        refuse_foreign_digits(self)
        data = self.cleaned_data
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", "The end must be after the start")
        return data


class StrictModelFormSet(forms.BaseModelFormSet[Any, Any]):
    """A model formset whose form counts, like its fields, are plain ASCII digits."""

    def clean(self) -> None:
        super().clean()
        for key in (TOTAL_FORM_COUNT, INITIAL_FORM_COUNT):
            raw = self.data.get(self.add_prefix(key))
            if isinstance(raw, str) and not raw.isascii():
                raise forms.ValidationError(f"{NOT_ASCII} (the form was changed).")


WindowFormSet = forms.modelformset_factory(
    AvailabilityWindow, form=WindowForm, formset=StrictModelFormSet, extra=1, can_delete=True
)
TimeOffFormSet = forms.modelformset_factory(
    TimeOff, form=TimeOffForm, formset=StrictModelFormSet, extra=1, can_delete=True
)


class ManageBookingForm(forms.Form):
    """The visitor's choice on their booking's page: cancel it, or move it to a free time."""

    action = forms.ChoiceField(
        choices=[("cancel", "Cancel"), ("move", "Move")],
        error_messages={
            "required": "Choose to cancel or to move your assessment",
            "invalid_choice": "Choose to cancel or to move your assessment",
        },
    )
    slot = forms.CharField(required=False, max_length=40)


class StatusForm(forms.Form):
    """How a past assessment went: the visitor came, or did not."""

    status = forms.ChoiceField(
        choices=[("completed", "Completed"), ("no_show", "No-show")],
        error_messages={
            "required": "Choose completed or no-show.",
            "invalid_choice": "Choose completed or no-show.",
        },
    )
