import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """The district filled (0005) is made required; a district's list and to-do counts get indexes."""

    dependencies = [
        ("projects", "0005_region_on_the_row"),
    ]

    operations = [
        migrations.AlterField(
            model_name="project",
            name="region",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.region",
                verbose_name="district",
            ),
        ),
        migrations.AddIndex(
            model_name="project",
            index=models.Index(fields=['region', '-created_at', '-id'], name="project_region_list_order"),
        ),
        migrations.AddIndex(
            model_name="project",
            index=models.Index(fields=['region', 'status'], name="project_region_status"),
        ),
    ]
