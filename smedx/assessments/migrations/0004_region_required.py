import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """The region column filled (0003) is made required, and the list orderings get their indexes."""

    dependencies = [
        ("assessments", "0003_region_on_the_row"),
    ]

    operations = [
        migrations.AlterField(
            model_name="assessment",
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
            model_name='assessment',
            index=models.Index(fields=['-created_at', '-id'], name='assessment_list_order'),
        ),
        migrations.AddIndex(
            model_name='assessment',
            index=models.Index(fields=['region', '-created_at', '-id'], name='assessment_region_list_order'),
        ),
    ]
