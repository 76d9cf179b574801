"""Privacy pages: the notice, the client's own data, a coach's export and erasure."""

from django.urls import path

from coaching.privacy import views

urlpatterns = [
    path("privacy/", views.privacy, name="privacy"),
    path("me/data/", views.my_data, name="my_data"),
    path(
        "coach/clients/<int:client_id>/export.<str:kind>",
        views.export_client,
        name="export_client",
    ),
    path("coach/clients/<int:client_id>/erase/", views.erase_client_page, name="erase_client_page"),
]
