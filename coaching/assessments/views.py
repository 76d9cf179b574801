"""Pages for the free movement assessment: visitors book it, coaches run it."""

from __future__ import annotations

import zoneinfo
from datetime import date, timedelta
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

from coaching.accounts.models import Coach
from coaching.accounts.roles import HtmxRequest, StudioRequest, coach_required
from coaching.accounts.services import Attempt, give_back, spend_booking, spend_link_guess
from coaching.assessments.forms import (
    CoachSettingsForm,
    IntakeForm,
    ManageBookingForm,
    OutcomeForm,
    StatusForm,
    TimeOffFormSet,
    WindowFormSet,
)
from coaching.assessments.models import Assessment, AvailabilityWindow, TimeOff
from coaching.assessments.selectors import (
    available_slots,
    coach_assessments,
    find_by_token,
    find_free_slot,
)
from coaching.assessments.services import (
    BookingError,
    SlotTaken,
    book_assessment,
    cancel_assessment,
    record_outcome,
    reschedule_assessment,
    save_availability,
    set_assessment_status,
    start_program,
)
from coaching.assessments.slots import Slot, group_by_day, parse_slot
from coaching.middleware import no_store

COMMON_ZONES = [
    "Europe/London",
    "Europe/Dublin",
    "Europe/Lisbon",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Madrid",
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
DAYS_SHOWN = 7
TZ_COOKIE = "tz"


def visitor_zone(request: HttpRequest) -> str:
    """The visitor's time zone: from the page's choice, else their remembered one, else ours."""
    for candidate in (
        request.GET.get("tz"),
        request.POST.get("tz"),
        request.COOKIES.get(TZ_COOKIE),
    ):
        if candidate and candidate in zoneinfo.available_timezones():
            return candidate
    return settings.TIME_ZONE


def _remember_zone(response: HttpResponse, zone: str) -> HttpResponse:
    response.set_cookie(TZ_COOKIE, zone, max_age=365 * 24 * 3600, samesite="Lax")
    return response


def _zone_choices(zone: str) -> list[tuple[str, str]]:
    names = COMMON_ZONES if zone in COMMON_ZONES else [zone, *COMMON_ZONES]
    return [(name, name.replace("_", " ")) for name in names]


def _slot_days(slots: list[Slot], zone: str, start: date | None) -> dict[str, Any]:
    days = group_by_day(slots, ZoneInfo(zone))
    if not days:
        return {"days": [], "previous": None, "next": None}
    first = start if start and days[0][0] <= start <= days[-1][0] else days[0][0]
    shown = [(d, s) for d, s in days if first <= d < first + timedelta(days=DAYS_SHOWN)]
    earlier = [d for d, _ in days if d < first]
    later = [d for d, _ in days if d >= first + timedelta(days=DAYS_SHOWN)]
    return {
        "days": shown,
        "previous": max(first - timedelta(days=DAYS_SHOWN), earlier[0]) if earlier else None,
        "next": later[0] if later else None,
    }


@require_GET
def assessment(request: HtmxRequest) -> HttpResponse:
    zone = visitor_zone(request)
    coaches = list(Coach.objects.filter(windows__isnull=False).distinct().select_related("user"))
    coach_param = request.GET.get("coach", "")
    coach_id = next((c.pk for c in coaches if str(c.pk) == coach_param), None)
    try:
        start = date.fromisoformat(request.GET.get("from", ""))
    except ValueError:
        start = None
    slots = available_slots(coach_id=coach_id)
    context = {
        "zone": zone,
        "zone_label": zone.replace("_", " "),
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
        _remember_zone(response, zone)
    if request.htmx:
        query = request.GET.urlencode()
        return push_url(response, request.path + (f"?{query}" if query else ""))
    return response


def _chosen_slot(value: str, *, exclude: int | None = None) -> Slot | None:
    parsed = parse_slot(value)
    if parsed is None:
        return None
    coach_id, start = parsed
    return find_free_slot(coach_id, start, exclude=exclude)


def _slot_gone(request: HttpRequest, message: str) -> HttpResponse:
    messages.error(request, message)
    return redirect("coaching:assessment")


@require_http_methods(["GET", "POST"])
def book(request: HttpRequest) -> HttpResponse:
    zone = visitor_zone(request)
    value = request.POST.get("slot") or request.GET.get("slot", "")
    slot = _chosen_slot(value)
    if slot is None:
        return _slot_gone(
            request,
            "That time is not available any more (or the link was changed). "
            "Please pick one of the free times below.",
        )
    coach = Coach.objects.select_related("user").get(pk=slot.coach_id)
    form = IntakeForm(request.POST or None)
    context: dict[str, Any] = {
        "form": form,
        "slot": slot,
        "coach": coach,
        "zone": zone,
        "zone_label": zone.replace("_", " "),
    }
    if request.method == "POST":
        if form.is_bot():
            return TemplateResponse(
                request, "coaching/assessments/book_refused.html", context, status=400
            )
        # A form with field errors re-renders without spending the visitor's budget.
        if form.is_valid():
            attempt = spend_booking(request=request)
            if not attempt.allowed:
                response = TemplateResponse(
                    request,
                    "coaching/assessments/book_refused.html",
                    {**context, "too_many": True, "minutes": attempt.minutes},
                    status=429,
                )
                response["Retry-After"] = str(attempt.minutes * 60)
                return response
            flags = form.red_flags()
            if flags:
                return TemplateResponse(
                    request, "coaching/assessments/red_flags.html", {"flags": flags}
                )
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
                return _slot_gone(
                    request,
                    "Sorry, someone booked that time just before you. Nothing was booked: "
                    "please pick another time.",
                )
            return redirect(
                reverse("coaching:manage_assessment", kwargs={"token": booked.token}) + "?booked=1"
            )
    return TemplateResponse(request, "coaching/assessments/book.html", context)


def _too_many_guesses(request: HttpRequest, attempt: Attempt) -> TemplateResponse:
    response = TemplateResponse(
        request,
        "coaching/accounts/too_many_attempts.html",
        {"what": "booking links", "minutes": attempt.minutes},
        status=429,
    )
    response["Retry-After"] = str(attempt.minutes * 60)
    return response


@require_http_methods(["GET", "POST"])
@no_store
def manage_assessment(request: HttpRequest, token: str) -> HttpResponse:
    # Spent before the lookup and given back for a real link: only wrong tokens count.
    guess = spend_link_guess(request=request, kind="manage")
    if not guess.allowed:
        return _too_many_guesses(request, guess)
    booking = find_by_token(token)
    if booking is None:
        raise Http404("No such booking.")
    give_back(guess)
    zone = booking.visitor_time_zone
    if request.method == "POST":
        form = ManageBookingForm(request.POST)
        try:
            if not form.is_valid():
                messages.error(request, "Choose to cancel or to move your assessment.")
            elif form.cleaned_data["action"] == "cancel":
                cancel_assessment(assessment=booking)
                messages.success(request, "Your assessment is cancelled. We have emailed you.")
            else:
                slot = _chosen_slot(form.cleaned_data["slot"], exclude=booking.pk)
                if slot is None:
                    raise SlotTaken
                reschedule_assessment(
                    assessment=booking, coach_id=slot.coach_id, start=slot.start, token=token
                )
                messages.success(
                    request, "Your assessment has moved. We have emailed a new invite."
                )
        except SlotTaken:
            messages.error(request, "That time is not free any more. Please pick another.")
        except BookingError as exc:
            messages.error(request, str(exc))
        return redirect("coaching:manage_assessment", token=token)
    slots: list[Slot] = []
    if booking.status == Assessment.Status.BOOKED:
        slots = available_slots(exclude=booking.pk)[:60]
    return TemplateResponse(
        request,
        "coaching/assessments/manage_assessment.html",
        {
            "booking": booking,
            "zone": zone,
            "zone_label": zone.replace("_", " "),
            "tz_zone": ZoneInfo(zone),
            "just_booked": request.GET.get("booked") == "1",
            "days": group_by_day(slots, ZoneInfo(zone)),
        },
    )


# --- Coach side ---------------------------------------------------------------------------


def _coach_assessment(request: StudioRequest, assessment_id: int) -> Assessment:
    found = coach_assessments(request.user).filter(pk=assessment_id).first()
    if found is None:
        raise Http404("No such assessment.")
    return found


def _assessments_page(request: StudioRequest, **forms: Any) -> TemplateResponse:
    now = timezone.now()
    rows = list(coach_assessments(request.user))
    upcoming = [a for a in rows if a.status == Assessment.Status.BOOKED and a.ends_at > now]
    past = sorted((a for a in rows if a not in upcoming), key=lambda a: a.starts_at, reverse=True)[
        :50
    ]
    outcome_forms = {
        a.pk: forms.get(f"outcome_{a.pk}")
        or OutcomeForm(
            prefix=f"a{a.pk}",
            initial={
                "why_in_pain": a.why_in_pain,
                "restricted_movements": a.restricted_movements,
                "movements_to_avoid": a.movements_to_avoid,
                "movements_to_do": a.movements_to_do,
                "recommended_stage": a.recommended_stage_id,
            },
        )
        for a in past
        if a.status != Assessment.Status.CANCELLED
    }
    invalid = next((f for f in forms.values() if f is not None and f.errors), None)
    return TemplateResponse(
        request,
        "coaching/assessments/assessments.html",
        {
            "upcoming": upcoming,
            "past": past,
            "outcome_forms": outcome_forms,
            "now": now,
            "form": invalid,
        },
    )


@require_GET
@coach_required
def coach_assessments_page(request: StudioRequest) -> TemplateResponse:
    return _assessments_page(request)


@require_POST
@coach_required
def assessment_status(request: StudioRequest, assessment_id: int) -> HttpResponse:
    found = _coach_assessment(request, assessment_id)
    form = StatusForm(request.POST)
    try:
        if not form.is_valid():
            raise BookingError(form.errors["status"][0])
        set_assessment_status(assessment=found, status=form.cleaned_data["status"])
    except BookingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{found.name}: marked {found.get_status_display().lower()}.")
    return redirect("coaching:coach_assessments")


@require_POST
@coach_required
def assessment_outcome(request: StudioRequest, assessment_id: int) -> HttpResponse:
    found = _coach_assessment(request, assessment_id)
    form = OutcomeForm(request.POST, prefix=f"a{found.pk}")
    if not form.is_valid():
        return _assessments_page(request, **{f"outcome_{found.pk}": form})
    try:
        record_outcome(assessment=found, values=form.cleaned_data)
    except BookingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Outcome saved for {found.name}.")
    return redirect("coaching:coach_assessments")


@require_POST
@coach_required
def assessment_start_program(request: StudioRequest, assessment_id: int) -> HttpResponse:
    found = _coach_assessment(request, assessment_id)
    try:
        client = start_program(assessment=found, by=request.user)
    except BookingError as exc:
        messages.error(request, str(exc))
        return redirect("coaching:coach_assessments")
    messages.success(request, f"{client.name} is now a client. We have emailed them an invitation.")
    return redirect("coaching:client_detail", client_id=client.pk)


@require_http_methods(["GET", "POST"])
@coach_required
def availability(request: StudioRequest) -> HttpResponse:
    coach = request.user.coach_profile
    windows = AvailabilityWindow.objects.filter(coach=coach)
    time_off = TimeOff.objects.filter(coach=coach, ends_at__gt=timezone.now())
    data = request.POST or None
    settings_form = CoachSettingsForm(
        data, initial={"time_zone": coach.time_zone, "video_link": coach.video_link}
    )
    window_set = WindowFormSet(data, queryset=windows, prefix="w")
    off_set = TimeOffFormSet(data, queryset=time_off, prefix="off")
    # Validate all three so every error shows at once.
    valid = [form.is_valid() for form in (settings_form, window_set, off_set)]
    if request.method == "POST" and all(valid):
        save_availability(
            coach=coach,
            time_zone=settings_form.cleaned_data["time_zone"],
            video_link=settings_form.cleaned_data["video_link"],
            changed=[*window_set.save(commit=False), *off_set.save(commit=False)],
            deleted=[*window_set.deleted_objects, *off_set.deleted_objects],
        )
        messages.success(request, "Availability saved.")
        return redirect("coaching:availability")
    errors = [
        *window_set.non_form_errors(),
        *off_set.non_form_errors(),
        *(
            error
            for form in (settings_form, *window_set.forms, *off_set.forms)
            for field in form
            for error in field.errors
        ),
    ]
    return TemplateResponse(
        request,
        "coaching/assessments/availability.html",
        {
            "settings_form": settings_form,
            "window_set": window_set,
            "off_set": off_set,
            "has_errors": bool(errors),
            "error_list": errors,
            "coach": coach,
        },
    )
