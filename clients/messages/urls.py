"""The client's message thread, included under /me/ by clients.urls."""

from django.urls import path

from clients.messages import views

urlpatterns = [
    path("messages/", views.message_thread, name="message_thread"),
]
