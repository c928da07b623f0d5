from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

import rapport

NAVIGATION = (
    ("web:today", "Today"),
    ("contacts:contact_list", "Contacts"),
    ("contacts:pipeline", "Pipeline"),
    ("contacts:company_list", "Companies"),
    ("outreach:message_list", "Messages"),
    ("meetings:meeting_list", "Meetings"),
    ("web:coach", "Coach"),
    ("web:insights", "Insights"),
    ("accounts:settings", "Settings"),
)


def globals_for_templates(request: HttpRequest) -> dict[str, Any]:
    return {
        "navigation": NAVIGATION,
        "server_mode": settings.SERVER_MODE,
        "signup_enabled": settings.SIGNUP_ENABLED,
        "rapport_version": rapport.__version__,
    }
