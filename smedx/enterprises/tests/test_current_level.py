"""The enterprise list and export by current level and score, and its one 待审核 status filter."""

from decimal import Decimal
from io import BytesIO

from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from smedx.accounts.models import Organisation
from smedx.core.frame import collect
from smedx.enterprises.forms.casefile import EnterpriseFilterForm
from smedx.enterprises.models import Enterprise, LevelBasis
from smedx.testing import PersonaTestCase, make_enterprise, make_org

LIST = reverse("enterprises:list")
EXPORT = reverse("enterprises:export")


def rate(enterprise, level, score, basis=LevelBasis.SELF):
    # The row as stage 1's services leave it (assessments.tests.test_standing checks they do).
    Enterprise.objects.filter(pk=enterprise.pk).update(
        current_level=level, current_score=Decimal(score), current_basis=basis
    )


class CurrentLevelListTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        rate(cls.enterprise, 3, "65.25", LevelBasis.VERIFIED)
        rate(cls.other_enterprise, 1, "30.5")
        rate(cls.far_enterprise, 3, "70")

    def setUp(self):
        translation.activate("zh-hans")
        self.addCleanup(translation.deactivate)

    def names(self, query, user=None):
        self.client.force_login(user or self.city)
        response = self.client.get(LIST + query)
        self.assertEqual(response.status_code, 200)
        return [e.name for e in response.context["page"].object_list]

    def test_it_filters_by_current_level(self):
        self.assertEqual(set(self.names("?current_level=3")), {"测试企业甲", "江北测试企业"})
        self.assertEqual(self.names("?current_level=3", user=self.district), ["测试企业甲"])
        self.assertEqual(self.names("?current_level=1"), ["测试企业乙"])
        self.assertEqual(self.names("?current_level=4"), [])
        make_enterprise(self.home_region, "未评估企业")
        self.assertEqual(self.names("?current_level=none"), ["未评估企业"])

    def test_it_sorts_by_current_score_with_the_unrated_last(self):
        make_enterprise(self.home_region, "未评估企业")
        self.assertEqual(
            self.names("?sort=-score"), ["江北测试企业", "测试企业甲", "测试企业乙", "未评估企业"]
        )
        self.assertEqual(
            self.names("?sort=score"), ["测试企业乙", "测试企业甲", "江北测试企业", "未评估企业"]
        )

    def test_it_shows_the_current_level_and_score_as_columns(self):
        self.client.force_login(self.district)
        response = self.client.get(LIST, HTTP_ACCEPT_LANGUAGE="zh-hans")
        self.assertContains(response, "当前等级")
        self.assertContains(response, "当前得分")
        self.assertContains(response, "三级")
        self.assertContains(response, "65.25")
        self.assertContains(response, "已现场核验")

    def test_it_exports_the_current_level_and_score(self):
        self.client.force_login(self.district)
        response = self.client.post(EXPORT + "?current_level=3", HTTP_ACCEPT_LANGUAGE="zh-hans")
        header, *rows = load_workbook(BytesIO(response.getvalue()), read_only=True).active.iter_rows(
            values_only=True
        )
        self.assertEqual(len(rows), 1)
        row = dict(zip(header, rows[0], strict=False))
        self.assertEqual(row["当前等级"], "三级")
        self.assertEqual(row["当前得分"], 65.25)
        self.assertEqual(row["当前等级依据"], "已现场核验")


class StatusFilterTests(PersonaTestCase):
    def test_it_offers_awaiting_review_once(self):
        with translation.override("zh-hans"):
            form = EnterpriseFilterForm(user=self.city)
            labels = [str(label) for _value, label in form.fields["status"].choices]
        self.assertEqual(labels.count("待审核"), 1, labels)

    def test_it_selects_new_sign_ups_and_pending_claims_under_it(self):
        make_enterprise(self.home_region, "待审企业", status=Enterprise.Status.PENDING)
        claimant = make_org(
            Organisation.Kind.ENTERPRISE, "认领中企业", self.home_region, status=Organisation.Status.PENDING
        )
        make_enterprise(self.home_region, "认领中企业", claimant)
        self.client.force_login(self.district)
        page = self.client.get(LIST + "?status=pending").context["page"]
        self.assertEqual({e.name for e in page.object_list}, {"待审企业", "认领中企业"})

    def test_it_links_the_to_do_and_the_shortcut_to_the_same_filter(self):
        make_enterprise(self.home_region, "待审企业", status=Enterprise.Status.PENDING)
        urls = {todo.url for fn in collect("todos") for todo in fn(self.district)}
        queries = {url.split("?")[1] for url in urls if url.startswith(LIST + "?status=")}
        shortcuts = {s.query for s in collect("shortcuts") if s.url == "enterprises:list" and s.query}
        self.assertEqual(queries, {"status=pending"})
        self.assertEqual(shortcuts, {"?status=pending"})
