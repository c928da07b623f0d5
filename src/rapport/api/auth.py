"""Who is calling: a personal access token, or the browser's signed-in session."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

from rapport.accounts import services
from rapport.accounts.models import User

CSRF_MESSAGE = (
    "The CSRF check failed. A browser session must send the X-CSRFToken header; "
    "a program should send a personal access token instead."
)


class BearerToken(HttpBearer):
    """`Authorization: Bearer rpt_...`, a token made in Settings.

    A token that does not work is a 401 at once, even if the browser also has a session:
    a caller that names its credentials should hear that they failed, not be judged on
    cookies it may not know it sent.
    """

    def authenticate(self, request: HttpRequest, token: str) -> User:
        user = services.api_token_authenticate(raw_token=token)
        if user is None:
            raise AuthenticationError()
        return user


class SignedInSession(SessionAuth):
    """The web app's own session, for pages that call the API from the browser.

    CSRF is checked only once a session is known to be signed in, so a call without any
    credentials is told 401 (sign in) rather than 403 (CSRF).
    """

    def __call__(self, request: HttpRequest) -> User | None:
        user = request.user
        if not isinstance(user, User) or not user.is_authenticated:
            return None
        if check_csrf(request) is not None:
            raise HttpError(403, CSRF_MESSAGE)
        return user
