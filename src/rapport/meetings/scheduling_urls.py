"""Scheduling: from the times offered to a meeting in both calendars."""

from django.urls import path

from rapport.meetings import scheduling_views as views

urlpatterns = [
    path("contacts/<int:contact_id>/schedule/", views.schedule_new, name="schedule_new"),
    path("meetings/<int:meeting_id>/time/", views.meeting_time, name="meeting_time"),
    path("meetings/<int:meeting_id>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("meetings/<int:meeting_id>/news/", views.meeting_news, name="meeting_news"),
]
