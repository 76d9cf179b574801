"""The privacy notice: what the studio keeps about people, why, who sees it, for how long."""

from __future__ import annotations

from email.utils import parseaddr

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clients.audit.services import record
from clients.models import Client, sees_all_clients
from clients.views import client_required
from coaching.accounts.roles import StudioRequest, coach_required
from coaching.coach.selectors import access_client
from coaching.privacy.forms import ConfirmErasureForm, DataRequestForm
from coaching.privacy.models import ErasureRequest
from coaching.privacy.selectors import as_csv_zip, as_json, client_data
from coaching.privacy.services import PrivacyError, erase_client, request_erasure

# Intake answers of bookings that never became clients are deleted this many days after
# the appointment; the retention work reads the same setting.
DEFAULT_INTAKE_RETENTION_DAYS = 90


@require_GET
def privacy(request: HttpRequest) -> TemplateResponse:
    days = getattr(settings, "INTAKE_RETENTION_DAYS", DEFAULT_INTAKE_RETENTION_DAYS)
    context = {"retention_days": days, "contact_email": parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}
    return TemplateResponse(request, "coaching/privacy/privacy.html", context)


def _download(client: Client, kind: str) -> HttpResponse:
    data = client_data(client)
    stamp = timezone.localdate().isoformat()
    if kind == "json":
        response = HttpResponse(as_json(data), content_type="application/json")
        name = f"my-data-{stamp}.json"
    else:
        response = HttpResponse(as_csv_zip(data), content_type="application/zip")
        name = f"my-data-{stamp}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_http_methods(["GET", "POST"])
@client_required
def my_data(request: HttpRequest, client: Client) -> HttpResponse:
    """The client's own page: download everything; ask for it to be erased."""
    if request.method == "POST":
        form = DataRequestForm(request.POST)
        if form.is_valid() and form.cleaned_data["action"] == "erase":
            request_erasure(client=client)
            messages.success(
                request,
                "We have your request. The head coach will erase your data and email you "
                "when it is done.",
            )
            return redirect("coaching:my_data")
        if form.is_valid():
            record(actor=request.user, client=client, action="export")
            return _download(client, form.cleaned_data["action"])
        messages.error(request, "Choose a download, or erasure.")
        return redirect("coaching:my_data")
    pending = ErasureRequest.objects.filter(client=client, carried_out_at__isnull=True).first()
    return TemplateResponse(
        request, "coaching/privacy/my_data.html", {"client": client, "pending": pending}
    )


@require_POST
@coach_required
def export_client(request: StudioRequest, client_id: int, kind: str) -> HttpResponse:
    """A coach downloads their client's data for them (a JSON file or a zip of CSVs)."""
    client = access_client(request.user, client_id)
    record(actor=request.user, client=client, action="export")
    return _download(client, "json" if kind == "json" else "csv")


@require_http_methods(["GET", "POST"])
@coach_required
def erase_client_page(request: StudioRequest, client_id: int) -> HttpResponse:
    """The head coach confirms, then carries out, the erasure of a client's data."""
    if not sees_all_clients(request.user):
        raise PermissionDenied("Only the head coach or a studio admin can erase a client's data.")
    client = access_client(request.user, client_id)
    form = ConfirmErasureForm(request.POST or None, name=client.name)
    if request.method == "POST" and form.is_valid():
        try:
            erase_client(client=client, by=request.user)
        except PrivacyError as exc:
            messages.error(request, str(exc))
            return redirect("coaching:client_detail", client_id=client_id)
        messages.success(
            request, "The client's data is erased. Only a record without a name remains."
        )
        return redirect("coaching:dashboard")
    pending = ErasureRequest.objects.filter(client=client, carried_out_at__isnull=True).first()
    return TemplateResponse(
        request,
        "coaching/privacy/erase.html",
        {"client": client, "form": form, "pending": pending},
    )
