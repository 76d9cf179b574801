"""The coach's side of the assessment: booked calls and outcomes, the calendar feed,
screen-out figures and contact requests, and the weekly availability editor."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.db.models import Q
from django.forms.models import BaseModelFormSet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clients.audit.services import record_views
from coaching.accounts.models import Coach
from coaching.accounts.roles import StudioRequest, coach_required
from coaching.assessments import calendars, selectors
from coaching.assessments.forms import zone_names
from coaching.assessments.forms.coach import (
    CoachSettingsForm,
    OutcomeForm,
    StatusForm,
    TimeOffForm,
    TimeOffFormSet,
    WindowForm,
    WindowFormSet,
)
from coaching.assessments.models import Assessment, AvailabilityWindow, TimeOff
from coaching.assessments.services import BookingError
from coaching.assessments.services.coach import (
    forget_contact_request,
    issue_calendar_feed,
    record_outcome,
    save_availability,
    set_assessment_status,
    start_program,
)
from coaching.assessments.slots import CoachCalendar, Slot, Window, free_slots, group_by_day
from coaching.middleware import no_store
from exercises.forms import stage_choices
from exercises.models import Stage

ASSESSMENTS_PAGE = 50


def _coach_assessment(request: StudioRequest, assessment_id: int) -> Assessment:
    found = selectors.coach_assessments(request.user).filter(pk=assessment_id).first()
    if found is None:
        raise Http404("No such assessment.")
    return found


def _outcome_form(
    a: Assessment, bound: OutcomeForm | None, stages: list[Stage] | None = None
) -> OutcomeForm:
    return bound or OutcomeForm(
        prefix=f"a{a.pk}",
        stages=stages,
        initial={
            "why_in_pain": a.why_in_pain,
            "restricted_movements": a.restricted_movements,
            "avoid_stages": [s.pk for s in a.avoid_stages.all()],
            "movements_to_avoid": a.movements_to_avoid,
            "movements_to_do": a.movements_to_do,
            "recommended_stage": a.recommended_stage_id,
        },
    )


def _assessments_page(
    request: StudioRequest, feed_link: str = "", **forms: OutcomeForm
) -> TemplateResponse:
    now = timezone.now()
    # Each list at most a page long, whatever the studio's history: the next 50 calls and
    # the latest 50 past or cancelled.
    rows = selectors.coach_assessments(request.user)
    ahead = Q(status=Assessment.Status.BOOKED, ends_at__gt=now)
    upcoming = list(rows.filter(ahead).order_by("starts_at", "id")[:ASSESSMENTS_PAGE])
    past = list(rows.exclude(ahead).order_by("-starts_at", "-id")[:ASSESSMENTS_PAGE])
    # Forms for the outcomes still to write (and one sent back with errors); a recorded
    # outcome's form loads when the coach opens it (assessment_outcome, GET).
    stages = list(stage_choices())
    outcome_forms = {
        a.pk: _outcome_form(a, forms.get(f"outcome_{a.pk}"), stages)
        for a in past
        if a.status in {Assessment.Status.BOOKED, Assessment.Status.COMPLETED}
        and (not a.has_outcome or f"outcome_{a.pk}" in forms)
    }
    invalid = next((f for f in forms.values() if f.errors), None)
    # The page shows each booking's intake: a view of that assessment, for the trail (on a
    # GET; a form sent back with its errors records nothing, as it saves nothing).
    if request.method == "GET":
        record_views(actor=request.user, objs=[*upcoming, *past], detail="assessments page")
    return TemplateResponse(
        request,
        "coaching/assessments/assessments.html",
        {
            "upcoming": upcoming,
            "next_call": selectors.next_call(upcoming, user=request.user, now=now),
            "past": past,
            "outcome_forms": outcome_forms,
            "now": now,
            "form": invalid,
            "screen_outs": selectors.weekly_screen_outs(),
            "contact_requests": list(selectors.contact_requests()),
            "feed_link": feed_link,
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


@require_http_methods(["GET", "POST"])
@coach_required
def assessment_outcome(request: StudioRequest, assessment_id: int) -> HttpResponse:
    found = _coach_assessment(request, assessment_id)
    if request.method == "GET":
        # One assessment's outcome form, opened from the list (htmx) or on its own page.
        record_views(actor=request.user, objs=[found], detail="outcome form")
        template = "coaching/assessments/outcome_form.html"
        return TemplateResponse(
            request,
            template + "#outcome_form" if request.htmx else template,
            {"a": found, "outcome": _outcome_form(found, None)},
        )
    form = OutcomeForm(request.POST, prefix=f"a{found.pk}")
    if not form.is_valid():
        return _assessments_page(request, "", **{f"outcome_{found.pk}": form})
    first = found.outcome_sent_at is None
    try:
        record_outcome(assessment=found, values=form.cleaned_data)
    except BookingError as exc:
        messages.error(request, str(exc))
    else:
        sent = " We have emailed them a link to read it." if first else ""
        messages.success(request, f"Outcome saved for {found.name}.{sent}")
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


@require_POST
@coach_required
@no_store
def calendar_feed_link(request: StudioRequest) -> HttpResponse:
    """A new private feed link, shown once (an earlier link stops working)."""
    token = issue_calendar_feed(coach=request.user.coach_profile)
    link = request.build_absolute_uri(reverse("coaching:calendar_feed", kwargs={"token": token}))
    return _assessments_page(request, feed_link=link)


@require_GET
@no_store
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """A coach's bookings for their calendar app: first names and "Assessment" only."""
    found = selectors.feed_bookings(token)
    if found is None:
        raise Http404("No such calendar.")
    coach, bookings = found
    return HttpResponse(
        calendars.coach_feed(bookings, coach_name=coach.user.display_name),
        content_type="text/calendar; charset=utf-8",
    )


