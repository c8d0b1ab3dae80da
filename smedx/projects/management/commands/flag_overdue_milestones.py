from django.core.management.base import BaseCommand

from smedx.projects.tasks import flag_overdue


class Command(BaseCommand):
    help = "Queue the daily warning about overdue project milestones (run it from cron once a day)."

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="Run in this process instead of queueing it.")

    def handle(self, *args, **options):
        if options["now"]:
            self.stdout.write(f"Flagged {flag_overdue.call()} overdue milestones.")
        else:
            result = flag_overdue.enqueue()
            self.stdout.write(f"Queued ({result.id}).")
