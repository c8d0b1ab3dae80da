from django.core.management.base import BaseCommand, CommandError

from smedx.core.tasks import daily_jobs, run_daily_job


class Command(BaseCommand):
    help = (
        "Queue every app's daily job for the task worker (run it from cron once a day): "
        "each app declares its jobs in its hooks' `daily_jobs`."
    )

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="Run in this process instead of queueing.")
        parser.add_argument("--only", action="append", default=[], metavar="NAME", help="Run only this job.")
        parser.add_argument("--list", action="store_true", help="List the jobs and stop.")

    def handle(self, *args, **options):
        jobs = daily_jobs()
        if options["list"]:
            for job in jobs.values():
                self.stdout.write(f"{job.name}\t{job.help}")
            return
        unknown = sorted(set(options["only"]) - set(jobs))
        if unknown:
            raise CommandError(f"No daily job named {', '.join(unknown)}; see --list.")
        for name in options["only"] or list(jobs):
            if options["now"]:
                self.stdout.write(f"{name}: {run_daily_job.call(name)}")
            else:
                self.stdout.write(f"{name}: queued ({run_daily_job.enqueue(name).id})")