@require_POST
@coach_required
def contact_request_done(request: StudioRequest, request_id: int) -> HttpResponse:
    forget_contact_request(request_id=request_id)
    messages.success(request, "Contact request removed.")
    return redirect("coaching:coach_assessments")


# --- Availability ---------------------------------------------------------------------------

ROW_KINDS = {"w": WindowFormSet, "off": TimeOffFormSet}
WindowSet = BaseModelFormSet[AvailabilityWindow, WindowForm]
TimeOffSet = BaseModelFormSet[TimeOff, TimeOffForm]


def _ascii_number(value: str) -> bool:
    return value.isascii() and value.isdigit() and len(value) < 10


def _with_row_removed(data: QueryDict, remove: str) -> QueryDict:
    """The POST as if the row named "w-3" (a prefix and an index) were marked for deletion."""
    copy = data.copy()
    prefix, _, index = remove.rpartition("-")
    if prefix in ROW_KINDS and _ascii_number(index):
        copy[f"{prefix}-{index}-DELETE"] = "on"
    return copy


def _preview(
    coach_zone: str, windows: list[Window], coach_id: int
) -> list[tuple[date, list[Slot]]]:
    """The free times the windows give over the next week, in the coach's zone."""
    rules = selectors.rules_now()
    busy = next((c for c in selectors.calendars(coach_id=coach_id)), None)
    calendar = CoachCalendar(
        coach_id=coach_id,
        time_zone=coach_zone,
        windows=windows,
        time_off=busy.time_off if busy else (),
        bookings=busy.bookings if busy else (),
    )
    week = timezone.now() + timedelta(days=7)
    slots = [s for s in free_slots(calendar, rules=rules, now=timezone.now()) if s.start < week]
    return group_by_day(slots, ZoneInfo(coach_zone))


def _valid_windows(window_set: WindowSet) -> list[Window]:
    windows = []
    for form in window_set.forms:
        if not form.is_valid() or form.cleaned_data.get("DELETE"):
            continue
        data = form.cleaned_data
        if {"weekday", "starts_at", "ends_at"} <= data.keys():
            windows.append(Window(int(data["weekday"]), data["starts_at"], data["ends_at"]))
    return windows


def _saved_windows(coach: Coach) -> list[Window]:
    return [Window(w.weekday, w.starts_at, w.ends_at) for w in coach.windows.all()]


def _availability_context(
    coach: Coach,
    settings_form: CoachSettingsForm,
    window_set: WindowSet,
    off_set: TimeOffSet,
    zone: str,
) -> dict[str, Any]:
    windows = _valid_windows(window_set) if window_set.is_bound else _saved_windows(coach)
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
    return {
        "settings_form": settings_form,
        "window_set": window_set,
        "off_set": off_set,
        "has_errors": bool(errors),
        "error_list": errors,
        "coach": coach,
        "zone": zone,
        "zone_names": zone_names(),
        "preview": _preview(zone, windows, coach.pk),
    }


