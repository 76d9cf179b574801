"""The client's side of the message thread, at /me/messages/."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from clients.messages.forms import EarlierForm, MessageForm
from clients.messages.selectors import Thread, thread_page
from clients.messages.services import mark_read, send_message
from clients.models import CONSENT_TEXT, Client
from clients.services import ProgramError, has_consented
from clients.views import ClientRequest, client_required

if TYPE_CHECKING:
    from coaching.accounts.models import User

SENT = "Message sent. Your coach will get an email saying there is a message for them."


def post_message(data: QueryDict, client: Client, *, author: User) -> tuple[MessageForm, bool]:
    """Send what was posted to the client's thread, either side: the form, and whether it went.

    A refusal (no consent yet, too long) is an error on the text field.
    """
    form = MessageForm(data)
    if not form.is_valid():
        return form, False
    try:
        send_message(client=client, author=author, text=form.cleaned_data["text"])
    except ProgramError as exc:
        form.add_error("text", str(exc))
        return form, False
    return MessageForm(), True


def open_thread(query: QueryDict, client: Client, *, reader: User) -> Thread:
    """The page of the thread asked for (?before=), moving the reader's marker to its end."""
    earlier = EarlierForm(query)
    before = earlier.cleaned_data["before"] if earlier.is_valid() else None
    thread = thread_page(client=client, reader=reader, before=before)
    if thread.has_unseen:
        mark_read(client=client, reader=reader, up_to=thread.newest_id)
    return thread


@require_http_methods(["GET", "POST"])
@client_required
def message_thread(request: ClientRequest, client: Client) -> HttpResponse:
    form, sent = MessageForm(), ""
    if request.method == "POST":
        form, went = post_message(request.POST, client, author=request.user)
        if went and not request.htmx:
            messages.success(request, SENT)
            return redirect("clients:message_thread")
        sent = SENT if went else ""
    thread = open_thread(request.GET, client, reader=request.user)
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
