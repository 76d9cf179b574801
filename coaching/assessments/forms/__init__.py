"""The visitor's forms for the assessment: the intake with its red-flag screen, a contact
request, the waitlist, managing a booking; and the time zones both sides pick from.

The coach's forms (outcomes, availability) are in forms/coach.py.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from typing import Any

from crispy_forms.helper import FormHelper
from django import forms

from coaching.assessments.slots import PART_NAMES, WEEKDAYS, preference_code


def name_field() -> forms.CharField:
    return forms.CharField(
        label="Your name",
        max_length=150,
        error_messages={"required": "Enter your name"},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )


def email_field(*, help_text: str = "") -> forms.EmailField:
    return forms.EmailField(
        label="Email address",
        help_text=help_text,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address like name@example.com",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


@dataclass(frozen=True)
class Flag:
    key: str
    question: str


# Possible cauda equina syndrome (RED-FLAGS.md, tier 1): emergency care now.
EMERGENCY_FLAGS = [
    Flag(
        "saddle",
        "Numbness or tingling between your inner thighs, or around your genitals or bottom",
    ),
    Flag(
        "bladder",
        "Trouble starting, stopping or holding in your pee, or feeling when you need to go",
    ),
    Flag("bowel", "Losing control of your bowels, or not feeling when you need a poo"),
    Flag(
        "sexual", "Loss of feeling in your genitals, or new trouble with erections or ejaculating"
    ),
    Flag("legs", "Weakness or numbness in your legs that is getting worse, or in both legs"),
]
# Other serious causes (tier 2): see a doctor before exercise coaching.
DOCTOR_FLAGS = [
    Flag("cancer", "You have had cancer"),
    Flag("weight", "You have lost weight without trying"),
    Flag("fever", "A fever, chills or sweats, or a recent infection"),
    Flag("immune", "A weak immune system (for example from medicines), or you inject drugs"),
    Flag("injury", "The pain started after a fall or a blow, even a small one"),
    Flag("night", "Pain at night that does not ease when you rest"),
    Flag("under_16", "You are under 16"),
]
SAFETY_REQUIRED = "Choose None of these apply, or tick what applies to you"
SAFETY_NOTHING_TICKED = (
    "You chose I ticked what applies, but nothing is ticked: tick what applies, "
    "or choose None of these apply"
)


class IntakeForm(forms.Form):
    """Booking: who you are, then a short safety check (one tap when none of it applies).

    Everything about the back itself is optional here; the coach asks on the call.
    """

    name = name_field()
    email = email_field(help_text="We send your confirmation and calendar invite here.")
    phone = forms.CharField(
        label="Phone (optional)",
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    where_it_hurts = forms.CharField(label="Where does it hurt?", max_length=300, required=False)
    how_long = forms.CharField(label="For how long?", max_length=100, required=False)
    worse_with = forms.CharField(
        label="What makes it worse?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    goals = forms.CharField(
        label="What would you like to be able to do?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    consent = forms.BooleanField(
        label=(
            "I agree that the studio may keep what I tell it about my back to prepare and run "
            "my assessment."
        ),
        error_messages={"required": "Tick the box to agree, so we can prepare your assessment"},
    )
    emergency_signs = forms.MultipleChoiceField(
        label="In the last two weeks, is any of this new or getting worse?",
        choices=[(f.key, f.question) for f in EMERGENCY_FLAGS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_signs = forms.MultipleChoiceField(
        label="Does any of this apply to you?",
        choices=[(f.key, f.question) for f in DOCTOR_FLAGS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # Which safety button was pressed: "none" (nothing applies) or "some".
    safety = forms.ChoiceField(
        choices=[("none", "None of these apply"), ("some", "Some of these apply")],
        error_messages={"required": SAFETY_REQUIRED, "invalid_choice": SAFETY_REQUIRED},
    )
    # Humans never see this field; bots fill it in.
    website = forms.CharField(required=False, label="Leave this empty")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    @property
    def optional_fields(self) -> list[Any]:
        return [self[name] for name in ["where_it_hurts", "how_long", "worse_with", "goals"]]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        ticked = bool(data.get("emergency_signs") or data.get("other_signs"))
        if data.get("safety") == "some" and not ticked:
            self.add_error("safety", SAFETY_NOTHING_TICKED)
        return data

    def tier(self) -> int:
        """0 when nothing applies; 1 for any emergency sign; 2 for any other flag.

        A ticked box counts whichever button was pressed: safety comes first.
        """
        if self.cleaned_data.get("emergency_signs"):
            return 1
        if self.cleaned_data.get("other_signs"):
            return 2
        return 0

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


class ContactForm(forms.Form):
    """After a "see a doctor first" screen: may the studio get back in touch? Opt-in only."""

    name = name_field()
    email = email_field()
    consent = forms.BooleanField(
        label=(
            "Yes, keep my name and email so the studio can get in touch once a doctor has "
            "checked me. Nothing else is kept."
        ),
        error_messages={
            "required": "Tick the box if you would like us to keep your name and email"
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class WaitlistForm(forms.Form):
    """No time suits: an email and the parts of the week that would."""

    email = email_field()
    preferences = forms.MultipleChoiceField(
        label="Times that suit you",
        choices=[
            (preference_code(day, part), f"{WEEKDAYS[day]} {part}")
            for day in range(7)
            for part in PART_NAMES
        ],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Tick at least one day and time that suits you"},
    )
    tz = forms.CharField(required=False, widget=forms.HiddenInput)

    def grid(self) -> list[tuple[str, list[Any]]]:
        """The checkboxes as rows of weekdays with a column per part of the day."""
        boxes = list(self["preferences"])
        size = len(PART_NAMES)
        return [(WEEKDAYS[day], boxes[day * size : (day + 1) * size]) for day in range(7)]


class ManageBookingForm(forms.Form):
    """The visitor's choice on their booking's page: cancel it, or move it to a free time.

    A cancel goes through only with `confirm`: the first press asks "are you sure?" and
    offers to move the booking instead.
    """

    action = forms.ChoiceField(
        choices=[("cancel", "Cancel"), ("move", "Move")],
        error_messages={
            "required": "Choose to cancel or to move your assessment",
            "invalid_choice": "Choose to cancel or to move your assessment",
        },
    )
    slot = forms.CharField(required=False, max_length=40)
    confirm = forms.BooleanField(required=False)


# The zones most visitors and coaches use come first in the picker; every IANA zone follows.
COMMON_ZONES = [
    "Europe/London",
    "Europe/Dublin",
    "Europe/Lisbon",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Madrid",
    "Europe/Amsterdam",
    "Europe/Stockholm",
    "Europe/Athens",
    "Africa/Johannesburg",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Pacific/Auckland",
    "America/Sao_Paulo",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "UTC",
]


def zone_names() -> list[str]:
    """Every zone name, the common ones first."""
    common = set(COMMON_ZONES)
    return COMMON_ZONES + sorted(z for z in zoneinfo.available_timezones() if z not in common)


class ZoneField(forms.CharField):
    """A time zone typed or picked from a searchable list (an <input> with a <datalist>)."""

    default_error_messages = {
        "invalid": "Choose a time zone from the list, like Europe/London or America/New_York"
    }

    def clean(self, value: Any) -> str:
        name = str(super().clean(value)).strip().replace(" ", "_")
        if name and name not in zoneinfo.available_timezones():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return name
