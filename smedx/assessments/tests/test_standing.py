"""The enterprise's current level on its row: kept current by the services, equal to a direct computation."""

import datetime
import importlib
from decimal import Decimal

from django.apps import apps
from django.utils import timezone

from smedx.assessments import standing
from smedx.assessments.loader import load_bundled
from smedx.assessments.models import Assessment
from smedx.assessments.services import diagnosis, self_assessment
from smedx.enterprises.models import Enterprise, LevelBasis
from smedx.testing import PersonaTestCase, make_enterprise
from smedx.testing.acceptance import verify_all
from smedx.testing.answer_sets import best, middling, worst
from smedx.testing.assessments import make_assessment

BACKFILL = importlib.import_module("smedx.assessments.migrations.0002_backfill_current_level")
FIELDS = ("current_level", "current_score", "current_basis")


def direct(enterprise_id):
    """The rule written out plainly over every assessment of the enterprise, for comparison."""
    rows = list(Assessment.objects.filter(enterprise_id=enterprise_id))

    def newest(candidates):
        def when(a):
            return (a.submitted_at is not None, a.submitted_at or a.created_at, a.created_at, a.pk)

        return max(candidates, key=when, default=None)

    chosen = newest([a for a in rows if a.kind == "verified" and a.status == "verified"]) or newest(
        [a for a in rows if a.kind == "self" and a.status in ("submitted", "verified")]
    )
    if chosen is None:
        return (None, None, "")
    return (chosen.level, chosen.total, chosen.kind)


def stored(enterprise_id):
    return tuple(Enterprise.objects.filter(pk=enterprise_id).values_list(*FIELDS).get())


class StandingTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        load_bundled()

    def histories(self):
        """Enterprises with every kind of history: none, a draft, one, two, verified, verified then newer self."""
        day = timezone.make_aware(datetime.datetime(2025, 3, 1))
        ids = []
        for n, story in enumerate(["none", "draft", "one", "two", "verified", "verified_then_self", "dated"]):
            enterprise = make_enterprise(self.home_region, f"历史企业{n}")
            ids.append(enterprise.pk)
            if story == "draft":
                make_assessment(enterprise, {"B1": ["B"]}, status=Assessment.Status.DRAFT)
            if story in ("one", "two", "verified", "verified_then_self"):
                t0 = make_assessment(enterprise, worst(), period="T0")
            if story == "two":
                make_assessment(enterprise, best(), period="T1")
            if story in ("verified", "verified_then_self"):
                make_assessment(
                    enterprise,
                    middling(),
                    kind=Assessment.Kind.VERIFIED,
                    status=Assessment.Status.VERIFIED,
                    verified_from=t0,
                )
            if story == "verified_then_self":
                make_assessment(enterprise, best(), period="T1")
            if story == "dated":  # the later submission wins, whatever the order of creation
                make_assessment(enterprise, best(), period="T1", submitted_at=day)
                make_assessment(
                    enterprise, worst(), period="T0", submitted_at=day - datetime.timedelta(days=90)
                )
        return ids


class CurrentLevelTests(StandingTestCase):
    def test_it_matches_a_direct_computation_for_every_kind_of_history(self):
        ids = self.histories()
        for enterprise_id in ids:
            with self.subTest(enterprise=enterprise_id):
                self.assertEqual(stored(enterprise_id), direct(enterprise_id))
        self.assertEqual(stored(ids[0]), (None, None, ""))
        self.assertEqual(stored(ids[3])[0], 4)  # the newer self-assessment
        self.assertEqual(stored(ids[5])[2], LevelBasis.VERIFIED)  # verified beats a newer self-assessment
        self.assertEqual(stored(ids[6])[0], 4)

    def test_it_recomputes_many_rows_at_once_to_the_same_values(self):
        ids = self.histories()
        Enterprise.objects.update(current_level=None, current_score=None, current_basis="")
        self.assertEqual(standing.refresh_current_levels(), Enterprise.objects.count())
        for enterprise_id in ids:
            with self.subTest(enterprise=enterprise_id):
                self.assertEqual(stored(enterprise_id), direct(enterprise_id))

    def test_it_back_fills_the_rows_in_the_migration(self):
        ids = self.histories()
        Enterprise.objects.update(current_level=None, current_score=None, current_basis="")
        BACKFILL.backfill(apps, None)
        for enterprise_id in ids:
            with self.subTest(enterprise=enterprise_id):
                self.assertEqual(stored(enterprise_id), direct(enterprise_id))


class ServicesKeepItCurrentTests(StandingTestCase):
    def submit(self, answers, period="T0"):
        draft = self_assessment.start_assessment(
            enterprise=self.enterprise, actor=self.enterprise_user, period=period
        )
        for code, value in answers.items():
            self_assessment.save_answer(
                assessment=draft, actor=self.enterprise_user, item_code=code, value=value
            )
        draft.refresh_from_db()
        return self_assessment.submit_assessment(
            assessment=draft, actor=self.enterprise_user, declared=True, version=draft.version
        )

    def test_it_stores_the_level_when_a_self_assessment_is_submitted(self):
        self.assertEqual(stored(self.enterprise.pk), (None, None, ""))
        submitted = self.submit(middling())
        self.assertEqual(stored(self.enterprise.pk), (3, submitted.total, LevelBasis.SELF))
        self.assertEqual(submitted.total, Decimal("65.25"))

    def test_it_stores_the_verified_level_when_a_verification_completes(self):
        source = self.submit(middling())
        request = diagnosis.request_diagnosis(assessment=source, actor=self.enterprise_user, route="district")
        request = diagnosis.assign(request=request, actor=self.district, expert=self.expert)
        visitor = {"name": "专家", "organisation": "专家委员会", "role": "专家"}
        request = diagnosis.record_visit(
            request=request,
            actor=self.expert,
            visited_on=datetime.date(2025, 3, 1),
            visitors=[visitor],
            main_products="齿轮",
            process_flow="下料—加工—装配",
            intelligent_equipment="数控机床",
            industrial_software="MES",
        )
        verification = diagnosis.start_verification(request=request, actor=self.expert)
        self.submit(best(), period="T1")  # a newer self-assessment does not displace the verified one
        self.assertEqual(stored(self.enterprise.pk)[0], 4)
        verified = verify_all(verification, self.expert)
        self.assertEqual(stored(self.enterprise.pk), (verified.level, verified.total, LevelBasis.VERIFIED))
        self.assertEqual(stored(self.enterprise.pk), direct(self.enterprise.pk))
