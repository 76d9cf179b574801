"""The visitor's pages for the free movement assessment: free times, booking with the safety
check, the waitlist and its holds, the private manage and outcome links."""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import push_url

from clients.emergency import emergency_number
from coaching.accounts.models import Coach
from coaching.accounts.roles import HtmxRequest
from coaching.accounts.services import Attempt, give_back, spend_booking, spend_link_guess
from coaching.assessments import calendars, selectors
from coaching.assessments.forms import (
    COMMON_ZONES,
    ContactForm,
    IntakeForm,
    ManageBookingForm,
    WaitlistForm,
)
from coaching.assessments.models import Assessment, ScreenOut
from coaching.assessments.services import (
    AlreadyBooked,
    BookingError,
    SlotTaken,
    book_assessment,
    cancel_assessment,
    cancel_is_late,
    confirm_hold,
    decline_hold,
    join_waitlist,
    record_screen_out,
    reschedule_assessment,
    resend_manage_link,
    save_contact_request,
)
from coaching.assessments.slots import (
    Slot,
    group_by_day_and_part,
    nearest_slots,
    parse_slot,
)
from coaching.middleware import no_store

DAYS_SHOWN = 7
TZ_COOKIE = "tz"


def _known_zone(name: str | None) -> str | None:
    return name if name and name in zoneinfo.available_timezones() else None


def visitor_zone(request: HttpRequest) -> str:
    """The visitor's time zone: from the page's choice, else their remembered one, else ours."""
    return (
        _known_zone(request.GET.get("tz"))
        or _known_zone(request.POST.get("tz"))
        or _known_zone(request.COOKIES.get(TZ_COOKIE))
        or settings.TIME_ZONE
    )


def _zone_choices(zone: str) -> list[tuple[str, str]]:
    names = COMMON_ZONES if zone in COMMON_ZONES else [zone, *COMMON_ZONES]
    return [(name, name.replace("_", " ")) for name in names]


def _slot_days(slots: list[Slot], zone: str, start: date | None) -> dict[str, Any]:
    groups = group_by_day_and_part(slots, ZoneInfo(zone))
    if not groups:
        return {"groups": [], "previous": None, "next": None}
    first = start if start and groups[0].day <= start <= groups[-1].day else groups[0].day
    shown = [g for g in groups if first <= g.day < first + timedelta(days=DAYS_SHOWN)]
    earlier = [g.day for g in groups if g.day < first]
    later = [g.day for g in groups if g.day >= first + timedelta(days=DAYS_SHOWN)]
    return {
        "groups": shown,
        "previous": max(first - timedelta(days=DAYS_SHOWN), earlier[0]) if earlier else None,
        "next": later[0] if later else None,
    }


@require_GET
def assessment(request: HtmxRequest) -> HttpResponse:
    """Free times, grouped by day and part of day.

    The server groups them in the zone it knows (the studio's, or one the visitor
    chose); static/js/booking.js regroups and formats them in the browser's own zone
    and locale, so a first visit needs no second page load.
    """
    zone = visitor_zone(request)
    coaches = list(Coach.objects.filter(windows__isnull=False).distinct().select_related("user"))
    coach_param = request.GET.get("coach", "")
    coach_id = next((c.pk for c in coaches if str(c.pk) == coach_param), None)
    try:
        start = date.fromisoformat(request.GET.get("from", ""))
    except ValueError:
        start = None
    slots = selectors.available_slots(coach_id=coach_id)
    context = {
        "zone": zone,
        "zone_label": zone.replace("_", " "),
        "zone_chosen": zone != settings.TIME_ZONE or "tz" in request.GET,
        "zones": _zone_choices(zone),
        "coaches": coaches,
        "coach_id": coach_id,
        **_slot_days(slots, zone, start),
        "tz_zone": ZoneInfo(zone),
    }
    template = "coaching/assessments/assessment.html"
    if request.htmx:
        template += "#slot_list"
    response = TemplateResponse(request, template, context)
    if request.GET.get("tz") == zone:
        response.set_cookie(TZ_COOKIE, zone, max_age=365 * 24 * 3600, samesite="Lax")
    if request.htmx:
        query = request.GET.urlencode()
        return push_url(response, request.path + (f"?{query}" if query else ""))
    return response


def _slot_gone(request: HttpRequest, message: str) -> HttpResponse:
    messages.error(request, message)
    return redirect("coaching:assessment")


