import csv
from pathlib import Path

from django.db import migrations

CSV = Path(__file__).resolve().parent.parent / "data" / "regions.csv"


def load(apps, schema_editor):
    Region = apps.get_model("accounts", "Region")
    with open(CSV, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    by_code = {}
    for row in rows:  # parents come first in the file
        region, _created = Region.objects.update_or_create(
            code=row["code"], defaults={"name": row["name"], "parent": by_code.get(row["parent"])})
        by_code[row["code"]] = region


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
