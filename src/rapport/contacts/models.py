"""Companies and the people at them: the seeker's network as a pipeline."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django_countries.fields import CountryField

from rapport.core.models import OwnedModel
from rapport.playbook.stages import STAGE_LABELS, Stage

STAGE_CHOICES = [(stage.value, STAGE_LABELS[stage]) for stage in Stage]

ZERO_TO_THREE = [MinValueValidator(0), MaxValueValidator(3)]


class Company(OwnedModel):
    name = models.CharField(max_length=200)
    # company_key(name): "ACME, Inc." and "Acme" are one company (see rapport.lib.names).
    name_key = models.CharField(max_length=200, default="", editable=False)
    domain = models.CharField(max_length=253, blank=True)
    notes = models.TextField(
        blank=True, help_text="What it does, its standing, what sets it apart."
    )
    keenness = models.PositiveSmallIntegerField(default=0, validators=ZERO_TO_THREE)
    hiring_signal = models.PositiveSmallIntegerField(default=0, validators=ZERO_TO_THREE)
    # Kept up to date by rapport.contacts.ranking from rapport.playbook.priority.
    rank_score = models.FloatField(default=0, editable=False)
    rank_reasons = models.JSONField(default=list, blank=True, editable=False)

    class Meta:
        verbose_name_plural = "companies"
        indexes = [
            models.Index(fields=["owner", "name"]),
            # The company list's order, so a page is read straight off the index.
            models.Index(fields=["owner", "-rank_score", "name", "id"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name_key"], name="company_owner_name_key"),
            models.CheckConstraint(
                condition=models.Q(keenness__lte=3), name="company_keenness_0_3"
            ),
            models.CheckConstraint(
                condition=models.Q(hiring_signal__lte=3), name="company_hiring_signal_0_3"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Tag(OwnedModel):
    name = models.CharField(max_length=50)

    class Meta:
        indexes = [models.Index(fields=["owner", "name"])]
        constraints = [models.UniqueConstraint("owner", Lower("name"), name="tag_owner_name_ci")]

    def __str__(self) -> str:
        return self.name


class Contact(OwnedModel):
    class Source(models.TextChoices):
        LINKEDIN = "linkedin", "LinkedIn"
        VCARD = "vcard", "vCard"
        CSV = "csv", "CSV"
        MANUAL = "manual", "Added by hand"
        REFERRAL = "referral", "Referral"

    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=50, blank=True)
    linkedin_url = models.URLField(max_length=400, blank=True)
    company = models.ForeignKey(
        Company, null=True, blank=True, on_delete=models.SET_NULL, related_name="contacts"
    )
    title = models.CharField(max_length=200, blank=True)
    location = models.CharField(max_length=200, blank=True)
    time_zone = models.CharField(max_length=64, blank=True)
    country = CountryField(blank=True)
    connected_on = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.MANUAL)
    keep_in_touch_weeks = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(2), MaxValueValidator(26)],
        help_text="Weeks between updates to them; empty for your usual cadence.",
    )
    referred_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="referrals"
    )
    stage = models.CharField(max_length=20, choices=STAGE_CHOICES, default=Stage.IDENTIFIED.value)
    research_role = models.TextField("role and responsibilities", blank=True)
    research_tenure = models.CharField("time in role", max_length=200, blank=True)
    research_path = models.TextField("career path", blank=True)
    research_achievements = models.TextField("achievements", blank=True)
    research_writing = models.TextField("writing and talks", blank=True)
    common_ground = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="contacts")
    # Fields the seeker changed by hand: a re-import never overwrites them.
    edited_fields = models.JSONField(default=list, blank=True, editable=False)
    # profile_url_key(linkedin_url), to match a re-imported row to its contact.
    linkedin_key = models.CharField(max_length=400, blank=True, editable=False)
    # Kept up to date by rapport.contacts.ranking from rapport.playbook.priority.
    priority_score = models.FloatField(default=0, editable=False)
    priority_reasons = models.JSONField(default=list, blank=True, editable=False)
    last_activity_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        indexes = [
            # Each sort of the contact list and each pipeline column has an index in its
            # exact order, so a page of 50 is read off the index, not sorted from 30,000.
            models.Index(
                fields=["owner", "stage", "-priority_score", "last_name", "first_name", "id"]
            ),
            models.Index(fields=["owner", "last_name", "first_name"]),
            models.Index(fields=["owner", "company"]),
            models.Index(fields=["owner", "-priority_score", "last_name", "first_name", "id"]),
            models.Index(fields=["owner", "-last_activity_at", "last_name", "first_name", "id"]),
            models.Index(
                fields=["owner", "source", "-priority_score", "last_name", "first_name", "id"]
            ),
            models.Index(fields=["owner", "linkedin_key"]),
            models.Index(fields=["owner", "email"]),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part) or "(no name)"

    @property
    def stage_label(self) -> str:
        return STAGE_LABELS[Stage(self.stage)]


class ContactEvent(OwnedModel):
    """One thing that happened with a contact, for their timeline."""

    class Kind(models.TextChoices):
        CREATED = "created", "Added"
        IMPORTED = "imported", "Imported"
        UPDATED = "updated", "Edited"
        STAGE = "stage", "Stage changed"
        TAGGED = "tagged", "Tagged"
        MESSAGE = "message", "Message"
        MEETING = "meeting", "Meeting"
        NOTE = "note", "Note"

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    at = models.DateTimeField()
    summary = models.CharField(max_length=300)

    class Meta:
        indexes = [models.Index(fields=["owner", "contact", "-at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.summary}"
