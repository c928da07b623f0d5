from django.urls import path

from rapport.outreach import views

app_name = "outreach"

urlpatterns = [
    path("messages/", views.message_list, name="message_list"),
    path("messages/<int:message_id>/", views.message_detail, name="message_detail"),
]
