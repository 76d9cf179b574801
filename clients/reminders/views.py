"""Reminder pages: saving the choices from /me/settings/, and the one-tap unsubscribe."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from clients.forms import ZoneForm
from clients.models import Client
from clients.reminders.forms import ReminderForm
from clients.reminders.services import client_of_token, save_reminders, unsubscribe
from clients.views import ClientRequest, client_required


@require_POST
@client_required
def save_reminder_settings(request: ClientRequest, client: Client) -> HttpResponse:
    form = ReminderForm(request.POST, prefix="reminders")
    if form.is_valid():
        save_reminders(
            client=client,
            training_days=form.cleaned_data["training_days"],
            training_time=form.cleaned_data["training_time"],
            check_in_time=form.cleaned_data["check_in_time"],
        )
        messages.success(request, f"Saved. Reminder times follow your time zone, {client.zone}.")
        return redirect("clients:settings_page")
    return TemplateResponse(
        request,
        "clients/settings.html",
        {
            "form": ZoneForm(initial={"time_zone": client.zone}),
            "reminder_form": form,
            "client": client,
        },
    )


@csrf_exempt  # The link's signed token is the proof; mail apps POST it with no cookie (RFC 8058).
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe_page(request: HttpRequest) -> HttpResponse:
    """One tap from an email: a page with one button, or the mail app's own POST."""
    token = request.GET.get("t", "")
    client_id = client_of_token(token)
    if client_id is None:
        return TemplateResponse(
            request, "clients/reminders/unsubscribe.html", {"invalid": True}, status=400
        )
    done = False
    if request.method == "POST":
        unsubscribe(client_id=client_id)
        done = True
    return TemplateResponse(
        request, "clients/reminders/unsubscribe.html", {"token": token, "done": done}
    )
