"""The meeting itself and what follows it: the live page, takeaways, the thank-you."""

from django.urls import path

from rapport.meetings import day_views as views

urlpatterns = [
    path("meetings/<int:meeting_id>/live/", views.meeting_live, name="meeting_live"),
    path("meetings/<int:meeting_id>/live/start/", views.meeting_start, name="meeting_start"),
    path("meetings/<int:meeting_id>/live/end/", views.meeting_end, name="meeting_end"),
    path("meetings/<int:meeting_id>/live/notes/", views.meeting_notes, name="meeting_notes"),
    path("meetings/<int:meeting_id>/live/asked/", views.meeting_asked, name="meeting_asked"),
    path("meetings/<int:meeting_id>/takeaways/", views.takeaway_add, name="meeting_takeaway_add"),
    path("meetings/<int:meeting_id>/thanks/", views.meeting_thanks, name="meeting_thanks"),
    path("meetings/takeaways/<int:takeaway_id>/", views.takeaway_edit, name="takeaway_edit"),
    path(
        "meetings/takeaways/<int:takeaway_id>/delete/",
        views.takeaway_delete,
        name="takeaway_delete",
    ),
    path(
        "meetings/takeaways/<int:takeaway_id>/contact/",
        views.takeaway_contact,
        name="takeaway_contact",
    ),
]
