"""Triggers that raise HistoryVersion.version for the owner on every change the Today list
depends on. Row-level, on both SQLite and PostgreSQL; contact inserts are left out (a new
contact has no history yet), and updates count only for the columns that matter."""

from django.db import migrations

# table -> (owner column, the columns whose update matters; None: any update, and inserts)
WATCHED = {
    "outreach_message": ("owner_id", None),
    "meetings_meeting": ("owner_id", None),
    "reminders_actionsnooze": ("owner_id", None),
    "contacts_contact": (
        "owner_id",
        ("stage", "company_id", "country", "time_zone", "keep_in_touch_weeks"),
    ),
    "accounts_profile": ("user_id", ("max_nudges", "keep_in_touch_weeks", "time_zone", "country")),
}
# A new counter starts at a random number, so that a count reached again after a rollback
# (or in the next test) never names a different history.
BUMP_SQLITE = (
    "INSERT INTO reminders_historyversion (owner_id, version) "
    "VALUES ({row}.{owner}, abs(random() % 1000000000000)) "
    "ON CONFLICT(owner_id) DO UPDATE SET version = version + 1;"
)
# On delete only raise an existing counter: the account itself may be going.
BUMP_SQLITE_DELETE = (
    "UPDATE reminders_historyversion SET version = version + 1 WHERE owner_id = OLD.{owner};"
)
PG_FUNCTION = """
CREATE OR REPLACE FUNCTION rapport_history_bump() RETURNS trigger AS $$
DECLARE
    owner bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN
        owner := (to_jsonb(OLD) ->> TG_ARGV[0])::bigint;
        UPDATE reminders_historyversion SET version = version + 1 WHERE owner_id = owner;
    ELSE
        owner := (to_jsonb(NEW) ->> TG_ARGV[0])::bigint;
        INSERT INTO reminders_historyversion (owner_id, version)
        VALUES (owner, floor(random() * 1e12)::bigint)
        ON CONFLICT (owner_id) DO UPDATE SET version = reminders_historyversion.version + 1;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
"""


def _name(table: str, event: str) -> str:
    return f"rapport_history_{table}_{event}"


def sqlite_statements() -> list[str]:
    statements = []
    for table, (owner, columns) in WATCHED.items():
        events = (
            [("insert", "INSERT", "NEW")] if columns is None or table == "accounts_profile" else []
        )
        of = f" OF {', '.join(columns)}" if columns else ""
        events.append(("update", f"UPDATE{of}", "NEW"))
        for event, clause, row in events:
            body = BUMP_SQLITE.format(row=row, owner=owner)
            statements.append(
                f"CREATE TRIGGER IF NOT EXISTS {_name(table, event)} AFTER {clause} ON {table} "
                f"BEGIN {body} END"
            )
        delete = BUMP_SQLITE_DELETE.format(owner=owner)
        statements.append(
            f"CREATE TRIGGER IF NOT EXISTS {_name(table, 'delete')} AFTER DELETE ON {table} "
            f"BEGIN {delete} END"
        )
    return statements


def postgres_statements() -> list[str]:
    statements = [PG_FUNCTION]
    for table, (owner, columns) in WATCHED.items():
        of = f" OF {', '.join(columns)}" if columns else ""
        insert = "INSERT OR " if columns is None or table == "accounts_profile" else ""
        statements.append(
            f"CREATE TRIGGER {_name(table, 'change')} AFTER {insert}UPDATE{of} OR DELETE "
            f"ON {table} FOR EACH ROW EXECUTE FUNCTION rapport_history_bump('{owner}')"
        )
    return statements


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    statements = sqlite_statements() if vendor == "sqlite" else postgres_statements()
    for statement in statements:
        schema_editor.execute(statement)


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    for table in WATCHED:
        if vendor == "sqlite":
            for event in ("insert", "update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {_name(table, event)}")
        else:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {_name(table, 'change')} ON {table}")
    if vendor != "sqlite":
        schema_editor.execute("DROP FUNCTION IF EXISTS rapport_history_bump()")


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0002_history_version"),
        ("outreach", "0002_templates_sending_review"),
        ("meetings", "0001_initial"),
        ("contacts", "0004_contact_keep_in_touch_weeks"),
        ("accounts", "0003_followup_policy_digest"),
    ]

    operations = [migrations.RunPython(create, drop)]
