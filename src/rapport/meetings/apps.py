from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "rapport.meetings"
    label = "meetings"
