"""Account pages, under /accounts/: Django's auth views plus accepting an invite."""

from django.urls import include, path

from coaching.accounts import views

urlpatterns = [
    path("login/", views.StudioLoginView.as_view(), name="login"),
    path("password_reset/", views.StudioPasswordResetView.as_view(), name="password_reset"),
    path("invite/<str:token>/", views.accept_invitation, name="accept_invite"),
    path("", include("django.contrib.auth.urls")),
]
