"""The coach's side of a client's message thread, at /coach/clients/<id>/messages/."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from clients.audit.services import record
from clients.messages.forms import EarlierForm, MessageForm
from clients.messages.selectors import thread_page
from clients.messages.services import mark_read, send_message
from clients.services import ProgramError, has_consented
from coaching.accounts.roles import StudioRequest, coach_required
from coaching.coach.selectors import access_client


@require_http_methods(["GET", "POST"])
@coach_required
def client_messages(request: StudioRequest, client_id: int) -> HttpResponse:
    client = access_client(request.user, client_id)
    form = MessageForm()
    sent = ""
    if request.method == "POST":
        form = MessageForm(request.POST)
        if form.is_valid():
            try:
                send_message(client=client, author=request.user, text=form.cleaned_data["text"])
            except ProgramError as exc:
                form.add_error("text", str(exc))
            else:
                sent = f"Message sent. {client.user.first_name or client.name} will get an email."
                if not request.htmx:
                    messages.success(request, sent)
                    return redirect("coaching:client_messages", client_id=client.pk)
                form = MessageForm()
    else:
        record(actor=request.user, client=client, action="view messages")
    earlier = EarlierForm(request.GET)
    before = earlier.cleaned_data["before"] if earlier.is_valid() else None
    thread = thread_page(client=client, reader=request.user, before=before)
    if thread.has_unseen:
        mark_read(client=client, reader=request.user, up_to=thread.newest_id)
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
