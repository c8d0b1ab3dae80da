from django.core.management.base import BaseCommand

from smedx.accounts.rights import role_table


class Command(BaseCommand):
    help = (
        "Print the role × right table that every app's hooks add up to (Markdown). "
        "docs/rights.md is this table as committed; a test keeps them equal."
    )

    def handle(self, *args, **options):
        self.stdout.write(role_table(), ending="")
