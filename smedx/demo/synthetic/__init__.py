"""A synthetic province: the demo's case files copied into N enterprises over every district.

`manage.py generate_synthetic --enterprises N` runs after `seed_demo`. Every demo enterprise is a
template: its case file, written through the services and walked by the demo's invariant tests, is
copied whole (assessments and answers scored by the real scorer, diagnosis requests, needs,
invitations, proposals, plans, projects with items, milestones, invoices, supervision and acceptance)
into each clone that draws it. Templates are drawn with weights so that the province has about
`projects` projects and `assessments` assessments per enterprise; a clone differs from its template
in name, credit code, district, contact and the date its history starts.

One module per app declares its tables (`TABLES`), in the order their rows may be written; a later
stage adds its module to `MODULES`. The copying itself is `clone.Cloner`: one INSERT … SELECT per
table and batch of clones, so the database does the work, on PostgreSQL and on SQLite alike.
Afterwards the sequences are moved past the new keys, the kept counts (`enterprises.tallies`) are
counted again and the planner's statistics refreshed.
"""

import math
import random
import time
from dataclasses import dataclass

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Count

from smedx.accounts.models import Region
from smedx.demo.synthetic import assessments, core, enterprises, planning, projects, proposals
from smedx.demo.synthetic.clone import Cloner
from smedx.enterprises import tallies
from smedx.enterprises.models import Enterprise

MODULES = [enterprises, assessments, proposals, planning, projects, core]


@dataclass(frozen=True)
class Mix:
    assessments: float = 1.4  # per enterprise, drafts included (the issue measured 1.2 M submitted per 1 M)
    projects: float = 0.1  # per enterprise: 100,000 projects in a province of 1,000,000


@dataclass(frozen=True)
class Template:
    id: int
    division: str
    assessments: int
    projects: int


def templates() -> list[Template]:
    rows = (
        Enterprise.objects.filter(id__lt=enterprises.FIRST_ID)
        .annotate(a=Count("assessments", distinct=True), p=Count("projects", distinct=True))
        .order_by("id")
        .values_list("id", "industry_division", "a", "p")
    )
    return [Template(*row) for row in rows]


def weights(pool: list[Template], mix: Mix) -> list[float]:
    """A weight per template: those with projects share `mix.projects` between them; the others lean
    towards more or fewer assessments (weight ∝ e^(λ·assessments)) so the mean comes to `mix.assessments`."""
    building = [t for t in pool if t.projects]
    others = [t for t in pool if not t.projects]
    share = min(1.0, mix.projects / (sum(t.projects for t in building) / len(building))) if building else 0.0
    if not others:
        share = 1.0
    carried = share * (sum(t.assessments for t in building) / len(building)) if building else 0.0
    wanted = (mix.assessments - carried) / (1 - share) if share < 1 else 0.0

    def mean(lam):
        lean = [math.exp(lam * t.assessments) for t in others]
        return sum(w * t.assessments for w, t in zip(lean, others, strict=True)) / sum(lean)

    low, high = -20.0, 20.0
    for _ in range(60):
        middle = (low + high) / 2
        low, high = (middle, high) if others and mean(middle) < wanted else (low, middle)
    lean = {t.id: math.exp(low * t.assessments) for t in others}
    total = sum(lean.values()) or 1.0
    return [share / len(building) if t.projects else (1 - share) * lean[t.id] / total for t in pool]


def tables():
    return [table for module in MODULES for table in module.TABLES]


def generate(n: int, *, seed: int = 20261204, mix: Mix = Mix(), batch: int = 50_000, say=print) -> dict:
    """Add `n` synthetic enterprises with their case files; returns the rows written per table."""
    pool = templates()
    if not pool:
        raise ValueError("no template enterprises: run seed_demo first")
    rng = random.Random(seed)
    drawn = rng.choices(pool, weights(pool, mix), k=n)
    districts = list(Region.objects.exclude(parent=None).order_by("code").values_list("id", "code", "name"))
    last = (
        Enterprise.objects.filter(id__gte=enterprises.FIRST_ID).order_by("-id").values_list("id", flat=True)
    )
    first = (last[0] - enterprises.FIRST_ID + 1) if last else 1
    cloner = Cloner(tables())
    cloner.measure()
    written = dict.fromkeys((table.model._meta.db_table for table in cloner.tables), 0)
    started = time.perf_counter()
    for start in range(0, n, batch):
        chunk = [(t.id, t.division) for t in drawn[start : start + batch]]
        with transaction.atomic():
            cloner.load_clones(list(enterprises.clone_rows(chunk, districts, first + start, rng)))
            for table in cloner.tables:
                written[table.model._meta.db_table] += cloner.copy(table)
            cloner.drop_clones()
        say(f"  {start + len(chunk):>9,} enterprises  {time.perf_counter() - started:7.1f} s")
    finish(cloner, say)
    return written


def reset_sequences(models=None) -> None:
    """Move each copied table's sequence to its largest key (on PostgreSQL a sequence is not rolled
    back with a transaction, so a test that generated and rolled back calls this too)."""
    models = models or Cloner(tables()).copied
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), list(models)):
            cursor.execute(statement)


def finish(cloner: Cloner, say) -> None:
    started = time.perf_counter()
    reset_sequences(cloner.copied)
    tallies.rebuild()
    with connection.cursor() as cursor:
        # Freshly copied pages are not yet marked all-visible: vacuum, so that counts read from an
        # index alone (a district's facts, the open requests) are index-only at once (PostgreSQL).
        # VACUUM cannot run in a transaction (a test's): there ANALYZE alone.
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        cursor.execute("VACUUM (ANALYZE)" if vacuum else "ANALYZE")
    say(f"  sequences, kept counts and statistics  {time.perf_counter() - started:7.1f} s")
