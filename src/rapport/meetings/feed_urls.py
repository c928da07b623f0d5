"""The private calendar feed and its buttons on the Settings page."""

from django.urls import path

from rapport.meetings import feed_views

urlpatterns = [
    path("calendar/<str:token>.ics", feed_views.calendar_feed, name="calendar_feed"),
    path("settings/calendar-feed/", feed_views.calendar_feed_create, name="calendar_feed_create"),
    path(
        "settings/calendar-feed/revoke/",
        feed_views.calendar_feed_revoke,
        name="calendar_feed_revoke",
    ),
]
