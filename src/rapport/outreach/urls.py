from django.urls import path

from rapport.outreach import views

app_name = "outreach"

urlpatterns = [
    path("messages/", views.message_list, name="message_list"),
    path("messages/new/", views.message_new, name="message_new"),
    path("messages/<int:message_id>/", views.message_detail, name="message_detail"),
    path("messages/<int:message_id>/edit/", views.message_edit, name="message_edit"),
    path("messages/<int:message_id>/review/", views.message_review, name="message_review"),
    path("messages/<int:message_id>/send/", views.message_send, name="message_send"),
    path("messages/<int:message_id>/letter/", views.message_letter, name="message_letter"),
    path("messages/<int:message_id>/reply/", views.message_reply, name="message_reply"),
    path(
        "messages/<int:message_id>/unschedule/",
        views.message_unschedule,
        name="message_unschedule",
    ),
    path("messages/<int:message_id>/resolve/", views.message_resolve, name="message_resolve"),
    path("messages/<int:message_id>/delete/", views.message_delete, name="message_delete"),
    path("contacts/<int:contact_id>/reply/", views.contact_reply, name="contact_reply"),
    path("messages/templates/", views.template_list, name="template_list"),
    path("messages/templates/new/", views.template_edit, name="template_new"),
    path("messages/templates/<int:template_id>/", views.template_edit, name="template_edit"),
    path(
        "messages/templates/<int:template_id>/delete/",
        views.template_delete,
        name="template_delete",
    ),
]
