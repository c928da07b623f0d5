from django.urls import include, path

from rapport.meetings import views

app_name = "meetings"

# Each part of a meeting's life has its own URL module, kept beside its views.
urlpatterns = [
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/<int:meeting_id>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:meeting_id>/invite.ics", views.meeting_invite, name="meeting_invite"),
    path("", include("rapport.meetings.scheduling_urls")),
    path("", include("rapport.meetings.plan_urls")),
    path("", include("rapport.meetings.day_urls")),
    path("", include("rapport.meetings.feed_urls")),
]
