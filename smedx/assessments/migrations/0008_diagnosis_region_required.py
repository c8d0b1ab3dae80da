import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """The district filled (0007) is made required; a district's list and to-do counts get indexes."""

    dependencies = [
        ("assessments", "0007_diagnosis_region_on_the_row"),
    ]

    operations = [
        migrations.AlterField(
            model_name="diagnosisrequest",
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
            model_name="diagnosisrequest",
            index=models.Index(fields=['region', '-requested_at', '-id'], name="diagnosis_region_list_order"),
        ),
        migrations.AddIndex(
            model_name="diagnosisrequest",
            index=models.Index(fields=['region', 'status'], name="diagnosis_region_status"),
        ),
        migrations.AddIndex(
            model_name="diagnosisrequest",
            index=models.Index(fields=["status"], name="diagnosis_status"),
        ),
        migrations.AddIndex(
            model_name="diagnosisrequest",
            index=models.Index(fields=["expert", "status"], name="diagnosis_expert_status"),
        ),
    ]
