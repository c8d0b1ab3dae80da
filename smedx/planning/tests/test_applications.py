"""Applying a standard in the task worker: set-based writes, the counts, one application at a time, the page."""

import threading
import unittest
from unittest import mock

from django.contrib.messages import get_messages
from django.db import connection, connections
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from smedx.core.errors import DomainError
from smedx.enterprises.models import Enterprise, Tag
from smedx.planning import metrics, rules, tasks
from smedx.planning.models import Application, EnterpriseTier, Standard
from smedx.planning.services import standards
from smedx.testing import ConcurrencyTestCase, PersonaTestCase, make_enterprise, make_user
from smedx.testing.planning import rate

TIERS = (
    {"order": 1, "code": "lead", "name": "示范引领", "description": "", "rule": {"level_min": 3}},
    {"order": 2, "code": "key", "name": "重点培育", "description": "", "rule": {"tags": ["重点"]}},
    {"order": 3, "code": "micro", "name": "小微", "description": "", "rule": {"size_class": ["micro"]}},
)
# Tests run tasks inline; the dummy backend keeps them waiting, as a busy worker would.
QUEUED = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


def make_standard(actor, name="分级标准", tiers=TIERS):
    standard = standards.create_standard(actor=actor, name=name)
    for tier in tiers:
        standards.save_tier(standard=standard, actor=actor, data=tier)
    return standard