def _chosen_slot(value: str, *, exclude: int | None = None) -> Slot | None:
    parsed = parse_slot(value)
    if parsed is None:
        return None
    coach_id, start = parsed
    return selectors.find_free_slot(coach_id, start, exclude=exclude)


def _refused(request: HttpRequest, context: dict[str, Any], attempt: Attempt) -> HttpResponse:
    response = TemplateResponse(
        request,
        "coaching/assessments/book_refused.html",
        {**context, "too_many": True, "minutes": attempt.minutes},
        status=429,
    )
    response["Retry-After"] = str(attempt.minutes * 60)
    return response


def _screened_out(request: HttpRequest, form: IntakeForm, zone: str) -> TemplateResponse:
    """A red flag: nothing is booked or kept; the page says what to do, by tier."""
    tier = form.tier()
    record_screen_out(tier=tier)
    if tier == ScreenOut.Tier.EMERGENCY:
        return TemplateResponse(
            request,
            "coaching/assessments/red_flags_emergency.html",
            {"emergency": emergency_number(zone), "zone": zone},
        )
    contact = ContactForm(
        initial={"name": form.cleaned_data["name"], "email": form.cleaned_data["email"]}
    )
    return TemplateResponse(
        request, "coaching/assessments/red_flags_doctor.html", {"contact_form": contact}
    )


def _already_booked(request: HttpRequest, error: AlreadyBooked) -> TemplateResponse:
    """The page never shows whose booking it is: the link goes to the booking's own inbox."""
    if error.assessment is not None:
        resend_manage_link(assessment=error.assessment)
    return TemplateResponse(request, "coaching/assessments/book_exists.html", {})


def _book_context(form: IntakeForm, slot: Slot, zone: str, **extra: Any) -> dict[str, Any]:
    coach = Coach.objects.select_related("user").get(pk=slot.coach_id)
    return {
        "form": form,
        "slot": slot,
        "coach": coach,
        "zone": zone,
        "zone_label": zone.replace("_", " "),
        "tz_zone": ZoneInfo(zone),
        "action": reverse("coaching:book"),
        **extra,
    }


def _taken_meanwhile(
    request: HttpRequest, form: IntakeForm, requested: datetime, zone: str
) -> TemplateResponse:
    """The time went while they typed: every answer kept, the nearest free times offered."""
    nearest = nearest_slots(selectors.available_slots(), requested)
    if not nearest:
        return TemplateResponse(
            request, "coaching/assessments/book_gone.html", {"zone": zone}, status=200
        )
    context = _book_context(form, nearest[0], zone, nearest=nearest, taken=requested)
    return TemplateResponse(request, "coaching/assessments/book.html", context)


@require_http_methods(["GET", "POST"])
def book(request: HttpRequest) -> HttpResponse:
    zone = visitor_zone(request)
    value = request.POST.get("slot") or request.GET.get("slot", "")
    requested = parse_slot(value)
    if requested is None:
        return _slot_gone(
            request,
            "That time is not available any more (or the link was changed). "
            "Please pick one of the free times below.",
        )
    form = IntakeForm(request.POST or None)
    slot = selectors.find_free_slot(*requested)
    if request.method == "GET":
        if slot is None:
            return _slot_gone(
                request,
                "That time is not available any more. Please pick one of the free times below.",
            )
        return TemplateResponse(
            request, "coaching/assessments/book.html", _book_context(form, slot, zone)
        )
    if form.is_bot():
        return TemplateResponse(request, "coaching/assessments/book_refused.html", {}, status=400)
    if slot is None:
        return _taken_meanwhile(request, form, requested[1], zone)
    # A form with field errors re-renders without spending the visitor's budget.
    if not form.is_valid():
        return TemplateResponse(
            request, "coaching/assessments/book.html", _book_context(form, slot, zone)
        )
    attempt = spend_booking(request=request)
    if not attempt.allowed:
        return _refused(request, {}, attempt)
    if form.tier():
        return _screened_out(request, form, zone)
    try:
        booked = book_assessment(
            coach_id=slot.coach_id,
            start=slot.start,
            intake=form.intake(),
            visitor_time_zone=zone,
        )
    except SlotTaken:
        # Someone else was quicker: not the visitor's doing, so no attempt spent.
        give_back(attempt)
        return _taken_meanwhile(request, form, slot.start, zone)
    except AlreadyBooked as exc:
        return _already_booked(request, exc)
    return redirect(
        reverse("coaching:manage_assessment", kwargs={"token": booked.token}) + "?booked=1"
    )


