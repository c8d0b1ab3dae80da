"""Who may know an assessment exists: the enterprise's own people and its officers."""

from smedx.assessments.loader import load_bundled
from smedx.assessments.models import Assessment, Instrument, LevelRule
from smedx.testing import PersonaTestCase


class AssessmentVisibilityTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        load_bundled()
        instrument = Instrument.objects.current("miit-2024-mfg")
        rule = LevelRule.objects.get()
        cls.own = Assessment.objects.create(enterprise=cls.enterprise, instrument=instrument, level_rule=rule)
        cls.far = Assessment.objects.create(
            enterprise=cls.far_enterprise, instrument=instrument, level_rule=rule
        )

    def visible(self, user):
        return set(Assessment.objects.visible_to(user))

    def test_it_shows_an_enterprise_its_own_assessments(self):
        self.assertEqual(self.visible(self.enterprise_user), {self.own})
        self.assertEqual(self.visible(self.enterprise_colleague), {self.own})

    def test_it_hides_them_from_another_enterprise(self):
        self.assertEqual(self.visible(self.other_enterprise_user), set())

    def test_it_shows_officers_their_region(self):
        self.assertEqual(self.visible(self.district), {self.own})
        self.assertEqual(self.visible(self.other_district), {self.far})
        self.assertEqual(self.visible(self.city), {self.own, self.far})

    def test_it_hides_them_from_outsiders_and_providers(self):
        self.assertEqual(self.visible(self.outsider), set())
        self.assertEqual(self.visible(self.provider), set())
