from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from rapport.accounts.models import User


class EmailOrUsernameBackend(ModelBackend):
    """Accepts the email address (any case) or the username in the one login field."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if not username or password is None:
            return None
        login = username.strip()
        user = (
            User.objects.filter(email__iexact=login).first()
            if "@" in login
            else User.objects.filter(username=login).first()
        )
        if user is None:
            # Spend the same time as a real check, so timing does not reveal who exists.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
