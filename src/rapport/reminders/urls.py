from django.urls import path

from rapport.reminders import views

app_name = "reminders"

urlpatterns = [
    path("today/snooze/", views.action_snooze, name="action_snooze"),
    path("today/no-reply/<int:contact_id>/", views.contact_no_reply, name="contact_no_reply"),
]
