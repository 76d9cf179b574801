"""The coach's pages, under /coach/."""

from django.urls import path

from coaching.coach import views

urlpatterns = [
    path("coach/", views.dashboard, name="dashboard"),
    path("coach/clients/new/", views.new_client, name="new_client"),
    path("coach/clients/<int:client_id>/", views.client_detail, name="client_detail"),
    path("coach/clients/<int:client_id>/advance/", views.advance_client, name="advance_client"),
    path("coach/clients/<int:client_id>/regress/", views.regress_client, name="regress_client"),
    path("coach/clients/<int:client_id>/move/", views.move_client, name="move_client"),
    path("coach/clients/<int:client_id>/sign-off/", views.sign_off, name="sign_off"),
    path("coach/clients/<int:client_id>/notes/", views.add_note, name="add_note"),
    path(
        "coach/clients/<int:client_id>/prescription/",
        views.update_prescription,
        name="update_prescription",
    ),
    path("coach/clients/<int:client_id>/reassign/", views.reassign_client, name="reassign_client"),
    path(
        "coach/clients/<int:client_id>/invite/", views.resend_invitation, name="resend_invitation"
    ),
]
