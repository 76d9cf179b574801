from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth import password_validation

from coaching.models import User
from exercises.models import Stage


class DashboardFilterForm(forms.Form):
    """The dashboard's GET parameters; anything unexpected falls back to the default."""

    SHOW = [("all", "All"), ("ready", "Ready"), ("flare", "Flare-up"), ("quiet", "Quiet 7+ days")]
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


def stage_choices() -> Any:
    return Stage.objects.in_order().filter(progression__slug="hip-hinge")


class StageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Stage) -> str:
        return f"{obj.position}. {obj.exercise.name}"


class MoveStageForm(forms.Form):
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
        super().__init__(*args, prefix="move", **kwargs)
        self.stages = {stage.pk: stage for stage in stages}
        self.fields["stage"].choices = [
            ("", "Choose a stage"),
            *((s.pk, f"{s.position}. {s.exercise.name}") for s in stages),
        ]
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_stage(self) -> Stage:
        return self.stages[self.cleaned_data["stage"]]

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Give a reason for moving the client")
        return reason


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Reason (optional)", required=False, max_length=500)


class NoteForm(forms.Form):
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
        super().__init__(*args, prefix="note", **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError("Write the note before saving it")
        return text


class PrescriptionForm(forms.Form):
    sets = forms.IntegerField(
        min_value=1,
        max_value=20,
        error_messages={
            "required": "Enter the number of sets",
            "invalid": "Sets must be a whole number",
            "min_value": "Sets must be at least 1",
            "max_value": "Sets must be 20 or fewer",
        },
    )
    reps = forms.IntegerField(
        label="Reps per set",
        min_value=1,
        max_value=100,
        required=False,
        error_messages={
            "invalid": "Reps must be a whole number",
            "min_value": "Reps must be at least 1",
            "max_value": "Reps must be 100 or fewer",
        },
    )
    seconds = forms.IntegerField(
        label="Or seconds per set",
        min_value=1,
        max_value=600,
        required=False,
        error_messages={
            "invalid": "Seconds must be a whole number",
            "min_value": "Seconds must be at least 1",
            "max_value": "Seconds must be 600 or fewer",
        },
    )
    target_load_kg = forms.DecimalField(
        label="Target load (kg)",
        min_value=0,
        max_value=500,
        decimal_places=1,
        required=False,
        error_messages={
            "invalid": "Load must be a number of kilograms",
            "min_value": "Load cannot be negative",
            "max_value": "Load must be 500 kg or less",
            "max_decimal_places": "Load can have one decimal place at most",
        },
    )

    def __init__(self, *args: Any, loaded: bool, **kwargs: Any) -> None:
        super().__init__(*args, prefix="rx", **kwargs)
        self.loaded = loaded
        if not loaded:
            del self.fields["target_load_kg"]
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self) -> dict[str, Any]:
        data = super().clean()
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
        queryset=Stage.objects.none(),
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
        self.fields["stage"].queryset = stage_choices()
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                "An account already uses this email address. If they are already a client, "
                "find them on your dashboard; otherwise use another address"
            )
        return email


class ReassignForm(forms.Form):
    coach = forms.ModelChoiceField(
        queryset=User.objects.filter(coach_profile__isnull=False).order_by("first_name"),
        label="Coach",
        error_messages={
            "required": "Choose the coach to hand the client to",
            "invalid_choice": "Choose one of the coaches listed",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, prefix="reassign", **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


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
        first, second = self.cleaned_data.get("password1"), self.cleaned_data["password2"]
        if first and first != second:
            raise forms.ValidationError("The two passwords do not match")
        password_validation.validate_password(second, self.user)
        return second
