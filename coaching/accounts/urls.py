"""Account pages, under /accounts/: Django's auth views plus accepting an invite."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from coaching.accounts import views

urlpatterns = [
    path("login/", views.StudioLoginView.as_view(), name="login"),
    path(
        "password_reset/",
        auth_views.PasswordResetView.as_view(
            email_template_name="registration/password_reset_email.txt"
        ),
        name="password_reset",
    ),
    path("invite/<str:token>/", views.accept_invitation, name="accept_invite"),
    path("", include("django.contrib.auth.urls")),
]
