"""The coach's forms for the assessment: how a call went and its outcome, their time zone
and video link, weekly windows and time off."""

from __future__ import annotations

from typing import Any, cast

from crispy_forms.helper import FormHelper
from django import forms
from django.forms.formsets import INITIAL_FORM_COUNT, TOTAL_FORM_COUNT

from coaching.assessments.forms import ZoneField
from coaching.assessments.models import AvailabilityWindow, TimeOff
from exercises.forms import RowMultipleChoiceField, StageChoiceField, stage_choices
from exercises.models import Stage

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


class StageMultipleChoiceField(RowMultipleChoiceField[Stage]):
    def label_from_instance(self, obj: Stage) -> str:
        return f"{obj.position}. {obj.exercise.name}"


class OutcomeForm(forms.Form):
    why_in_pain = forms.CharField(
        label="Why they might be in pain",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write what you found about why they are in pain"},
    )
    restricted_movements = forms.CharField(
        label="Restricted movements", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    avoid_stages = StageMultipleChoiceField(
        queryset=stage_choices(),
        label="Movements to avoid for now",
        help_text="Assigning one of these stages later asks you to confirm.",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose from the exercises listed"},
    )
    movements_to_avoid = forms.CharField(
        label="Other movements to avoid",
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

    def __init__(
        self, data: Any = None, *, prefix: str, stages: list[Stage] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(data, prefix=prefix, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        if stages is not None:
            # A page of many outcome forms reads the stages once, not twice a form.
            labels = [(s.pk, f"{s.position}. {s.exercise.name}") for s in stages]
            avoid = cast(StageMultipleChoiceField, self.fields["avoid_stages"])
            start = cast(StageChoiceField, self.fields["recommended_stage"])
            avoid.choices = labels
            start.choices = [("", start.empty_label or ""), *labels]

    def clean(self) -> dict[str, Any]:
        refuse_foreign_digits(self)
        super().clean()
        return self.cleaned_data


class StatusForm(forms.Form):
    """How a past assessment went: the visitor came, or did not."""

    status = forms.ChoiceField(
        choices=[("completed", "Completed"), ("no_show", "No-show")],
        error_messages={
            "required": "Choose completed or no-show.",
            "invalid_choice": "Choose completed or no-show.",
        },
    )


class CoachSettingsForm(forms.Form):
    prefix = "me"

    time_zone = ZoneField(
        label="Your time zone",
        help_text="Type to search: a city like London or New York.",
        error_messages={"required": "Enter your time zone, like Europe/London"},
        widget=forms.TextInput(attrs={"list": "zone-list", "autocomplete": "off"}),
    )
    video_link = forms.URLField(
        label="Video-call link",
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "Enter the full link, like https://meet.example.com/coach"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


def _digits_and_order(form: forms.BaseForm, message: str) -> dict[str, Any]:
    """A row's numbers in plain digits, and its end after its start."""
    refuse_foreign_digits(form)
    data = form.cleaned_data
    start, end = data.get("starts_at"), data.get("ends_at")
    if start and end and end <= start:
        form.add_error("ends_at", message)
    return data


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
        return _digits_and_order(self, "The end time must be after the start time")


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
        return _digits_and_order(self, "The end must be after the start")


class StrictModelFormSet(forms.BaseModelFormSet[Any, Any]):
    """A model formset whose form counts, like its fields, are plain ASCII digits."""

    def clean(self) -> None:
        super().clean()
        for key in (TOTAL_FORM_COUNT, INITIAL_FORM_COUNT):
            raw = self.data.get(self.add_prefix(key))
            if isinstance(raw, str) and not raw.isascii():
                raise forms.ValidationError(f"{NOT_ASCII} (the form was changed).")


# No blank rows by default: "Add a window" and "Add time off" add them (with htmx, or a
# plain POST that saves and comes back with one blank row).
WindowFormSet = forms.modelformset_factory(
    AvailabilityWindow, form=WindowForm, formset=StrictModelFormSet, extra=0, can_delete=True
)
TimeOffFormSet = forms.modelformset_factory(
    TimeOff, form=TimeOffForm, formset=StrictModelFormSet, extra=0, can_delete=True
)
