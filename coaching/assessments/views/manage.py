"""The visitor's private pages behind their booking's link: the booking itself (move it,
cancel it, add it to a calendar), its .ics file, and the coach's written outcome."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from coaching.accounts.services import Attempt, give_back, spend_link_guess
from coaching.assessments import calendars, links, selectors
from coaching.assessments.forms import ManageBookingForm
from coaching.assessments.models import Assessment
from coaching.assessments.services import BookingError, SlotTaken
from coaching.assessments.services.manage import (
    cancel_assessment,
    cancel_is_late,
    reschedule_assessment,
)
from coaching.assessments.slots import Slot, group_by_day_and_part, parse_slot
from coaching.assessments.views import too_many
from coaching.middleware import no_store


def _too_many_guesses(request: HttpRequest, guess: Attempt) -> TemplateResponse:
    return too_many(
        request, guess, "coaching/accounts/too_many_attempts.html", what="booking links"
    )


def by_token(request: HttpRequest, token: str) -> Assessment | TemplateResponse:
    """The booking behind a private link; wrong tokens count against the address's limit."""
    # Spent before the lookup and given back for a real link: only wrong tokens count.
    guess = spend_link_guess(request=request, kind="manage")
    if not guess.allowed:
        return _too_many_guesses(request, guess)
    booking = selectors.find_by_token(token)
    if booking is None:
        raise Http404("No such booking.")
    give_back(guess)
    return booking


def _chosen_slot(value: str, *, exclude: int | None = None) -> Slot | None:
    parsed = parse_slot(value)
    if parsed is None:
        return None
    coach_id, start = parsed
    return selectors.find_free_slot(coach_id, start, exclude=exclude)


def _calendar_links(booking: Assessment, manage_link: str) -> dict[str, str]:
    return {
        name: make(
            title=calendars.visitor_title(booking),
            start=booking.starts_at,
            end=booking.ends_at,
            details=calendars.visitor_details(booking, manage_link),
            where=booking.call_link,
        )
        for name, make in [
            ("google", calendars.google_calendar_url),
            ("outlook", calendars.outlook_calendar_url),
        ]
    }


def _manage_page(
    request: HttpRequest, booking: Assessment, token: str, **extra: Any
) -> TemplateResponse:
    zone = booking.visitor_time_zone
    now = timezone.now()
    upcoming = booking.status == Assessment.Status.BOOKED and booking.ends_at > now
    movable = upcoming and not cancel_is_late(booking, now)
    slots = selectors.available_slots(exclude=booking.pk)[:60] if movable else []
    manage_link = request.build_absolute_uri(request.path)
    return TemplateResponse(
        request,
        "coaching/assessments/manage_assessment.html",
        {
            "booking": booking,
            # Name and email show only while the booking is to come: after a cancel or
            # the appointment, the link alone no longer reveals who it was for.
            "upcoming": upcoming,
            "token": token,
            "zone": zone,
            "zone_label": zone.replace("_", " "),
            "tz_zone": ZoneInfo(zone),
            "just_booked": request.GET.get("booked") == "1",
            "movable": movable,
            "late": booking.status == Assessment.Status.BOOKED and cancel_is_late(booking, now),
            "cutoff_hours": selectors.rules_now().reschedule_cutoff_hours,
            "groups": group_by_day_and_part(slots, ZoneInfo(zone)),
            "calendar_links": _calendar_links(booking, manage_link),
            **extra,
        },
    )


@require_http_methods(["GET", "POST"])
@no_store
def manage_assessment(request: HttpRequest, token: str) -> HttpResponse:
    found = by_token(request, token)
    if isinstance(found, TemplateResponse):
        return found
    booking = found
    if booking.status == Assessment.Status.HELD:
        return redirect("coaching:confirm_hold", token=token)
    if request.method == "GET":
        return _manage_page(request, booking, token)
    form = ManageBookingForm(request.POST)
    try:
        if not form.is_valid():
            messages.error(request, "Choose to cancel or to move your assessment.")
        elif form.cleaned_data["action"] == "cancel":
            if not form.cleaned_data["confirm"]:
                return _manage_page(request, booking, token, confirm_cancel=True)
            cancel_assessment(assessment=booking)
            messages.success(request, "Your assessment is cancelled. We have emailed you.")
        else:
            slot = _chosen_slot(form.cleaned_data["slot"], exclude=booking.pk)
            if slot is None:
                raise SlotTaken
            reschedule_assessment(
                assessment=booking, coach_id=slot.coach_id, start=slot.start, token=token
            )
            messages.success(request, "Your assessment has moved. We have emailed a new invite.")
    except SlotTaken:
        messages.error(request, "That time is not free any more. Please pick another.")
    except BookingError as exc:
        messages.error(request, str(exc))
    return redirect("coaching:manage_assessment", token=token)


@require_GET
@no_store
def assessment_ics(request: HttpRequest, token: str) -> HttpResponse:
    """The booking as an .ics file, for "Add to calendar"."""
    found = by_token(request, token)
    if isinstance(found, TemplateResponse):
        return found
    if found.status != Assessment.Status.BOOKED or found.ends_at <= timezone.now():
        raise Http404("This assessment is not booked.")
    manage_link = request.build_absolute_uri(links.manage_path(token))
    response = HttpResponse(
        calendars.invite(found, method="PUBLISH", manage_link=manage_link),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="assessment.ics"'
    return response


@require_GET
@no_store
def outcome_page(request: HttpRequest, token: str) -> HttpResponse:
    """The coach's written summary, for the visitor, while the studio keeps it."""
    guess = spend_link_guess(request=request, kind="manage")
    if not guess.allowed:
        return _too_many_guesses(request, guess)
    found = selectors.find_outcome(token)
    if found is None:
        return TemplateResponse(request, "coaching/assessments/outcome_gone.html", {}, status=404)
    give_back(guess)
    return TemplateResponse(
        request,
        "coaching/assessments/outcome.html",
        {
            "assessment": found,
            "avoid": list(found.avoid_stages.all()),
            "expires_on": selectors.outcome_expires_on(found),
        },
    )
