"""Preparing for a meeting: the question plan, the printable brief and rehearsal."""

from django.urls import URLPattern, path

from rapport.meetings import plan_views as views

urlpatterns: list[URLPattern] = [
    path("meetings/<int:meeting_id>/plan/", views.plan_detail, name="plan_detail"),
    path("meetings/<int:meeting_id>/plan/add/", views.plan_add, name="plan_add"),
    path("meetings/<int:meeting_id>/plan/bank/", views.plan_add_bank, name="plan_add_bank"),
    path("meetings/<int:meeting_id>/plan/start/", views.plan_start, name="plan_start"),
    path("meetings/<int:meeting_id>/plan/use-pace/", views.plan_use_pace, name="plan_use_pace"),
    path("meetings/questions/<int:question_id>/edit/", views.question_edit, name="question_edit"),
    path("meetings/questions/<int:question_id>/move/", views.question_move, name="question_move"),
    path(
        "meetings/questions/<int:question_id>/remove/",
        views.question_remove,
        name="question_remove",
    ),
    path("meetings/<int:meeting_id>/brief/", views.meeting_brief, name="meeting_brief"),
    path("meetings/<int:meeting_id>/rehearse/", views.rehearse, name="rehearse"),
    path(
        "meetings/rehearsals/<int:rehearsal_id>/", views.rehearsal_detail, name="rehearsal_detail"
    ),
]
