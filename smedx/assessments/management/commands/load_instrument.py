from django.core.management.base import BaseCommand, CommandError

from smedx.assessments.loader import load_file
from smedx.assessments.spec import InstrumentError


def report(command, loaded):
    obj = loaded.obj
    state = "loaded" if loaded.created else "unchanged"
    command.stdout.write(f"{obj._meta.verbose_name} {obj.code} {obj.version}: {state}")


class Command(BaseCommand):
    help = "Load instrument or level-rule files (JSON). Same content again is a no-op."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+")

    def handle(self, *args, paths, **options):
        for path in paths:
            try:
                report(self, load_file(path))
            except InstrumentError as exc:
                raise CommandError(f"{path}: {exc}") from exc
