"""The pool's read-only figures."""

from smedx.providers.metrics import status_counts
from smedx.providers.models import ProviderProfile
from smedx.testing import PersonaTestCase, make_org

S = ProviderProfile.Status


class StatusCountTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for n, status in enumerate([S.DRAFT, S.APPLIED, S.APPLIED, S.LISTED]):
            ProviderProfile.objects.create(organisation=make_org("provider", f"服务商{n}"), status=status)

    def test_it_counts_every_status_in_one_query(self):
        _org = self.platform.organisation  # the user's own organisation is looked up once per request
        with self.assertNumQueries(1):
            counts = status_counts(self.platform)
        self.assertEqual(set(counts), set(S.values))
        self.assertEqual((counts[S.DRAFT], counts[S.APPLIED], counts[S.LISTED]), (1, 2, 1))
        self.assertEqual(counts[S.SUSPENDED], 0)

    def test_it_matches_a_direct_count(self):
        counts = status_counts(self.platform)
        for status in S.values:
            visible = ProviderProfile.objects.visible_to(self.platform).filter(status=status).count()
            self.assertEqual(counts[status], visible, status)
