"""The role × right table printed from the apps' hooks is the committed one (docs/rights.md)."""

from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.test import SimpleTestCase

from smedx.accounts import rights

DOC = Path(settings.BASE_DIR) / "docs" / "rights.md"


class RightsTableTests(SimpleTestCase):
    def test_it_prints_the_committed_table(self):
        out = StringIO()
        call_command("rights_table", stdout=out)
        committed = DOC.read_text(encoding="utf-8")
        table = committed[committed.index("| right |") :]
        self.assertEqual(
            out.getvalue(),
            table,
            "docs/rights.md differs from `manage.py rights_table`: update them together",
        )

    def test_it_gives_the_city_no_say_over_sign_ups(self):
        self.assertIn("enterprises.enterprise:approve", rights.role_rights("district"))
        self.assertNotIn("enterprises.enterprise:approve", rights.role_rights("city"))

    def test_it_names_only_rights_of_installed_apps(self):
        labels = {label for label, _hooks in rights.frame.installed()}
        for right in set().union(*rights.by_grant().values()):
            with self.subTest(right=right):
                self.assertIn(right.split(".")[0], labels)
