from django.core.management.base import BaseCommand

from smedx.providers.tasks import list_due


class Command(BaseCommand):
    help = "Queue the daily listing of providers whose public notice is over (run it from cron once a day)."

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="Run in this process instead of queueing it.")

    def handle(self, *args, **options):
        if options["now"]:
            self.stdout.write(f"Listed {list_due.call()} providers.")
        else:
            result = list_due.enqueue()
            self.stdout.write(f"Queued ({result.id}).")
