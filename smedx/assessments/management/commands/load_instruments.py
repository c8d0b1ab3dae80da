from django.core.management.base import BaseCommand, CommandError

from smedx.assessments.loader import load_bundled
from smedx.assessments.management.commands.load_instrument import report
from smedx.assessments.spec import InstrumentError


class Command(BaseCommand):
    help = "Load every instrument and level rule shipped in smedx/assessments/instruments/."

    def handle(self, *args, **options):
        try:
            for loaded in load_bundled():
                report(self, loaded)
        except InstrumentError as exc:
            raise CommandError(str(exc)) from exc
