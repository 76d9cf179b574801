"""The visitor books the free movement assessment: free times, the booking form with its
safety check (red flags), and a contact request after a "see a doctor first".

The waitlist and its held times are in views/waitlist.py; the booking's private pages
(manage, .ics, outcome) in views/manage.py; the coach's pages in views/coach.py.
"""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import push_url

from clients.emergency import emergency_number
from coaching.accounts.models import Coach
from coaching.accounts.roles import HtmxRequest
from coaching.accounts.services import Attempt, give_back, spend_booking
from coaching.assessments import links, selectors
from coaching.assessments.forms import COMMON_ZONES, ContactForm, IntakeForm
from coaching.assessments.models import ScreenOut
from coaching.assessments.services import (
    AlreadyBooked,
    SlotTaken,
    book_assessment,
    record_screen_out,
    save_contact_request,
)
from coaching.assessments.services.manage import resend_manage_link
from coaching.assessments.slots import (
    Slot,
    group_by_day_and_part,
    nearest_slots,
    parse_slot,
)

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


def too_many(
    request: HttpRequest, attempt: Attempt, template: str, **context: Any
) -> TemplateResponse:
    """429 with Retry-After: this connection spent its attempts; the page says how long."""
    response = TemplateResponse(
        request, template, {**context, "minutes": attempt.minutes}, status=429
    )
    response["Retry-After"] = str(attempt.minutes * 60)
    return response


def refused(request: HttpRequest, attempt: Attempt) -> TemplateResponse:
    return too_many(request, attempt, "coaching/assessments/book_refused.html", too_many=True)


def screened_out(request: HttpRequest, form: IntakeForm, zone: str) -> TemplateResponse:
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


def already_booked(request: HttpRequest, error: AlreadyBooked) -> TemplateResponse:
    """The page never shows whose booking it is: the link goes to the booking's own inbox."""
    if error.assessment is not None:
        resend_manage_link(assessment=error.assessment)
    return TemplateResponse(request, "coaching/assessments/book_exists.html", {})


def book_context(form: IntakeForm, slot: Slot, zone: str, **extra: Any) -> dict[str, Any]:
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
    context = book_context(form, nearest[0], zone, nearest=nearest, taken=requested)
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
            request, "coaching/assessments/book.html", book_context(form, slot, zone)
        )
    if form.is_bot():
        return TemplateResponse(request, "coaching/assessments/book_refused.html", {}, status=400)
    if slot is None:
        return _taken_meanwhile(request, form, requested[1], zone)
    # A form with field errors re-renders without spending the visitor's budget.
    if not form.is_valid():
        return TemplateResponse(
            request, "coaching/assessments/book.html", book_context(form, slot, zone)
        )
    attempt = spend_booking(request=request)
    if not attempt.allowed:
        return refused(request, attempt)
    if form.tier():
        return screened_out(request, form, zone)
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
        return already_booked(request, exc)
    return redirect(links.manage_path(booked.token) + "?booked=1")


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
        return refused(request, attempt)
    save_contact_request(name=form.cleaned_data["name"], email=form.cleaned_data["email"])
    return TemplateResponse(request, "coaching/assessments/contact_saved.html", {})
