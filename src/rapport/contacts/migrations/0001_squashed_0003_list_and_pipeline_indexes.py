"""Migrations 0001-0003 as one, for new databases: Django runs this instead of the three
when none of them has been applied (creating each table once, with its indexes, takes a
fraction of the time of replaying every change), and the three otherwise."""

import django.core.validators
import django.db.models.deletion
import django.db.models.functions.text
import django_countries.fields
from django.conf import settings
from django.db import migrations, models


SEARCH_INDEX = "contacts_contact_search_sqlite"  # as in 0003_list_and_pipeline_indexes


def add_search_index(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {SEARCH_INDEX} ON contacts_contact "
            "(owner_id, first_name, last_name, title, company_id, notes)"
        )


def drop_search_index(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP INDEX IF EXISTS {SEARCH_INDEX}")


class Migration(migrations.Migration):
    replaces = [
        ("contacts", "0001_initial"),
        ("contacts", "0002_tags_timeline_ranking"),
        ("contacts", "0003_list_and_pipeline_indexes"),
    ]

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Company",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("name", models.CharField(max_length=200)),
                ("name_key", models.CharField(default="", editable=False, max_length=200)),
                ("domain", models.CharField(blank=True, max_length=253)),
                (
                    "notes",
                    models.TextField(
                        blank=True, help_text="What it does, its standing, what sets it apart."
                    ),
                ),
                (
                    "keenness",
                    models.PositiveSmallIntegerField(
                        default=0,
                        validators=[
                            django.core.validators.MinValueValidator(0),
                            django.core.validators.MaxValueValidator(3),
                        ],
                    ),
                ),
                (
                    "hiring_signal",
                    models.PositiveSmallIntegerField(
                        default=0,
                        validators=[
                            django.core.validators.MinValueValidator(0),
                            django.core.validators.MaxValueValidator(3),
                        ],
                    ),
                ),
                ("rank_score", models.FloatField(default=0, editable=False)),
                ("rank_reasons", models.JSONField(blank=True, default=list, editable=False)),
                (
                    "owner",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "companies",
            },
        ),
        migrations.CreateModel(
            name="Contact",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("first_name", models.CharField(blank=True, max_length=150)),
                ("last_name", models.CharField(blank=True, max_length=150)),
                ("email", models.EmailField(blank=True, max_length=254)),
                ("phone", models.CharField(blank=True, max_length=50)),
                ("linkedin_url", models.URLField(blank=True, max_length=400)),
                ("title", models.CharField(blank=True, max_length=200)),
                ("location", models.CharField(blank=True, max_length=200)),
                ("time_zone", models.CharField(blank=True, max_length=64)),
                ("country", django_countries.fields.CountryField(blank=True, max_length=2)),
                ("connected_on", models.DateField(blank=True, null=True)),
                (
                    "source",
                    models.CharField(
                        choices=[
                            ("linkedin", "LinkedIn"),
                            ("vcard", "vCard"),
                            ("csv", "CSV"),
                            ("manual", "Added by hand"),
                            ("referral", "Referral"),
                        ],
                        default="manual",
                        max_length=16,
                    ),
                ),
                (
                    "stage",
                    models.CharField(
                        choices=[
                            ("identified", "Identified"),
                            ("researched", "Researched"),
                            ("requested", "Requested"),
                            ("scheduled", "Scheduled"),
                            ("met", "Met"),
                            ("thanked", "Thanked"),
                            ("keeping_in_touch", "Keeping in touch"),
                            ("declined", "Declined"),
                            ("no_reply", "No reply"),
                            ("archived", "Archived"),
                        ],
                        default="identified",
                        max_length=20,
                    ),
                ),
                (
                    "research_role",
                    models.TextField(blank=True, verbose_name="role and responsibilities"),
                ),
                (
                    "research_tenure",
                    models.CharField(blank=True, max_length=200, verbose_name="time in role"),
                ),
                ("research_path", models.TextField(blank=True, verbose_name="career path")),
                (
                    "research_achievements",
                    models.TextField(blank=True, verbose_name="achievements"),
                ),
                (
                    "research_writing",
                    models.TextField(blank=True, verbose_name="writing and talks"),
                ),
                ("common_ground", models.TextField(blank=True)),
                ("notes", models.TextField(blank=True)),
                ("edited_fields", models.JSONField(blank=True, default=list, editable=False)),
                ("linkedin_key", models.CharField(blank=True, editable=False, max_length=400)),
                ("priority_score", models.FloatField(default=0, editable=False)),
                ("priority_reasons", models.JSONField(blank=True, default=list, editable=False)),
                ("last_activity_at", models.DateTimeField(blank=True, editable=False, null=True)),
                (
                    "company",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="contacts",
                        to="contacts.company",
                    ),
                ),
                (
                    "owner",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "referred_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="referrals",
                        to="contacts.contact",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="ContactEvent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("created", "Added"),
                            ("imported", "Imported"),
                            ("updated", "Edited"),
                            ("stage", "Stage changed"),
                            ("tagged", "Tagged"),
                            ("message", "Message"),
                            ("meeting", "Meeting"),
                            ("note", "Note"),
                        ],
                        max_length=16,
                    ),
                ),
                ("at", models.DateTimeField()),
                ("summary", models.CharField(max_length=300)),
                (
                    "contact",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="events",
                        to="contacts.contact",
                    ),
                ),
                (
                    "owner",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="Tag",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("name", models.CharField(max_length=50)),
                (
                    "owner",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
        ),
        migrations.AddField(
            model_name="contact",
            name="tags",
            field=models.ManyToManyField(blank=True, related_name="contacts", to="contacts.tag"),
        ),
        migrations.AddIndex(
            model_name="company",
            index=models.Index(fields=["owner", "name"], name="contacts_co_owner_i_c73952_idx"),
        ),
        migrations.AddIndex(
            model_name="company",
            index=models.Index(
                fields=["owner", "-rank_score", "name", "id"], name="contacts_co_owner_i_a18ca8_idx"
            ),
        ),
        migrations.AddConstraint(
            model_name="company",
            constraint=models.UniqueConstraint(
                fields=("owner", "name_key"), name="company_owner_name_key"
            ),
        ),
        migrations.AddConstraint(
            model_name="company",
            constraint=models.CheckConstraint(
                condition=models.Q(("keenness__lte", 3)), name="company_keenness_0_3"
            ),
        ),
        migrations.AddConstraint(
            model_name="company",
            constraint=models.CheckConstraint(
                condition=models.Q(("hiring_signal__lte", 3)), name="company_hiring_signal_0_3"
            ),
        ),
        migrations.AddIndex(
            model_name="contactevent",
            index=models.Index(
                fields=["owner", "contact", "-at"], name="contacts_co_owner_i_29b54a_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="tag",
            index=models.Index(fields=["owner", "name"], name="contacts_ta_owner_i_165c09_idx"),
        ),
        migrations.AddConstraint(
            model_name="tag",
            constraint=models.UniqueConstraint(
                models.F("owner"),
                django.db.models.functions.text.Lower("name"),
                name="tag_owner_name_ci",
            ),
        ),
        migrations.AddIndex(
            model_name="contact",
            index=models.Index(
                fields=["owner", "stage", "-priority_score", "last_name", "first_name", "id"],
                name="contacts_co_owner_i_762200_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="contact",
            index=models.Index(
                fields=["owner", "last_name", "first_name"], name="contacts_co_owner_i_385694_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="contact",
            index=models.Index(fields=["owner", "company"], name="contacts_co_owner_i_33cd2b_idx"),
        ),
        migrations.AddIndex(
            model_name="contact",
            index=models.Index(
                fields=["owner", "-priority_score", "last_name", "first_name", "id"],
                name="contacts_co_owner_i_2836c3_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="contact",
            index=models.Index(
                fields=["owner", "-last_activity_at", "last_name", "first_name", "id"],
                name="contacts_co_owner_i_ee620d_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="contact",
            index=models.Index(
                fields=["owner", "source", "-priority_score", "last_name", "first_name", "id"],
                name="contacts_co_owner_i_ea7e47_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="contact",
            index=models.Index(
                fields=["owner", "linkedin_key"], name="contacts_co_owner_i_702d1a_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="contact",
            index=models.Index(fields=["owner", "email"], name="contacts_co_owner_i_d0f936_idx"),
        ),
        migrations.RunPython(add_search_index, drop_search_index),
    ]
