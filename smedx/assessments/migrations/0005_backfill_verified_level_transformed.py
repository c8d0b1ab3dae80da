"""Fill the enterprise row's verified level and "transformed" from the assessments already there,
by the rule of `assessments.standing` (one UPDATE each; runs the same on SQLite and PostgreSQL)."""

from django.db import migrations

VERIFIED_LEVEL = """
UPDATE enterprises_enterprise SET verified_level = (
    SELECT a.level FROM assessments_assessment a
    WHERE a.enterprise_id = enterprises_enterprise.id AND a.kind = 'verified' AND a.status = 'verified'
    ORDER BY a.submitted_at DESC NULLS LAST, a.created_at DESC, a.id DESC
    LIMIT 1
)
"""
TRANSFORMED = """
UPDATE enterprises_enterprise SET transformed = (
    stage >= 4 OR EXISTS (
        SELECT 1 FROM assessments_assessment a
        WHERE a.enterprise_id = enterprises_enterprise.id
          AND a.status IN ('submitted', 'verified') AND a.period <> 'T0'
    )
)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0004_region_required"),
        ("enterprises", "0006_verified_level_transformed"),
    ]

    operations = [
        migrations.RunSQL(VERIFIED_LEVEL, migrations.RunSQL.noop),
        migrations.RunSQL(TRANSFORMED, migrations.RunSQL.noop),
    ]
