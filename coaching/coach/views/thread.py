"""The coach's side of a client's message thread, at /coach/clients/<id>/messages/."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from clients.audit.services import record
from clients.messages.forms import MessageForm
from clients.messages.views import open_thread, post_message
from clients.services import has_consented
from coaching.accounts.roles import StudioRequest, coach_required
from coaching.coach.selectors import access_client


@require_http_methods(["GET", "POST"])
@coach_required
def client_messages(request: StudioRequest, client_id: int) -> HttpResponse:
    client = access_client(request.user, client_id)
    form, sent = MessageForm(), ""
    if request.method == "POST":
        form, went = post_message(request.POST, client, author=request.user)
        if went:
            sent = f"Message sent. {client.user.first_name or client.name} will get an email."
            if not request.htmx:
                messages.success(request, sent)
                return redirect("coaching:client_messages", client_id=client.pk)
    else:
        record(actor=request.user, client=client, action="view messages")
    thread = open_thread(request.GET, client, reader=request.user)
    template = "coaching/coach/messages/thread.html"
    if request.htmx:
        template += "#thread"
    return TemplateResponse(
        request,
        template,
        {
            "client": client,
            "thread": thread,
            "form": form,
            "sent": sent,
            "can_write": has_consented(client),
            "page_title": f"Messages with {client.name}",
            "post_url": reverse("coaching:client_messages", kwargs={"client_id": client.pk}),
            "zone": None,
        },
    )
