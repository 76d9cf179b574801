from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "clients"

    def ready(self) -> None:
        from clients import models
        from clients.audit.services import register

        register(
            models.Client,
            models.StageAssignment,
            models.TrainingSession,
            models.CheckIn,
            models.TechniqueSignoff,
            models.Prescription,
            models.CoachNote,
            models.ConsentRecord,
            models.EmergencyReport,
        )