@require_POST
def contact_request(request: HttpRequest) -> HttpResponse:
    """After "see a doctor first": keep a name and email only with the box ticked."""
    form = ContactForm(request.POST)
    if not form.is_valid():
        return TemplateResponse(
            request, "coaching/assessments/red_flags_doctor.html", {"contact_form": form}
        )
    attempt = spend_booking(request=request)
    if not attempt.allowed:
        return _refused(request, {}, attempt)
    save_contact_request(name=form.cleaned_data["name"], email=form.cleaned_data["email"])
    return TemplateResponse(request, "coaching/assessments/contact_saved.html", {})


@require_http_methods(["GET", "POST"])
def waitlist(request: HttpRequest) -> HttpResponse:
    """No time suits: leave an email and the parts of the week that would."""
    zone = visitor_zone(request)
    form = WaitlistForm(request.POST or None, initial={"tz": zone})
    if request.method == "POST" and form.is_valid():
        attempt = spend_booking(request=request)
        if not attempt.allowed:
            return _refused(request, {}, attempt)
        try:
            join_waitlist(
                email=form.cleaned_data["email"],
                preferences=form.cleaned_data["preferences"],
                time_zone=zone,
            )
        except AlreadyBooked as exc:
            return _already_booked(request, exc)
        return TemplateResponse(
            request, "coaching/assessments/waitlist_joined.html", {"zone_label": zone}
        )
    return TemplateResponse(
        request,
        "coaching/assessments/waitlist.html",
        {"form": form, "zone": zone, "zone_label": zone.replace("_", " ")},
    )


def _too_many_guesses(request: HttpRequest, attempt: Attempt) -> TemplateResponse:
    response = TemplateResponse(
        request,
        "coaching/accounts/too_many_attempts.html",
        {"what": "booking links", "minutes": attempt.minutes},
        status=429,
    )
    response["Retry-After"] = str(attempt.minutes * 60)
    return response


def _by_token(request: HttpRequest, token: str) -> Assessment | TemplateResponse:
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


@require_http_methods(["GET", "POST"])
@no_store
def confirm_hold_page(request: HttpRequest, token: str) -> HttpResponse:
    """A time held for someone on the waitlist: take it with a name, or let it go."""
    found = _by_token(request, token)
    if isinstance(found, TemplateResponse):
        return found
    hold = found
    now = timezone.now()
    if hold.status == Assessment.Status.BOOKED:
        return redirect("coaching:manage_assessment", token=token)
    zone = visitor_zone(request) if "tz" in request.POST else hold.visitor_time_zone
    live = hold.status == Assessment.Status.HELD and (hold.held_until or now) > now
    if not live:
        return TemplateResponse(request, "coaching/assessments/hold_ended.html", {})
    if request.method == "POST" and request.POST.get("decline"):
        decline_hold(assessment=hold)
        return TemplateResponse(request, "coaching/assessments/hold_ended.html", {"declined": True})
    form = IntakeForm(request.POST or None, initial={"email": hold.email})
    slot = Slot(hold.starts_at, hold.coach_id, hold.ends_at)
    context = _book_context(
        form,
        slot,
        zone,
        action=reverse("coaching:confirm_hold", kwargs={"token": token}),
        held_until=hold.held_until,
    )
    if request.method == "GET" or not form.is_valid():
        return TemplateResponse(request, "coaching/assessments/book.html", context)
    if form.tier():
        decline_hold(assessment=hold)
        return _screened_out(request, form, zone)
    try:
        confirm_hold(assessment=hold, intake=form.intake(), visitor_time_zone=zone)
    except SlotTaken:
        return TemplateResponse(request, "coaching/assessments/hold_ended.html", {})
    except AlreadyBooked as exc:
        return _already_booked(request, exc)
    return redirect(reverse("coaching:manage_assessment", kwargs={"token": token}) + "?booked=1")


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
    movable = booking.status == Assessment.Status.BOOKED and not cancel_is_late(booking, now)
    slots = selectors.available_slots(exclude=booking.pk)[:60] if movable else []
    manage_link = request.build_absolute_uri(request.path)
    return TemplateResponse(
        request,
        "coaching/assessments/manage_assessment.html",
        {
            "booking": booking,
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
    found = _by_token(request, token)
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
    found = _by_token(request, token)
    if isinstance(found, TemplateResponse):
        return found
    if found.status != Assessment.Status.BOOKED:
        raise Http404("This assessment is not booked.")
    manage_link = request.build_absolute_uri(
        reverse("coaching:manage_assessment", kwargs={"token": token})
    )
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
