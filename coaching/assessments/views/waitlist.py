"""The waitlist: no time suits, so the visitor leaves an email and the parts of the week
that would; when one comes free it is held for them, and its page takes it or lets it go."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from coaching.accounts.services import spend_booking
from coaching.assessments import links
from coaching.assessments.forms import IntakeForm, WaitlistForm
from coaching.assessments.models import Assessment
from coaching.assessments.services import AlreadyBooked, SlotTaken
from coaching.assessments.services.waitlist import confirm_hold, decline_hold, join_waitlist
from coaching.assessments.slots import Slot
from coaching.assessments.views import (
    already_booked,
    book_context,
    refused,
    screened_out,
    visitor_zone,
)
from coaching.assessments.views.manage import by_token
from coaching.middleware import no_store


@require_http_methods(["GET", "POST"])
def waitlist(request: HttpRequest) -> HttpResponse:
    """No time suits: leave an email and the parts of the week that would."""
    zone = visitor_zone(request)
    form = WaitlistForm(request.POST or None, initial={"tz": zone})
    if request.method == "POST" and form.is_valid():
        attempt = spend_booking(request=request)
        if not attempt.allowed:
            return refused(request, attempt)
        try:
            join_waitlist(
                email=form.cleaned_data["email"],
                preferences=form.cleaned_data["preferences"],
                time_zone=zone,
            )
        except AlreadyBooked as exc:
            return already_booked(request, exc)
        return TemplateResponse(
            request, "coaching/assessments/waitlist_joined.html", {"zone_label": zone}
        )
    return TemplateResponse(
        request,
        "coaching/assessments/waitlist.html",
        {"form": form, "zone": zone, "zone_label": zone.replace("_", " ")},
    )


@require_http_methods(["GET", "POST"])
@no_store
def confirm_hold_page(request: HttpRequest, token: str) -> HttpResponse:
    """A time held for someone on the waitlist: take it with a name, or let it go."""
    found = by_token(request, token)
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
    context = book_context(
        form,
        slot,
        zone,
        action=links.hold_path(token),
        held_until=hold.held_until,
    )
    if request.method == "GET" or not form.is_valid():
        return TemplateResponse(request, "coaching/assessments/book.html", context)
    if form.tier():
        decline_hold(assessment=hold)
        return screened_out(request, form, zone)
    try:
        confirm_hold(assessment=hold, intake=form.intake(), visitor_time_zone=zone)
    except SlotTaken:
        return TemplateResponse(request, "coaching/assessments/hold_ended.html", {})
    except AlreadyBooked as exc:
        return already_booked(request, exc)
    return redirect(links.manage_path(token) + "?booked=1")
