"""Print how long scoring one assessment and printing one PDF report take. Figures only, no pass/fail.

    manage.py bench_assessments [--n 200] [--pdfs 5] [--seed 1]

Scores N random valid answer sets of the bundled 2024 instrument, beside a floor (summing the same
answers' points in a bare loop), then prints the diagnosis report of the latest submitted assessment
K times. On a database without one, a scratch enterprise and
assessment are made inside a transaction that is rolled back, so the database is left as it was.
"""

import io
import random
import resource
import statistics
import time
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from smedx.accounts.models import Region
from smedx.assessments.loader import load_bundled
from smedx.assessments.models import Answer, Assessment, Instrument, LevelRule
from smedx.assessments.report import build_report, render_pdf, report_queryset
from smedx.assessments.scoring import score
from smedx.assessments.spec import EXPERT, MULTIPLE, SCENE_LEVELS, TEXT
from smedx.core.creditcode import make_credit_code
from smedx.enterprises.models import Enterprise
from smedx.enterprises.services.casefile import derive

INSTRUMENT = "miit-2024-mfg"


def random_answers(spec, rng: random.Random) -> dict:
    """A complete, valid answer set: any option, "无" alone now and then, every scene 0–4."""
    answers = {}
    for code, item in spec.items.items():
        if item.kind == TEXT:
            answers[code] = "—"
        elif item.kind == EXPERT:
            answers[code] = {"points": str(rng.randint(0, int(item.points))), "comment": ""}
        elif item.kind == MULTIPLE:
            others = [o.code for o in item.options if not o.exclusive]
            none = item.exclusive_option
            if none is not None and rng.random() < 0.15:
                answers[code] = [none.code]
            else:
                answers[code] = sorted(rng.sample(others, rng.randint(1, len(others))))
        else:
            answers[code] = [rng.choice(item.options).code]
    answers.update({code: rng.choice(spec.scene_levels) for code in spec.scenes})
    return answers


def bare_sum_times(spec, answer_sets) -> list[float]:
    """Seconds to add up each answer set's option and expert points, the points looked up beforehand."""
    points = {code: {o.code: o.points for o in item.options} for code, item in spec.items.items()}
    times = []
    for answers in answer_sets:
        start = time.perf_counter()
        total = Decimal(0)
        for code, value in answers.items():
            if isinstance(value, list):
                table = points[code]
                total += sum(table[option] for option in value)
            elif isinstance(value, dict):
                total += Decimal(value["points"])
        times.append(time.perf_counter() - start)
    return times


def _pages(pdf: bytes) -> int | None:
    try:
        from pypdf import PdfReader  # a dev dependency: the count is left out where it is missing
    except ImportError:
        return None
    return len(PdfReader(io.BytesIO(pdf)).pages)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.3f} ms"


class Command(BaseCommand):
    help = "Time scoring (N random answer sets) and the PDF diagnosis report (K renders)."

    def add_arguments(self, parser):
        parser.add_argument("--n", type=int, default=200, help="answer sets to score (default 200)")
        parser.add_argument("--pdfs", type=int, default=5, help="PDF reports to render (default 5)")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, n, pdfs, seed, **options):
        load_bundled()
        instrument = Instrument.objects.current(INSTRUMENT)
        rule = LevelRule.objects.active_for(INSTRUMENT)
        rng = random.Random(seed)
        answer_sets = [random_answers(instrument.spec, rng) for _ in range(n)]
        self.bench_scoring(instrument.spec, rule.spec, answer_sets)
        if pdfs > 0:
            with transaction.atomic():
                assessment = self.real_assessment(instrument, rule, rng)
                self.bench_pdf(assessment, pdfs)
                transaction.set_rollback(True)  # nothing written stays, whatever was made above
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(f"peak RSS: {peak:.0f} MB")

    def bench_scoring(self, spec, rule, answer_sets):
        times, cpu, levels = [], [], [0] * (SCENE_LEVELS + 1)
        for answers in answer_sets:
            start, start_cpu = time.perf_counter(), time.process_time()
            result = score(spec, answers, rule)
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
            levels[result.level] += 1
        if not times:
            return
        times.sort()
        p95 = times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]
        self.stdout.write(
            f"scoring {len(times)} answer sets ({spec.label}): mean {_ms(statistics.mean(times))}, "
            f"median {_ms(statistics.median(times))}, p95 {_ms(p95)}, max {_ms(times[-1])}"
        )
        # CPU time is what scoring costs; wall time also counts waiting on a busy machine.
        self.stdout.write(f"  CPU time: mean {_ms(statistics.mean(cpu))}, max {_ms(max(cpu))}")
        self.stdout.write(f"  levels 0–4 among them: {levels}")
        median, floor = statistics.median(times), statistics.median(bare_sum_times(spec, answer_sets))
        self.stdout.write(
            f"  {1 / median:,.0f} assessments/s (by the median); floor, summing the same answers' points in a "
            f"bare loop: {1 / floor:,.0f}/s; scoring takes {median / floor:.0f}× the floor"
        )

    def real_assessment(self, instrument, rule, rng) -> Assessment:
        existing = (
            report_queryset()
            .filter(instrument=instrument)
            .exclude(status=Assessment.Status.DRAFT)
            .order_by("-id")
            .first()
        )
        if existing is not None:
            self.stdout.write(f"report of assessment #{existing.pk} ({existing.enterprise.name})")
            return existing
        region = Region.objects.filter(parent__isnull=False).order_by("code").first()
        enterprise = Enterprise(
            name="基准测试企业（临时）",
            credit_code=make_credit_code(region.code, 99999999),
            region=region,
            industry_division="34",
            employees=120,
            revenue=Decimal("5000"),
        )
        derive(enterprise)
        enterprise.save()
        answers = random_answers(instrument.spec, rng)
        result = score(instrument.spec, answers, rule.spec)
        assessment = Assessment.objects.create(
            enterprise=enterprise,
            instrument=instrument,
            level_rule=rule,
            status=Assessment.Status.SUBMITTED,
            total=result.total,
            level=result.level,
            result=result.as_dict(),
            declared=True,
            submitted_at=timezone.now(),
        )
        Answer.objects.bulk_create(
            Answer(assessment=assessment, item_code=c, value=v) for c, v in answers.items()
        )
        self.stdout.write("report of a scratch assessment (rolled back afterwards)")
        return report_queryset().get(pk=assessment.pk)

    def bench_pdf(self, assessment, count):
        start = time.perf_counter()
        import weasyprint  # noqa: F401  (imported by the first report otherwise)

        self.stdout.write(f"importing WeasyPrint: {time.perf_counter() - start:.2f} s")
        times, cpu, size = [], [], 0
        for _ in range(count):
            start, start_cpu = time.perf_counter(), time.process_time()
            pdf = render_pdf(build_report(assessment))
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
            size = len(pdf)
        pages = _pages(pdf)
        self.stdout.write(
            f"PDF report ×{count}: first {times[0]:.2f} s (loads fonts and styles), "
            f"then mean {statistics.mean(times[1:] or times):.2f} s, "
            f"median {statistics.median(times[1:] or times):.2f} s "
            f"(CPU {statistics.median(cpu[1:] or cpu):.2f} s); size {size / 1024:.0f} KB"
            + (f", {pages} pages" if pages else "")
        )
