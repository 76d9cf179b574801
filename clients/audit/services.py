"""Recording views, exports and erasures on the audit trail (changes record themselves)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.db import models

from clients.audit.models import AuditEntry

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from coaching.accounts.models import User

# Fields never copied into the trail: secrets, and state the gate derives.
NEVER_LOGGED = ["password", "last_login", "token_hash", "manage_token_hash", "feed_token_hash"]


def register(*model_classes: type[models.Model]) -> None:
    """Record every create, change and delete of these models, with who made it."""
    for model in model_classes:
        exclude = [f.name for f in model._meta.fields if f.name in NEVER_LOGGED]
        exclude += [f.name for f in model._meta.fields if f.name.startswith("gate_")]
        auditlog.register(model, exclude_fields=exclude)


def record(
    *,
    actor: User | AnonymousUser,
    action: str,
    client: models.Model | None = None,
    obj: models.Model | None = None,
    detail: str = "",
    extra: dict[str, Any] | None = None,
) -> AuditEntry:
    """One entry for something the app saw or did: a view, an export, an erasure.

    `obj` is the record looked at (the client by default); the entry names the
    client by id, so the client's whole trail can be read, and erased, at once.
    """
    target = obj if obj is not None else client
    data: dict[str, Any] = {"what": action, **(extra or {})}
    if client is not None:
        data["client_id"] = client.pk
    content_type = (
        ContentType.objects.get_for_model(target)
        if target is not None
        else ContentType.objects.get_by_natural_key("clients", "client")
    )
    entry: AuditEntry = AuditEntry.objects.create(
        content_type=content_type,
        object_pk=str(target.pk) if target is not None else "",
        object_id=target.pk if target is not None else None,
        object_repr=detail or action,
        action=AuditEntry.Action.ACCESS,
        actor=actor if actor.is_authenticated else None,
        additional_data=data,
    )
    return entry


def record_views(*, actor: User | AnonymousUser, objs: list[models.Model], detail: str = "") -> int:
    """A view entry for each record a page showed, in one INSERT (say, every intake on
    the coach's assessments page); each names its client when it has one."""
    if not objs:
        return 0
    entries = [
        AuditEntry(
            content_type=ContentType.objects.get_for_model(obj),
            object_pk=str(obj.pk),
            object_id=obj.pk,
            object_repr=detail or "view",
            action=AuditEntry.Action.ACCESS,
            actor=actor if actor.is_authenticated else None,
            additional_data=_view_data(getattr(obj, "client_id", None)),
        )
        for obj in objs
    ]
    return len(AuditEntry.objects.bulk_create(entries))


def _view_data(client_id: int | None) -> dict[str, Any]:
    return {"what": "view", "client_id": client_id} if client_id else {"what": "view"}
