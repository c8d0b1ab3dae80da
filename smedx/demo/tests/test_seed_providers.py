"""The pool's demo data: every status, a catalogue covering all 16 scenes, and nothing twice."""

from io import StringIO

from django.core.management import call_command
from django.test import TestCase

from smedx.accounts.models import User
from smedx.core.models import AuditEntry
from smedx.providers.models import ProviderProfile, ProviderStatusChange, Solution, SolutionScene


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


class SeedProvidersTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.output = seed()

    def test_it_fills_every_status_of_the_pool(self):
        statuses = set(ProviderProfile.objects.values_list("status", flat=True))
        self.assertEqual(statuses, set(ProviderProfile.Status.values))
        self.assertTrue(ProviderProfile.objects.filter(organisation__is_diagnosis_institution=True).exists())
        self.assertTrue(ProviderStatusChange.objects.filter(to_status="warned").exists())

    def test_the_provider_login_went_through_the_services_and_is_listed(self):
        provider = User.objects.get(username="provider")
        profile = ProviderProfile.objects.get(organisation=provider.organisation)
        self.assertEqual(profile.status, ProviderProfile.Status.LISTED)
        self.assertEqual(profile.expert_reviews.count(), 2)
        self.assertTrue(
            AuditEntry.objects.filter(action="providers.profile.listed", object_id=str(profile.pk))
        )
        self.assertTrue(
            profile.references.filter(confirmation="asked", enterprise__name="重庆空港宏达精密机械有限公司")
        )

    def test_the_catalogue_covers_every_scene_with_forty_solutions_or_more(self):
        catalogue = Solution.objects.catalogue()
        self.assertGreaterEqual(catalogue.count(), 40)
        scenes = set(SolutionScene.objects.filter(solution__in=catalogue).values_list("scene", flat=True))
        self.assertEqual(scenes, {f"S{n:02d}" for n in range(1, 17)})
        self.assertIn("the catalogue shows", self.output)

    def test_it_creates_nothing_when_run_again(self):
        before = (ProviderProfile.objects.count(), Solution.objects.count(), AuditEntry.objects.count())
        output = seed()
        self.assertIn("Providers: 0 profiles and 0 solutions created now", output)
        self.assertEqual((ProviderProfile.objects.count(), Solution.objects.count()), before[:2])
