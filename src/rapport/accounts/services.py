"""Writes for accounts: users, profiles, login links, login attempts and API tokens."""

from __future__ import annotations

import getpass
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from rapport.accounts.models import ApiToken, LoginAttempt, LoginToken, Profile, User
from rapport.core.errors import RapportError
from rapport.lib.dates import system_time_zone

LOCAL_USERNAME = "local"
# Marks a Rapport token, so secret scanners and people can spot one. Not itself a secret.
API_TOKEN_SCHEME = "rpt_"  # noqa: S105
API_TOKEN_PREFIX_CHARS = 8  # shown in Settings to tell tokens apart; too short to guess from
API_TOKEN_NAME_MAX_CHARS = 100
# Writing last_used_at on every request would make each API call a write; a minute is
# precise enough for "last used" and keeps busy clients read-only.
API_TOKEN_TOUCH_INTERVAL = timedelta(minutes=1)
PROFILE_LIST_FIELDS = ("schools", "past_employers", "target_roles", "target_industries")


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@transaction.atomic
def user_create(
    *,
    email: str,
    password: str | None,
    display_name: str = "",
    username: str | None = None,
    time_zone: str = "UTC",
) -> User:
    """A new user with a profile. `password=None` makes a link-only account."""
    email = email.strip()
    if email and User.objects.filter(email__iexact=email).exists():
        raise RapportError(
            "An account with that email address already exists.",
            code="duplicate",
            fields={"email": "already registered"},
        )
    user = User(username=username or email.lower(), email=email)
    if password is None:
        user.set_unusable_password()
    else:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise RapportError(
                " ".join(exc.messages), fields={"password": exc.messages[0]}
            ) from exc
        user.set_password(password)
    try:
        user.save()
    except IntegrityError as exc:
        raise RapportError(
            "That username is taken.", code="duplicate", fields={"username": "taken"}
        ) from exc
    Profile.objects.create(user=user, display_name=display_name.strip(), time_zone=time_zone)
    return user


@transaction.atomic
def local_user_ensure() -> User:
    """The single user of a local installation, made on first start."""
    user = User.objects.filter(username=LOCAL_USERNAME).first()
    if user is not None:
        Profile.objects.get_or_create(user=user)
        return user
    return user_create(
        email="",
        password=None,
        username=LOCAL_USERNAME,
        display_name=_os_user_name(),
        time_zone=system_time_zone(),
    )


def _os_user_name() -> str:
    try:
        return getpass.getuser().replace(".", " ").title()
    except (KeyError, OSError):  # no passwd entry, as in some containers
        return ""


@dataclass(frozen=True)
class IssuedLink:
    token: str
    expires_at: datetime


@transaction.atomic
def login_token_issue(*, user: User, now: datetime | None = None) -> IssuedLink:
    now = now or timezone.now()
    raw = secrets.token_urlsafe(32)
    expires_at = now + timedelta(minutes=settings.LOGIN_LINK_MINUTES)
    LoginToken.objects.create(user=user, token_hash=hash_token(raw), expires_at=expires_at)
    LoginToken.objects.filter(expires_at__lt=now - timedelta(days=1)).delete()
    return IssuedLink(token=raw, expires_at=expires_at)


@transaction.atomic
def login_token_redeem(*, token: str, now: datetime | None = None) -> User | None:
    """The token's user, once: a conditional update makes a second use find nothing."""
    now = now or timezone.now()
    token_hash = hash_token(token)
    claimed = LoginToken.objects.filter(
        token_hash=token_hash, used_at__isnull=True, expires_at__gt=now
    ).update(used_at=now)
    if not claimed:
        return None
    user = LoginToken.objects.select_related("user").get(token_hash=token_hash).user
    return user if user.is_active else None


@transaction.atomic
def login_attempt_record(
    *, username: str, ip_address: str | None, now: datetime | None = None
) -> None:
    """Count a failed password; attempts older than the throttle window are dropped."""
    now = now or timezone.now()
    LoginAttempt.objects.create(
        username=username.strip().lower()[:254], ip_address=ip_address, attempted_at=now
    )
    window = timedelta(minutes=settings.LOGIN_THROTTLE_MINUTES)
    LoginAttempt.objects.filter(attempted_at__lt=now - window).delete()


def login_attempts_clear(*, username: str) -> None:
    LoginAttempt.objects.filter(username=username.strip().lower()).delete()


