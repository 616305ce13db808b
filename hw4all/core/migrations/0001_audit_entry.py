import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

# On PostgreSQL the table itself refuses to change: whoever reaches it, through the application
# or a database tool with its credentials, can only add rows. The one update let through is the
# one deleting an account makes (ON DELETE SET NULL of `user`), which leaves every other column,
# the email copy included, as it was. TRUNCATE stays possible for the test runner's flush.
TRIGGER = """
CREATE OR REPLACE FUNCTION core_auditentry_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.user_id IS NULL
        AND (to_jsonb(NEW) - 'user_id') = (to_jsonb(OLD) - 'user_id') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit entries cannot be changed or deleted';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER core_auditentry_append_only
    BEFORE UPDATE OR DELETE ON core_auditentry
    FOR EACH ROW EXECUTE FUNCTION core_auditentry_append_only();
"""

TRIGGER_DROP = """
DROP TRIGGER IF EXISTS core_auditentry_append_only ON core_auditentry;
DROP FUNCTION IF EXISTS core_auditentry_append_only();
"""


def trigger_create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER)


def trigger_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER_DROP)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "at",
                    models.DateTimeField(
                        db_index=True, default=django.utils.timezone.now, verbose_name="when"
                    ),
                ),
                (
                    "user_email",
                    models.CharField(blank=True, db_index=True, max_length=254, verbose_name="email"),
                ),
                ("action", models.CharField(db_index=True, max_length=100, verbose_name="action")),
                (
                    "object_type",
                    models.CharField(blank=True, db_index=True, max_length=100, verbose_name="object type"),
                ),
                ("object_id", models.CharField(blank=True, max_length=64, verbose_name="object id")),
                ("summary", models.CharField(blank=True, max_length=300, verbose_name="summary")),
                ("detail", models.JSONField(blank=True, default=dict, verbose_name="detail")),
                ("address", models.CharField(blank=True, max_length=64, verbose_name="address")),
                ("user_agent", models.CharField(blank=True, max_length=300, verbose_name="user agent")),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="who",
                    ),
                ),
            ],
            options={
                "verbose_name": "audit entry",
                "verbose_name_plural": "audit entries",
                "ordering": ["-at", "-pk"],
                "default_permissions": ("view",),
            },
        ),
        migrations.RunPython(trigger_create, trigger_drop),
    ]