class Region(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        key = Tag.objects.get(name="重点")
        for n in range(6):
            enterprise = make_enterprise(
                cls.home_region, f"渝北{n}号", employees=5 + n * 60, revenue=50 + n * 900
            )
            if n % 2:
                enterprise.tags.add(key)
            if n % 3 == 0:
                rate(enterprise, 2 + n // 3)
        make_enterprise(cls.home_region, "待审企业", status=Enterprise.Status.PENDING).tags.add(key)
        cls.colleague = make_user("district_colleague", cls.district.organisation)


class ClassifyTests(Region):
    def test_it_writes_as_many_rows_per_tier_as_a_direct_count_finds(self):
        standard = make_standard(self.district)
        tiers = list(standard.tiers.all())
        application = tasks.run_application(standard=standard, actor=self.district)
        self.assertEqual(application.status, Application.Status.DONE)
        classified = rules.classified(self.home_region, tiers)
        for tier in tiers:
            with self.subTest(tier=tier.code):
                direct = classified.filter(tier_id=tier.pk).count()
                written = EnterpriseTier.objects.filter(application=application, tier=tier).count()
                self.assertEqual((written, application.counts[str(tier.pk)]), (direct, direct))
        self.assertEqual(application.enterprises, classified.filter(tier_id__isnull=False).count())
        self.assertEqual(
            metrics.tier_preview(self.home_region, tiers).get(tiers[0].pk),
            application.counts[str(tiers[0].pk)],
        )
        self.assertFalse(EnterpriseTier.objects.filter(application=application, enterprise__status="pending"))
        self.assertIsNotNone(application.finished_at)
        self.assertEqual(Standard.objects.get(pk=standard.pk).status, Standard.Status.APPLIED)

    def test_it_writes_each_tier_with_one_insert_select(self):
        standard = make_standard(self.district)
        application = standards.apply_standard(standard=standard, actor=self.district)
        with CaptureQueriesContext(connection) as queries:
            standards.classify_enterprises(application)
        inserts = [q["sql"] for q in queries if q["sql"].startswith('INSERT INTO "planning_enterprisetier"')]
        self.assertEqual(len(inserts), len(TIERS))
        self.assertTrue(all(" SELECT " in sql for sql in inserts))
        self.assertLess(len(queries), 20)  # whatever the number of enterprises

    def test_it_writes_nothing_and_says_so_when_it_fails(self):
        standard = make_standard(self.district)
        application = standards.apply_standard(standard=standard, actor=self.district)
        with (
            mock.patch.object(standards, "_insert_tiers", side_effect=RuntimeError("disk full")),
            self.assertLogs("smedx.planning.services.standards", "ERROR"),
        ):
            application = standards.classify_enterprises(application)
        self.assertEqual(application.status, Application.Status.FAILED)
        self.assertIn("Nothing was written", application.error)
        self.assertFalse(EnterpriseTier.objects.exists())
        self.assertEqual(Standard.objects.get(pk=standard.pk).status, Standard.Status.DRAFT)

    def test_it_classifies_a_waiting_application_once(self):
        standard = make_standard(self.district)
        application = standards.apply_standard(standard=standard, actor=self.district)
        first = standards.classify_enterprises(application)
        again = standards.classify_enterprises(application)
        self.assertEqual((first.status, again.status), (Application.Status.DONE, Application.Status.DONE))
        self.assertEqual(EnterpriseTier.objects.count(), first.enterprises)


class OneAtATimeTests(Region):
    def test_it_refuses_a_second_press_while_the_first_waits(self):
        standard = make_standard(self.district)
        with override_settings(TASKS=QUEUED):
            tasks.run_application(standard=standard, actor=self.district, seen=0)
            with self.assertRaisesMessage(DomainError, "district is applying 分级标准 v1 to this region now"):
                tasks.run_application(standard=standard, actor=self.colleague, seen=0)
        self.assertEqual(Application.objects.count(), 1)

    def test_it_refuses_a_press_on_a_page_an_application_has_overtaken(self):
        standard = make_standard(self.district)
        tasks.run_application(standard=standard, actor=self.district, seen=0)
        with self.assertRaisesMessage(DomainError, "district applied this standard at"):
            tasks.run_application(standard=standard, actor=self.colleague, seen=0)
        self.assertEqual(Application.objects.count(), 1)
        latest = Application.objects.get()
        again = tasks.run_application(standard=standard, actor=self.colleague, seen=latest.pk)
        self.assertEqual((again.status, Application.objects.count()), (Application.Status.DONE, 2))

    def test_it_keeps_the_tiers_as_they_are_while_applying(self):
        standard = make_standard(self.district)
        with override_settings(TASKS=QUEUED):
            tasks.run_application(standard=standard, actor=self.district)
        with self.assertRaisesMessage(DomainError, "This standard is being applied now"):
            standards.save_tier(standard=standard, actor=self.district, data={**TIERS[0], "code": "x"})

    def test_it_counts_only_done_applications_as_current(self):
        standard = make_standard(self.district)
        with override_settings(TASKS=QUEUED):
            waiting = tasks.run_application(standard=standard, actor=self.district)
        self.login(self.district)
        lead = standard.tiers.get(code="lead")
        form = self.client.get(reverse("enterprises:list")).context["form"]
        self.assertNotIn(lead, form.fields["tier"].queryset)
        standards.classify_enterprises(waiting)
        form = self.client.get(reverse("enterprises:list")).context["form"]
        self.assertIn(lead, form.fields["tier"].queryset)


class ApplicationPageTests(Region):
    def apply(self, standard, **data):
        self.login(self.district)
        return self.client.post(reverse("planning:standard_apply", args=[standard.pk]), data)

    def test_it_offers_the_latest_application_the_page_showed(self):
        standard = make_standard(self.district)
        self.login(self.district)
        page = self.client.get(reverse("planning:standard_apply", args=[standard.pk]))
        self.assertContains(page, 'name="seen" value="0"')

    def test_it_queues_the_press_and_shows_the_application_waiting(self):
        standard = make_standard(self.district)
        with override_settings(TASKS=QUEUED):
            response = self.apply(standard, seen=0)
        application = Application.objects.get()
        url = reverse("planning:application_detail", args=[application.pk])
        self.assertRedirects(response, url)
        said = [str(m) for m in get_messages(response.wsgi_request)]
        self.assertEqual(said, ["The enterprises are being classified in the background."])
        page = self.client.get(url)
        self.assertContains(page, f'hx-get="{url}"')
        self.assertNotContains(page, 'data-testid="application-counts"')
        self.assertTemplateUsed(
            self.client.get(url, HTTP_HX_REQUEST="true"), "planning/_application_status.html"
        )
        standards.classify_enterprises(application)
        self.assertEqual(self.client.get(url, HTTP_HX_REQUEST="true")["HX-Refresh"], "true")
        self.assertContains(self.client.get(url), 'data-testid="application-counts"')

    def test_it_says_who_applied_first_when_two_officers_press_on_the_same_page(self):
        standard = make_standard(self.district)
        tasks.run_application(standard=standard, actor=self.colleague, seen=0)
        response = self.apply(standard, seen=0)
        self.assertRedirects(response, reverse("planning:standard_detail", args=[standard.pk]))
        said = [str(m) for m in get_messages(response.wsgi_request)]
        self.assertEqual(len(said), 1)
        self.assertIn("district_colleague applied this standard at", said[0])
        self.assertEqual(Application.objects.count(), 1)

    def test_it_refuses_a_bad_seen_value_without_applying(self):
        standard = make_standard(self.district)
        response = self.apply(standard, seen="-1")
        self.assertRedirects(response, reverse("planning:standard_apply", args=[standard.pk]))
        self.assertFalse(Application.objects.exists())

    def test_it_shows_a_failed_application_with_its_reason(self):
        standard = make_standard(self.district)
        with (
            mock.patch.object(standards, "_insert_tiers", side_effect=RuntimeError("disk full")),
            self.assertLogs("smedx.planning.services.standards", "ERROR"),
        ):
            response = self.apply(standard)
        application = Application.objects.get()
        page = self.client.get(response["Location"])
        self.assertContains(page, 'data-testid="application-failed"')
        self.assertContains(page, application.error)


@unittest.skipIf(connection.vendor != "postgresql", "row locks need PostgreSQL")
class ConcurrentApplyTests(ConcurrencyTestCase):
    def test_it_makes_one_application_when_two_officers_press_at_once(self):
        PersonaTestCase.setUpTestData.__func__(type(self))
        colleague = make_user("district_colleague", self.district.organisation)
        for n in range(5):
            make_enterprise(self.home_region, f"并发{n}号")
        standard = make_standard(self.district)
        barrier, outcomes = threading.Barrier(2), []

        def press(actor):
            try:
                barrier.wait()
                tasks.run_application(standard=standard, actor=actor, seen=0)
                outcomes.append("applied")
            except DomainError:
                outcomes.append("refused")
            finally:
                connections.close_all()

        threads = [threading.Thread(target=press, args=(user,)) for user in (self.district, colleague)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(sorted(outcomes), ["applied", "refused"])
        application = Application.objects.get()
        self.assertEqual(application.status, Application.Status.DONE)
        self.assertEqual(
            EnterpriseTier.objects.filter(application=application).count(), application.enterprises
        )