@require_http_methods(["GET", "POST"])
@coach_required
def availability(request: StudioRequest) -> HttpResponse:
    """Weekly windows and time off, both read in the coach's own zone, with a week's preview.

    "Add" and "Remove" work with htmx (one row at a time) and as plain buttons (save, then
    come back with the row added or gone).
    """
    coach = request.user.coach_profile
    posted_zone = request.POST.get("me-time_zone", "").strip().replace(" ", "_")
    zone = posted_zone if posted_zone in zone_names() else coach.time_zone
    data: QueryDict | None = request.POST or None
    if data is not None and data.get("remove"):
        data = _with_row_removed(data, str(data.get("remove")))
    extra = request.GET.get("add", "")
    with timezone.override(ZoneInfo(zone)):
        windows = AvailabilityWindow.objects.filter(coach=coach)
        time_off = TimeOff.objects.filter(coach=coach, ends_at__gt=timezone.now())
        settings_form = CoachSettingsForm(
            data, initial={"time_zone": coach.time_zone, "video_link": coach.video_link}
        )
        window_set = WindowFormSet(data, queryset=windows, prefix="w")
        off_set = TimeOffFormSet(data, queryset=time_off, prefix="off")
        if data is None and extra in ROW_KINDS:
            (window_set if extra == "w" else off_set).extra = 1
        valid = [form.is_valid() for form in (settings_form, window_set, off_set)]
        if data is not None and all(valid):
            save_availability(
                coach=coach,
                time_zone=settings_form.cleaned_data["time_zone"],
                video_link=settings_form.cleaned_data["video_link"],
                changed=[*window_set.save(commit=False), *off_set.save(commit=False)],
                deleted=[*window_set.deleted_objects, *off_set.deleted_objects],
            )
            messages.success(request, "Availability saved.")
            add = data.get("add", "")
            url = reverse("coaching:availability")
            return redirect(url + (f"?add={add}" if add in ROW_KINDS else ""))
        context = _availability_context(coach, settings_form, window_set, off_set, zone)
        return TemplateResponse(request, "coaching/assessments/availability.html", context)


@require_GET
@coach_required
def availability_row(request: StudioRequest) -> HttpResponse:
    """htmx's "Add" (a blank row numbered after the rows on the page) and "Remove".

    Removing a saved row swaps it for its id and a DELETE mark, applied on save;
    removing a row not yet saved leaves nothing (an empty row is ignored).
    """
    kind = request.GET.get("kind", "")
    if kind not in ROW_KINDS:
        raise Http404("No such row.")
    form_class = WindowForm if kind == "w" else TimeOffForm
    # "drop", not "remove": htmx adds the button's own name=value (remove=w-0) to the query.
    if "drop" in request.GET:
        position, row_id = request.GET.get("drop", ""), request.GET.get("id", "")
        if not (
            position.isascii() and position.isdigit() and row_id.isascii() and row_id.isdigit()
        ):
            return HttpResponse("")
        model = AvailabilityWindow if kind == "w" else TimeOff
        row = model.objects.filter(coach=request.user.coach_profile, pk=int(row_id)).first()
        if row is None:
            return HttpResponse("")
        return TemplateResponse(
            request,
            "coaching/assessments/availability.html#removed_row",
            {"kind": kind, "index": position, "row": row},
        )
    raw = request.GET.get(f"{kind}-TOTAL_FORMS", "0")
    index = int(raw) if _ascii_number(raw) and int(raw) < 100 else 0
    coach_zone = ZoneInfo(request.user.coach_profile.time_zone)
    with timezone.override(coach_zone):
        form = form_class(prefix=f"{kind}-{index}", use_required_attribute=False)
    return TemplateResponse(
        request,
        "coaching/assessments/availability.html#new_row",
        {"form": form, "kind": kind, "index": index, "total": index + 1},
    )


@require_POST
@coach_required
def availability_preview(request: StudioRequest) -> HttpResponse:
    """The week's free times from the windows as they are on the page, before saving."""
    coach = request.user.coach_profile
    posted_zone = request.POST.get("me-time_zone", "").strip().replace(" ", "_")
    zone = posted_zone if posted_zone in zone_names() else coach.time_zone
    window_set = WindowFormSet(
        request.POST, queryset=AvailabilityWindow.objects.filter(coach=coach), prefix="w"
    )
    return TemplateResponse(
        request,
        "coaching/assessments/availability.html#week_preview",
        {"preview": _preview(zone, _valid_windows(window_set), coach.pk), "zone": zone},
    )
