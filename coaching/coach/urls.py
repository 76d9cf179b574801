"""The coach's pages, under /coach/."""

from django.urls import path

from coaching.coach import views
from coaching.coach.views import actions, outcomes, thread

urlpatterns = [
    path("coach/", views.dashboard, name="dashboard"),
    path("coach/clients/new/", views.new_client, name="new_client"),
    path("coach/clients/<int:client_id>/", views.client_detail, name="client_detail"),
    path("coach/clients/<int:client_id>/advance/", actions.advance_client, name="advance_client"),
    path("coach/clients/<int:client_id>/regress/", actions.regress_client, name="regress_client"),
    path("coach/clients/<int:client_id>/move/", actions.move_client, name="move_client"),
    path("coach/clients/<int:client_id>/sign-off/", actions.sign_off, name="sign_off"),
    path("coach/clients/<int:client_id>/undo/", actions.undo_change, name="undo_change"),
    path("coach/clients/<int:client_id>/sheet/", views.stage_sheet, name="stage_sheet"),
    path("coach/bulk/", actions.bulk_action, name="bulk_action"),
    path("coach/clients/<int:client_id>/notes/", actions.add_note, name="add_note"),
    path(
        "coach/clients/<int:client_id>/prescription/",
        actions.update_prescription,
        name="update_prescription",
    ),
    path(
        "coach/clients/<int:client_id>/reassign/", actions.reassign_client, name="reassign_client"
    ),
    path(
        "coach/clients/<int:client_id>/invite/", actions.resend_invitation, name="resend_invitation"
    ),
    path("coach/clients/<int:client_id>/messages/", thread.client_messages, name="client_messages"),
    path(
        "coach/clients/<int:client_id>/outcomes/", outcomes.client_outcomes, name="client_outcomes"
    ),
]
