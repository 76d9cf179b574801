from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth import password_validation

from clients.forms import count_field, load_field
from coaching.models import AvailabilityWindow, TimeOff, User
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
    sets = count_field(
        "sets", "Sets", maximum=20, example=3, required_message="Enter the number of sets"
    )
    reps = count_field("reps", "Reps per set", maximum=100, example=10)
    seconds = count_field("seconds", "Or seconds per set", maximum=600, example=30)
    target_load_kg = load_field("Target load (kg)", required=False)

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
        queryset=Stage.objects.none(),
        label="Recommended starting stage",
        required=False,
        error_messages={"invalid_choice": "Choose one of the stages listed"},
    )

    def __init__(self, *args: Any, prefix: str, **kwargs: Any) -> None:
        super().__init__(*args, prefix=prefix, **kwargs)
        self.fields["recommended_stage"].queryset = stage_choices()
        self.helper = FormHelper()
        self.helper.form_tag = False


class CoachSettingsForm(forms.Form):
    time_zone = forms.ChoiceField(label="Your time zone")
    video_link = forms.URLField(
        label="Video-call link",
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "Enter the full link, like https://meet.example.com/coach"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, prefix="me", **kwargs)
        import zoneinfo

        self.fields["time_zone"].choices = [(z, z) for z in sorted(zoneinfo.available_timezones())]
        self.helper = FormHelper()
        self.helper.form_tag = False


class WindowForm(forms.ModelForm):
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
        data = super().clean()
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", "The end time must be after the start time")
        return data


class TimeOffForm(forms.ModelForm):
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
        data = super().clean()
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", "The end must be after the start")
        return data


WindowFormSet = forms.modelformset_factory(
    AvailabilityWindow, form=WindowForm, extra=1, can_delete=True
)
TimeOffFormSet = forms.modelformset_factory(TimeOff, form=TimeOffForm, extra=1, can_delete=True)
