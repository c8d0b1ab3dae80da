import django.db.models.deletion
from django.db import migrations, models

BACKFILL = """
UPDATE assessments_diagnosisrequest SET region_id = (
  SELECT e.region_id FROM enterprises_enterprise e WHERE e.id = assessments_diagnosisrequest.enterprise_id
)
"""


class Migration(migrations.Migration):
    """The enterprise's district on the row (`enterprises.models.DistrictRow`), filled from the enterprise."""

    dependencies = [
        ("accounts", "0002_load_regions"),
        ("assessments", "0006_list_order"),
    ]

    operations = [
        migrations.AddField(
            model_name="diagnosisrequest",
            name="region",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.region",
                verbose_name="district",
            ),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
    ]