@transaction.atomic
def profile_update(*, user: User, data: dict[str, Any]) -> Profile:
    """Save the fields given; list fields take lists of strings (blanks dropped)."""
    profile, _ = Profile.objects.select_for_update().get_or_create(user=user)
    for name, value in data.items():
        if name in PROFILE_LIST_FIELDS:
            value = _clean_list(value)
        setattr(profile, name, value)
    try:
        profile.full_clean()
    except ValidationError as exc:
        raise RapportError(
            "Some profile fields need fixing.",
            fields={field: " ".join(msgs) for field, msgs in exc.message_dict.items()},
        ) from exc
    profile.save()
    return profile


def _clean_list(items: list[str]) -> list[str]:
    """Whitespace tidied, blanks and case-insensitive repeats dropped, order kept."""
    kept: list[str] = []
    seen: set[str] = set()
    for item in items:
        text = " ".join(str(item).split())
        if text and text.casefold() not in seen:
            seen.add(text.casefold())
            kept.append(text)
    return kept


@transaction.atomic
def user_make_superuser(*, user: User) -> User:
    user.is_staff = True
    user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    return user


@transaction.atomic
def api_token_create(*, owner: User, name: str) -> tuple[ApiToken, str]:
    """A new personal access token and its raw value, which is shown once and never stored."""
    name = " ".join(name.split())
    if not name:
        raise RapportError(
            "Give the token a name, such as the program that will use it.",
            fields={"name": "required"},
        )
    if len(name) > API_TOKEN_NAME_MAX_CHARS:
        raise RapportError(
            f"Keep the name under {API_TOKEN_NAME_MAX_CHARS} characters.",
            fields={"name": "too long"},
        )
    raw = API_TOKEN_SCHEME + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        owner=owner, name=name, token_hash=hash_token(raw), prefix=raw[:API_TOKEN_PREFIX_CHARS]
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, owner: User, token_id: int, now: datetime | None = None) -> ApiToken:
    """Stop a token working at once. Revoking twice is harmless; the first time is kept."""
    token = ApiToken.objects.for_owner(owner).select_for_update().filter(pk=token_id).first()
    if token is None:
        raise RapportError("That token was not found in your account.", code="not_found")
    if token.revoked_at is None:
        token.revoked_at = now or timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
    return token


def api_token_authenticate(*, raw_token: str, now: datetime | None = None) -> User | None:
    """The active user a live token belongs to, or None.

    The lookup is by the token's SHA-256 hash, so no comparison ever runs on the secret
    itself and a copy of the database holds nothing that works as a token. It writes only
    to note when the token was last used, at most once a minute, with one conditional
    UPDATE (no transaction, so a burst of API calls never queues on SQLite's write lock).

    Every API call runs this, so it is one hand-written indexed query rather than the
    ORM's (whose query building cost more than the review the call asks for), and the
    user row itself is only loaded if the endpoint needs it.
    """
    if not raw_token.startswith(API_TOKEN_SCHEME) or len(raw_token) > 200:
        return None
    now = now or timezone.now()
    stale = now - API_TOKEN_TOUCH_INTERVAL
    found = _live_token(hash_token(raw_token), stale)
    if found is None:
        return None
    token_id, owner_id, needs_touch = found
    if needs_touch:
        ApiToken.objects.filter(pk=token_id).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=stale)
        ).update(last_used_at=now)
    return cast(User, SimpleLazyObject(lambda: User.objects.get(pk=owner_id)))


def _live_token(token_hash: str, stale: datetime) -> tuple[int, int, bool] | None:
    """(token id, owner id, whether last_used_at is older than `stale`) for a live token."""
    tokens, users = ApiToken._meta.db_table, User._meta.db_table
    # Table names come from the models; every value is a query parameter.
    sql = (
        f"SELECT t.id, t.owner_id, CASE WHEN t.last_used_at IS NULL OR t.last_used_at < %s "  # noqa: S608
        f"THEN 1 ELSE 0 END FROM {tokens} t JOIN {users} u ON u.id = t.owner_id "
        "WHERE t.token_hash = %s AND t.revoked_at IS NULL AND u.is_active"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [connection.ops.adapt_datetimefield_value(stale), token_hash])
        row = cursor.fetchone()
    return (int(row[0]), int(row[1]), bool(row[2])) if row else None
