"""The enterprise API gives each enterprise's current level and score, and filters and sorts on them."""

from decimal import Decimal

from smedx.enterprises.models import Enterprise, LevelBasis
from smedx.testing.api import ApiTestCase


class EnterpriseCurrentLevelApiTests(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        Enterprise.objects.filter(pk=cls.enterprise.pk).update(
            current_level=3, current_score=Decimal("65.25"), current_basis=LevelBasis.VERIFIED
        )
        Enterprise.objects.filter(pk=cls.far_enterprise.pk).update(
            current_level=1, current_score=Decimal("30"), current_basis=LevelBasis.SELF
        )

    def names(self, **query):
        response = self.get("/enterprises", **query)
        self.assertEqual(response.status_code, 200, response.content)
        return [row["name"] for row in response.json()["results"]]

    def test_it_gives_the_current_level_score_and_basis(self):
        self.act_as("district")
        rows = {row["name"]: row for row in self.get("/enterprises").json()["results"]}
        mine = rows[self.enterprise.name]
        self.assertEqual(
            (mine["current_level"], mine["current_score"], mine["current_basis"]), (3, "65.250", "verified")
        )
        other = rows[self.other_enterprise.name]
        self.assertEqual(
            (other["current_level"], other["current_score"], other["current_basis"]), (None, None, "")
        )

    def test_it_filters_and_sorts_on_the_current_level_and_score(self):
        self.act_as("city")
        self.assertEqual(self.names(current_level="3"), [self.enterprise.name])
        self.assertEqual(self.names(current_level="none"), [self.other_enterprise.name])
        self.assertEqual(
            self.names(sort="-score"),
            [self.enterprise.name, self.far_enterprise.name, self.other_enterprise.name],
        )
        self.assertEqual(self.get("/enterprises", current_level="7").status_code, 422)
