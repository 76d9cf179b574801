"""The admin's delete of a client is the audited erasure, not a cascade."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from clients.admin import ClientAdmin
from clients.models import Client
from coaching.accounts.models import User
from coaching.privacy.services import erase_client


class ErasingClientAdmin(ClientAdmin):
    """Deleting a client here erases them through coaching.privacy, every table included."""

    def get_deleted_objects(
        self, objs: Any, request: HttpRequest
    ) -> tuple[list[str], dict[str, int], set[str], list[str]]:
        names = [f"{client} and everything about them, in every table" for client in objs]
        return names, {"clients": len(names)}, set(), []

    def delete_model(self, request: HttpRequest, obj: Client) -> None:
        assert isinstance(request.user, User)
        erase_client(client=obj, by=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Client]) -> None:
        assert isinstance(request.user, User)
        for client in queryset:
            erase_client(client=client, by=request.user)


admin.site.unregister(Client)
admin.site.register(Client, ErasingClientAdmin)
