"""Background privacy work that `manage.py tick` enqueues when it is due."""

from __future__ import annotations

from django.tasks import task

from coaching.privacy import services


@task
def purge_expired_intake() -> int:
    """Retention: intake and outcomes of assessments that never led to a client."""
    return services.purge_expired_intake()
