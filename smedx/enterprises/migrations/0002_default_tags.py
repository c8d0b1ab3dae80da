from django.db import migrations

TAGS = ["重点", "潜力", "专精特新", "专精特新“小巨人”", "创新型中小企业", "高新技术企业", "试点"]


def load(apps, schema_editor):
    Tag = apps.get_model("enterprises", "Tag")
    for name in TAGS:
        Tag.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
