"""Forms for the coach's pages: dashboard filters and program actions."""

from __future__ import annotations

from typing import Any, cast

from crispy_forms.helper import FormHelper
from django import forms

from clients.forms import count_field, load_field
from clients.messages.models import MESSAGE_MAX_LENGTH
from clients.models import DEFAULT_SESSIONS_PER_WEEK
from coaching.accounts.models import User
from exercises.forms import RowChoiceField, StageChoiceField, stage_choices
from exercises.models import Stage


class DashboardFilterForm(forms.Form):
    """The dashboard's GET parameters; anything unexpected falls back to the default."""

    SHOW = [
        ("all", "All"),
        ("ready", "Ready"),
        ("flare", "Flare-up"),
        ("hold", "Hold"),
        ("quiet", "Quiet 7+ days"),
        ("attention", "Needs attention"),
    ]
    SORT = [("status", "Status"), ("activity", "Last activity")]

    show = forms.ChoiceField(choices=SHOW, required=False, widget=forms.RadioSelect)
    q = forms.CharField(label="Search by name", required=False, max_length=100)
    sort = forms.ChoiceField(label="Sort by", choices=SORT, required=False)

    def values(self) -> dict[str, str]:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "show": data.get("show") or "all",
            "q": (data.get("q") or "").strip(),
            "sort": data.get("sort") or "status",
        }


