from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "coaching"
    verbose_name = "Studio"

    def ready(self) -> None:
        from clients.audit.services import register
        from coaching import models

        register(models.User, models.Coach, models.Assessment)
