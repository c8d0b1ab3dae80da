"""`manage.py generate_synthetic --enterprises N`: a synthetic province on top of the demo (see
`smedx.demo.synthetic`)."""

import time

from django.core.management.base import BaseCommand, CommandError

from smedx.demo.synthetic import Mix, generate


class Command(BaseCommand):
    help = "Add N synthetic enterprises, each with a whole case file copied from a demo enterprise."

    def add_arguments(self, parser):
        parser.add_argument("--enterprises", type=int, required=True, help="how many enterprises to add")
        parser.add_argument("--assessments", type=float, default=Mix.assessments, help="per enterprise")
        parser.add_argument("--projects", type=float, default=Mix.projects, help="per enterprise")
        parser.add_argument("--batch", type=int, default=50_000, help="enterprises per transaction")
        parser.add_argument("--seed", type=int, default=20261204)

    def handle(self, *args, **options):
        n = options["enterprises"]
        if n < 1:
            raise CommandError("--enterprises must be at least 1")
        self.stdout.write(f"== generate_synthetic: {n:,} enterprises")
        started = time.perf_counter()
        try:
            written = generate(
                n,
                seed=options["seed"],
                mix=Mix(assessments=options["assessments"], projects=options["projects"]),
                batch=options["batch"],
                say=self.stdout.write,
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        for table, rows in written.items():
            if rows:
                self.stdout.write(f"  {table:<42} {rows:>12,}")
        self.stdout.write(f"== done in {time.perf_counter() - started:.1f} s")
