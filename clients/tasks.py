"""Background work for client records: telling the coach and the client what changed.

Emails and task arguments carry no health data: only ids, who, and a link.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.urls import reverse

from clients.models import Client, EmergencyReport, StageAssignment


def absolute_url(path: str) -> str:
    """A link for an email: background tasks have no request to build one from."""
    return settings.SITE_URL.rstrip("/") + path


def _program_link(client: Client) -> str:
    return absolute_url(reverse("coaching:client_detail", kwargs={"client_id": client.pk}))


@task
def alert_coach_of_flare(client_id: int) -> None:
    """Once per flare-up episode: who, and a link to their program."""
    client = Client.objects.select_related("user", "coach").get(pk=client_id)
    send_mail(
        subject=f"Flare-up: {client.name}",
        message=(
            f"{client.name} is flaring up.\n\n"
            f"Open their program to see why and decide what to change:\n{_program_link(client)}\n"
        ),
        from_email=None,
        recipient_list=[client.coach.email],
    )


@task
def alert_coach_of_emergency(report_id: int) -> None:
    """The client asked for urgent contact from the app: who, and a link, nothing more."""
    report = EmergencyReport.objects.select_related("client__user", "client__coach").get(
        pk=report_id
    )
    client = report.client
    send_mail(
        subject=f"Urgent: contact {client.name} now",
        message=(
            f"{client.name} asked, from the app, for you to contact them urgently. "
            f"Please contact them as soon as you can.\n\n{_program_link(client)}\n"
        ),
        from_email=None,
        recipient_list=[client.coach.email],
    )


@task
def tell_client_of_stage_change(assignment_id: int) -> None:
    """The coach changed the client's stage: a link to see what and why."""
    assignment = StageAssignment.objects.select_related("client__user").get(pk=assignment_id)
    client = assignment.client
    if StageAssignment.objects.filter(client=client).first() != assignment:
        return  # undone (or changed again) before the email went: nothing to tell of this one
    send_mail(
        subject=f"Your programme at {settings.STUDIO_NAME} has changed",
        message=(
            f"Hello {client.user.first_name or client.name},\n\n"
            "Your coach has updated your programme. See what changed, and why:\n"
            f"{absolute_url(reverse('clients:today'))}\n"
        ),
        from_email=None,
        recipient_list=[client.user.email],
    )


@task
def recompute_stage(stage_id: int) -> None:
    """After an admin's threshold edit: every client at that stage, each under their lock.

    Stored lights keep the thresholds they were decided with; what is still to be
    decided, and every status, follows the new ones.
    """
    from clients import gate  # gate enqueues this module's alerts: import it late

    for client_id in Client.objects.filter(stage_id=stage_id).values_list("pk", flat=True):
        gate.refresh_by_id(client_id)


@task
def nudge_client(client_id: int) -> None:
    """The coach's nudge: the reminder to train, sent now, with a link and nothing else."""
    client = Client.objects.select_related("user", "coach").get(pk=client_id)
    send_mail(
        subject=f"A nudge from {client.coach.display_name}: time to train",
        message=(
            f"Hello {client.user.first_name or client.name},\n\n"
            f"{client.coach.display_name} is cheering you on. Today's exercise and the log are "
            f"here:\n{absolute_url(reverse('clients:today'))}\n"
        ),
        from_email=None,
        recipient_list=[client.user.email],
    )