class MoveStageForm(forms.Form):
    prefix = "move"

    stage = forms.TypedChoiceField(
        coerce=int,
        label="Move to stage",
        error_messages={
            "required": "Choose the stage to move the client to",
            "invalid_choice": "Choose one of the stages listed",
        },
    )
    reason = forms.CharField(
        label="Reason",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required: why you are moving the client outside the gate.",
        error_messages={"required": "Give a reason for moving the client"},
    )

    def __init__(self, *args: Any, stages: list[Stage], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stages = {stage.pk: stage for stage in stages}
        cast(forms.ChoiceField, self.fields["stage"]).choices = [
            ("", "Choose a stage"),
            *((s.pk, f"{s.position}. {s.exercise.name}") for s in stages),
        ]
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_stage(self) -> Stage:
        return self.stages[self.cleaned_data["stage"]]

    def clean_reason(self) -> str:
        reason: str = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Give a reason for moving the client")
        return reason


def short_text(label: str, noun: str) -> forms.CharField:
    """An optional line of up to 500 characters, refused (not cut) when longer."""
    return forms.CharField(
        label=label,
        required=False,
        max_length=500,
        error_messages={"max_length": f"Keep the {noun} to 500 characters or fewer"},
    )


class ReasonForm(forms.Form):
    reason = short_text("Reason (optional)", "reason")


class SignOffForm(forms.Form):
    note = short_text("Note (optional)", "note")


class NoteForm(forms.Form):
    prefix = "note"

    text = forms.CharField(
        label="Add a note",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": "Write the note before saving it",
            "max_length": "Notes must be 2,000 characters or fewer",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_text(self) -> str:
        text: str = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError("Write the note before saving it")
        return text


class PrescriptionForm(forms.Form):
    prefix = "rx"

    sets = count_field(
        "sets", "Sets", maximum=20, example=3, required_message="Enter the number of sets"
    )
    reps = count_field("reps", "Reps per set", maximum=100, example=10)
    seconds = count_field("seconds", "Or seconds per set", maximum=600, example=30)
    target_load_kg = load_field("Target load (kg)", required=False)
    sessions_per_week = forms.IntegerField(
        label="Sessions a week",
        min_value=1,
        max_value=14,
        initial=DEFAULT_SESSIONS_PER_WEEK,
        error_messages={
            "required": "Enter how many sessions a week, from 1 to 14",
            "invalid": "Sessions a week must be a whole number, like 3",
            "min_value": "Sessions a week must be at least 1",
            "max_value": "Sessions a week must be 14 or fewer",
        },
    )
    rest_seconds = forms.IntegerField(
        label="Rest between sets, seconds (optional)",
        required=False,
        min_value=0,
        max_value=600,
        error_messages={
            "invalid": "Rest must be a whole number of seconds, like 60",
            "min_value": "Rest cannot be negative",
            "max_value": "Rest must be 600 seconds (10 minutes) or less",
        },
    )
    tempo = forms.RegexField(
        label="Tempo (optional)",
        required=False,
        regex=r"^[0-9](-[0-9X]){1,3}$",
        max_length=20,
        help_text="Seconds down-pause-up, for example 3-1-1.",
        error_messages={"invalid": "Write the tempo as seconds with dashes, like 3-1-1"},
    )
    plan_notes = forms.CharField(
        label="Notes for the client (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": "Keep the notes to 500 characters or fewer"},
    )

    def __init__(self, *args: Any, loaded: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.loaded = loaded
        if not loaded:
            del self.fields["target_load_kg"]
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        reps, seconds = data.get("reps"), data.get("seconds")
        if "reps" in self.errors or "seconds" in self.errors:
            return data
        if (reps is None) == (seconds is None):
            self.add_error("reps", "Give either reps per set or seconds per set, not both")
        return data


class NewClientForm(forms.Form):
    first_name = forms.CharField(
        max_length=150, error_messages={"required": "Enter the client's first name"}
    )
    last_name = forms.CharField(
        max_length=150, error_messages={"required": "Enter the client's last name"}
    )
    email = forms.EmailField(
        label="Email address",
        error_messages={
            "required": "Enter the client's email address",
            "invalid": "Enter an email address like name@example.com",
        },
    )
    stage = StageChoiceField(
        queryset=stage_choices(),
        label="Starting stage",
        error_messages={
            "required": "Choose the stage the client starts on",
            "invalid_choice": "Choose one of the stages listed",
        },
    )
    notes = forms.CharField(
        label="Notes (optional, only coaches see these)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                "An account already uses this email address. If they are already a client, "
                "find them on your dashboard; otherwise use another address"
            )
        return email


class ReassignForm(forms.Form):
    prefix = "reassign"

    coach = RowChoiceField(
        queryset=User.objects.filter(coach_profile__isnull=False).order_by("first_name"),
        label="Coach",
        error_messages={
            "required": "Choose the coach to hand the client to",
            "invalid_choice": "Choose one of the coaches listed",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class ConfirmForm(forms.Form):
    """The one confirm step for changes to a program: what will happen, and why."""

    confirm = forms.BooleanField(widget=forms.HiddenInput, initial=True)
    reason = forms.CharField(
        label="Reason",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": "Give the reason: it goes in the history and the client sees it",
            "max_length": "Keep the reason to 500 characters or fewer",
        },
    )
    acknowledge = forms.BooleanField(
        label="I have checked the warning above and want to go ahead",
        required=False,
    )

    def __init__(self, *args: Any, warnings: list[str], reason_label: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.warnings = warnings
        self.fields["reason"].label = reason_label
        if warnings:
            self.fields["acknowledge"].required = True
            self.fields["acknowledge"].error_messages["required"] = (
                "Tick the box to confirm you have read the warning"
            )
        else:
            del self.fields["acknowledge"]
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_reason(self) -> str:
        reason: str = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Give the reason: it goes in the history")
        return reason


class BulkForm(forms.Form):
    """The clients ticked on the dashboard, and what to do with them."""

    action = forms.ChoiceField(
        choices=[("nudge", "Nudge"), ("message", "Message")],
        error_messages={"required": "Choose an action", "invalid_choice": "Choose an action"},
    )
    text = forms.CharField(
        label="Message to the ticked clients",
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Each client gets it in their own thread.",
        error_messages={
            "max_length": f"Messages must be {MESSAGE_MAX_LENGTH:,} characters or fewer"
        },
    )
    clients = forms.TypedMultipleChoiceField(
        coerce=int,
        error_messages={
            "required": "Tick at least one client",
            "invalid_choice": "Tick clients from the list",
        },
    )

    def __init__(self, *args: Any, client_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.TypedMultipleChoiceField, self.fields["clients"])
        field.choices = [(pk, str(pk)) for pk in client_ids]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["text"] = (data.get("text") or "").strip()
        if data.get("action") == "message" and not data["text"] and "text" not in self.errors:
            self.add_error("text", "Write the message to send")
        return data
