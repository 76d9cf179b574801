"""The client's side of the message thread, at /me/messages/."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from clients.messages.forms import EarlierForm, MessageForm
from clients.messages.selectors import thread_page
from clients.messages.services import mark_read, send_message
from clients.models import CONSENT_TEXT, Client
from clients.services import ProgramError, has_consented
from clients.views import ClientRequest, client_required

SENT = "Message sent. Your coach will get an email saying there is a message for them."


@require_http_methods(["GET", "POST"])
@client_required
def message_thread(request: ClientRequest, client: Client) -> HttpResponse:
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
                if not request.htmx:
                    messages.success(request, SENT)
                    return redirect("clients:message_thread")
                form, sent = MessageForm(), SENT
    earlier = EarlierForm(request.GET)
    before = earlier.cleaned_data["before"] if earlier.is_valid() else None
    thread = thread_page(client=client, reader=request.user, before=before)
    if thread.has_unseen:
        mark_read(client=client, reader=request.user, up_to=thread.newest_id)
    template = "clients/messages/thread.html"
    if request.htmx:
        template += "#thread"
    return TemplateResponse(
        request,
        template,
        {
            "thread": thread,
            "form": form,
            "sent": sent,
            "consented": has_consented(client),
            "can_write": has_consented(client),
            "page_title": "Messages",
            "consent_text": CONSENT_TEXT,
            "post_url": reverse("clients:message_thread"),
            "zone": client.zone,
        },
    )
