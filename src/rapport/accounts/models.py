"""The user, their profile, one-time login links, login attempts and API tokens."""

from __future__ import annotations

from datetime import time

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django_countries.fields import CountryField

from rapport.core.models import OwnedModel, TimeStampedModel
from rapport.lib.dates import is_time_zone

DEFAULT_TIME_ZONE = "UTC"


def validate_time_zone(value: str) -> None:
    if not is_time_zone(value):
        raise ValidationError(
            "%(value)s is not a time zone Rapport knows; use a name like Europe/London.",
            params={"value": value},
        )


class User(AbstractUser):
    """Signs in with an email address (server mode) or a one-time link (local mode)."""

    email = models.EmailField("email address", blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="accounts_user_email_unique_ci",
            )
        ]

    @property
    def display_name(self) -> str:
        profile = getattr(self, "profile", None)
        if profile and profile.display_name:
            return str(profile.display_name)
        return self.get_full_name() or self.email or self.username


def working_weekdays() -> list[int]:
    return [0, 1, 2, 3, 4]  # date.weekday(): Monday to Friday


class Situation(models.TextChoices):
    CAREER_CHANGER = "career_changer", "Changing career"
    STUDENT = "student", "Student or recent graduate"
    SAME_FIELD = "same_field", "Already in the field"


class Profile(TimeStampedModel):
    """What the coach and the templates know about the seeker."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    display_name = models.CharField(max_length=120, blank=True)
    time_zone = models.CharField(
        max_length=64, default=DEFAULT_TIME_ZONE, validators=[validate_time_zone]
    )
    country = CountryField(blank=True, help_text="For public holidays in business-day counts.")
    schools = models.JSONField(default=list, blank=True)
    past_employers = models.JSONField(default=list, blank=True)
    target_roles = models.JSONField(default=list, blank=True)
    target_industries = models.JSONField(default=list, blank=True)
    intro = models.TextField(
        "short self-introduction",
        max_length=600,
        blank=True,
        help_text="One or two sentences on who you are and where you are now.",
    )
    signature = models.TextField(max_length=400, blank=True)
    # The follow-up policy (PLAYBOOK.md sections 5 and 10), within the playbook's limits.
    max_nudges = models.PositiveSmallIntegerField(
        "follow-ups per request",
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(2)],
        help_text="How many times to follow up a request that gets no reply: 1, or at most 2.",
    )
    keep_in_touch_weeks = models.PositiveSmallIntegerField(
        "keep in touch every (weeks)",
        default=6,
        validators=[MinValueValidator(2), MaxValueValidator(26)],
        help_text="How long after the last exchange to suggest a short update.",
    )
    # The daily digest of Today's actions, by email, at this hour of the seeker's day.
    digest_enabled = models.BooleanField("email me a daily digest", default=False)
    digest_hour = models.PositiveSmallIntegerField(
        default=8, validators=[MinValueValidator(0), MaxValueValidator(23)]
    )
    last_digest_on = models.DateField(null=True, blank=True, editable=False)
    # For question plans (PLAYBOOK.md section 7): the bank has questions for each.
    situation = models.CharField(
        "where you are coming from",
        max_length=16,
        choices=Situation.choices,
        default=Situation.CAREER_CHANGER,
    )
    # When the seeker can meet, for proposing times (PLAYBOOK.md section 6).
    free_from = models.TimeField("free from", default=time(9, 0))
    free_until = models.TimeField("free until", default=time(17, 30))
    free_weekdays = models.JSONField("days you can meet", default=working_weekdays, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(max_nudges__gte=1, max_nudges__lte=2),
                name="profile_max_nudges_1_2",
            ),
            models.CheckConstraint(
                condition=models.Q(digest_hour__lte=23), name="profile_digest_hour_0_23"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or str(self.user)


class LoginToken(TimeStampedModel):
    """A one-time login link. Only a hash of the token is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="login_tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "expires_at"])]

    def __str__(self) -> str:
        return f"login link for {self.user} until {self.expires_at:%Y-%m-%d %H:%M}"


class LoginAttempt(models.Model):
    """A failed password login, kept briefly to throttle guessing."""

    username = models.CharField(max_length=254)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    attempted_at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["username", "attempted_at"]),
            models.Index(fields=["ip_address", "attempted_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.username} at {self.attempted_at:%Y-%m-%d %H:%M}"


class ApiToken(OwnedModel):
    """A personal access token for the JSON API. Only a hash of the token is stored.

    The prefix (the token's first characters) is kept so the owner can tell tokens apart;
    it is far too short to be used in place of the token.
    """

    name = models.CharField(max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["owner", "revoked_at", "created_at"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
