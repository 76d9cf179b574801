from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from coaching import assessment_views, views

studio_patterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("assessment/", assessment_views.assessment, name="assessment"),
    path("assessment/book/", assessment_views.book, name="book"),
    path(
        "assessment/manage/<str:token>/",
        assessment_views.manage_assessment,
        name="manage_assessment",
    ),
    path(
        "coach/assessments/",
        assessment_views.coach_assessments_page,
        name="coach_assessments",
    ),
    path(
        "coach/assessments/<int:assessment_id>/status/",
        assessment_views.assessment_status,
        name="assessment_status",
    ),
    path(
        "coach/assessments/<int:assessment_id>/outcome/",
        assessment_views.assessment_outcome,
        name="assessment_outcome",
    ),
    path(
        "coach/assessments/<int:assessment_id>/start/",
        assessment_views.assessment_start_program,
        name="assessment_start_program",
    ),
    path("coach/availability/", assessment_views.availability, name="availability"),
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

urlpatterns = [
    path("", include((studio_patterns, "coaching"))),
    path("exercises/", include("exercises.urls")),
    path("me/", include("clients.urls")),
    path(
        "accounts/login/",
        views.StudioLoginView.as_view(),
        name="login",
    ),
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(
            email_template_name="registration/password_reset_email.txt"
        ),
        name="password_reset",
    ),
    path("accounts/invite/<str:token>/", views.accept_invitation, name="accept_invite"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]
