from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from smedx.core.creditcode import credit_code_error, make_credit_code
from smedx.core.models import AuditEntry
from smedx.enterprises.models import Enterprise, Tag
from smedx.testing import make_enterprise
from smedx.testing.api import API, ApiTestCase, enterprise_payload


class EnterpriseListTests(ApiTestCase):
    def ids_seen_by(self, persona):
        self.act_as(persona)
        response = self.get("/enterprises")
        if response.status_code != 200:
            return response.status_code
        return {row["name"] for row in response.json()["results"]}

    def test_it_scopes_the_list_to_what_each_persona_may_see(self):
        home = {self.enterprise.name, self.other_enterprise.name}
        expected = {
            "city": home | {self.far_enterprise.name},
            "district": home,
            "other_district": {self.far_enterprise.name},
            "expert": 403,
            "provider": 403,
            "enterprise_user": 403,
            "other_enterprise_user": 403,
            "platform": 403,
            "outsider": 403,
            "anonymous": 401,
        }
        for persona in self.PERSONAS:
            with self.subTest(persona):
                self.assertEqual(self.ids_seen_by(persona), expected[persona])

    def test_it_answers_the_same_as_the_list_page(self):
        page_to_api = {200: 200, 403: 403, 302: 401}
        for persona in self.PERSONAS:
            with self.subTest(persona):
                self.act_as(persona)
                page = self.client.get("/enterprises/")
                api = self.get("/enterprises")
                self.assertEqual(page_to_api[page.status_code], api.status_code)

    def test_it_refuses_with_json_messages(self):
        self.act_as("expert")
        response = self.get("/enterprises")
        self.assertEqual(response.status_code, 403)
        self.assertEqual(response["Content-Type"], "application/json; charset=utf-8")
        self.assertTrue(response.json()["detail"])

    def test_it_masks_phone_numbers_in_the_list(self):
        self.act_as("city")
        rows = self.get("/enterprises").json()["results"]
        self.assertEqual({row["contact_phone"] for row in rows}, {"138****1234"})

    def test_it_filters_like_the_list_page(self):
        tag = Tag.objects.get(name="重点")
        self.enterprise.tags.add(tag)
        self.act_as("city")
        cases = [
            ({"region": "500105"}, {self.far_enterprise.name}),
            ({"region": str(self.home_region.pk)}, {self.enterprise.name, self.other_enterprise.name}),
            ({"q": "测试企业甲"}, {self.enterprise.name}),
            ({"q": self.far_enterprise.credit_code[:10]}, {self.far_enterprise.name}),
            ({"tag": tag.pk}, {self.enterprise.name}),
            ({"division": "34", "section": "C"}, {e.name for e in Enterprise.objects.all()}),
            ({"division": "65"}, set()),
            ({"above_scale": "true"}, set()),
            (
                {"stage": 0, "status": "active", "size": self.enterprise.size_class},
                {e.name for e in Enterprise.objects.all()},
            ),
        ]
        for query, names in cases:
            with self.subTest(query):
                response = self.get("/enterprises", **query)
                self.assertEqual(response.status_code, 200, response.content)
                self.assertEqual({row["name"] for row in response.json()["results"]}, names)

    def test_it_offers_a_district_officer_only_its_own_district_as_filter(self):
        self.act_as("district")
        response = self.get("/enterprises", region="500105")
        self.assertEqual(response.status_code, 422)
        self.assertIn("region", response.json()["errors"])

    def test_it_refuses_bad_filters_naming_the_field(self):
        self.act_as("city")
        for query, field in [
            ({"size": "huge"}, "size"),
            ({"stage": 42}, "stage"),
            ({"page_size": 101}, "page_size"),
        ]:
            with self.subTest(query):
                response = self.get("/enterprises", **query)
                self.assertEqual(response.status_code, 422)
                self.assertIn(field, response.json()["errors"])
                self.assertTrue(response.json()["detail"])

    def test_it_paginates(self):
        self.act_as("city")
        first = self.get("/enterprises", page_size=2).json()
        second = self.get("/enterprises", page_size=2, page=2).json()
        beyond = self.get("/enterprises", page_size=2, page=9).json()
        self.assertEqual((first["count"], first["page"], first["pages"], len(first["results"])), (3, 1, 2, 2))
        self.assertEqual((second["page"], len(second["results"])), (2, 1))
        self.assertEqual((beyond["count"], beyond["results"]), (3, []))
        names = {row["name"] for row in first["results"] + second["results"]}
        self.assertEqual(len(names), 3)

    def test_it_lists_without_a_query_per_row(self):
        tags = list(Tag.objects.all()[:2])
        for _ in range(6):
            make_enterprise(self.home_region).tags.set(tags)
        self.act_as("city")
        # session, user, membership, count, page, tags — however many rows.
        with self.assertNumQueries(6):
            response = self.get("/enterprises", page_size=100)
        self.assertEqual(len(response.json()["results"]), 9)
        with CaptureQueriesContext(connection) as few:
            self.get("/enterprises", page_size=2)
        self.assertEqual(len(few), 6)


class EnterpriseDetailTests(ApiTestCase):
    def test_it_shows_a_case_file_only_to_who_may_see_it(self):
        ent, other, far = self.enterprise, self.other_enterprise, self.far_enterprise
        everything = {ent: 200, other: 200, far: 200}
        nothing = {ent: 404, other: 404, far: 404}
        expected = {
            "city": everything,
            "district": {ent: 200, other: 200, far: 404},
            "other_district": {ent: 404, other: 404, far: 200},
            "expert": nothing,
            "provider": nothing,
            "enterprise_user": {ent: 200, other: 404, far: 404},
            "other_enterprise_user": {ent: 404, other: 200, far: 404},
            "platform": nothing,
            "outsider": nothing,
            "anonymous": {ent: 401, other: 401, far: 401},
        }
        for persona in self.PERSONAS:
            self.act_as(persona)
            for enterprise, status in expected[persona].items():
                with self.subTest(persona=persona, enterprise=enterprise.name):
                    response = self.get(f"/enterprises/{enterprise.pk}")
                    self.assertEqual(response.status_code, status)
                    if status == 200:
                        self.assertEqual(response.json()["credit_code"], enterprise.credit_code)
                    else:
                        self.assertIn("detail", response.json())

    def test_it_answers_the_same_as_the_detail_page(self):
        page_to_api = {200: 200, 404: 404, 302: 401}
        for persona in self.PERSONAS:
            self.act_as(persona)
            for enterprise in (self.enterprise, self.far_enterprise):
                with self.subTest(persona=persona, enterprise=enterprise.name):
                    page = self.client.get(f"/enterprises/{enterprise.pk}/")
                    api = self.get(f"/enterprises/{enterprise.pk}")
                    self.assertEqual(page_to_api[page.status_code], api.status_code)

    def test_it_shows_the_full_phone_to_who_may_change_the_enterprise(self):
        for persona in ("city", "district", "enterprise_user"):
            with self.subTest(persona):
                self.act_as(persona)
                data = self.get(f"/enterprises/{self.enterprise.pk}").json()
                self.assertEqual(data["contact_phone"], "13800001234")
                self.assertEqual(data["region"]["code"], "500112")
                self.assertEqual(data["version"], self.enterprise.version)

    def test_it_answers_404_json_for_an_unknown_id(self):
        self.act_as("city")
        response = self.get("/enterprises/999999")
        self.assertEqual(response.status_code, 404)
        self.assertTrue(response.json()["detail"])

    def test_it_refuses_a_wrong_method(self):
        self.act_as("city")
        response = self.client.delete(f"{API}/enterprises/{self.enterprise.pk}")
        self.assertEqual(response.status_code, 405)
        self.assertIn("DELETE", response.json()["detail"])
        self.assertIn("PATCH", response["Allow"])
        self.assertTrue(Enterprise.objects.filter(pk=self.enterprise.pk).exists())


class EnterpriseCreateTests(ApiTestCase):
    def test_it_lets_only_officers_create(self):
        regions = {"other_district": self.other_region}
        expected = {"city": 201, "district": 201, "other_district": 201, "anonymous": 401}
        for persona in self.PERSONAS:
            with self.subTest(persona):
                self.act_as(persona)
                payload = enterprise_payload(regions.get(persona, self.home_region))
                response = self.post("/enterprises", payload)
                status = expected.get(persona, 403)
                self.assertEqual(response.status_code, status, response.content)
                created = Enterprise.objects.filter(credit_code=payload["credit_code"]).first()
                self.assertEqual(created is not None, status == 201)

    def test_it_creates_through_the_service(self):
        self.act_as("district")
        tag = Tag.objects.get(name="潜力")
        payload = enterprise_payload(self.home_region, tags=[tag.pk], above_scale=True)
        response = self.post("/enterprises", payload)
        self.assertEqual(response.status_code, 201, response.content)
        data = response.json()
        enterprise = Enterprise.objects.get(pk=data["id"])
        self.assertEqual(enterprise.region, self.home_region)
        self.assertEqual(enterprise.revenue, Decimal("1200.50"))
        self.assertEqual(enterprise.industry_section, "C")
        self.assertTrue(enterprise.above_scale)
        self.assertEqual(list(enterprise.tags.all()), [tag])
        self.assertEqual(data["tags"], [{"id": tag.pk, "name": "潜力"}])
        self.assertEqual(data["warnings"], [])
        self.assertEqual(data["contact_phone"], "13900002222")
        self.assertTrue(
            AuditEntry.objects.filter(
                action="enterprises.enterprise.created", object_id=str(enterprise.pk)
            ).exists()
        )

    def test_it_refuses_a_bad_credit_code_with_the_form_message(self):
        self.act_as("city")
        payload = enterprise_payload(self.home_region)
        payload["credit_code"] = payload["credit_code"][:-1] + (
            "0" if payload["credit_code"][-1] != "0" else "1"
        )
        response = self.post("/enterprises", payload)
        self.assertEqual(response.status_code, 422)
        self.assertEqual(
            response.json()["errors"]["credit_code"], [credit_code_error(payload["credit_code"])]
        )
        self.assertFalse(Enterprise.objects.filter(name=payload["name"]).exists())

    def test_it_refuses_a_code_that_is_already_filed(self):
        self.act_as("city")
        response = self.post(
            "/enterprises", enterprise_payload(self.home_region, credit_code=self.enterprise.credit_code)
        )
        self.assertEqual(response.status_code, 422)
        self.assertIn("credit_code", response.json()["errors"])
        self.assertEqual(Enterprise.objects.filter(credit_code=self.enterprise.credit_code).count(), 1)

    def test_it_refuses_a_finer_code_outside_the_division(self):
        self.act_as("city")
        payload = enterprise_payload(self.home_region, industry_code="6511")
        response = self.post("/enterprises", payload)
        self.assertEqual(response.status_code, 422)
        self.assertIn("industry_code", response.json()["errors"])
        self.assertFalse(Enterprise.objects.filter(name=payload["name"]).exists())

    def test_it_refuses_numbers_out_of_range_like_the_form(self):
        self.act_as("city")
        for body in ({"employees": 99_999_999_999}, {"employees": -1}, {"revenue": "-0.01"}):
            with self.subTest(body):
                payload = enterprise_payload(self.home_region, **body)
                response = self.post("/enterprises", payload)
                self.assertEqual(response.status_code, 422, response.content)
                self.assertEqual(set(response.json()["errors"]), set(body))
                self.assertFalse(Enterprise.objects.filter(name=payload["name"]).exists())
        self.act_as("district")
        response = self.patch(
            f"/enterprises/{self.enterprise.pk}",
            {"employees": 10_000_001, "version": self.enterprise.version},
        )
        self.assertEqual(response.status_code, 422, response.content)
        self.assertIn("employees", response.json()["errors"])

    def test_it_refuses_missing_and_unknown_fields_naming_them(self):
        self.act_as("city")
        payload = enterprise_payload(self.home_region, colour="red")
        del payload["employees"]
        response = self.post("/enterprises", payload)
        self.assertEqual(response.status_code, 422)
        self.assertEqual(set(response.json()["errors"]), {"employees", "colour"})
        self.assertFalse(Enterprise.objects.filter(name=payload["name"]).exists())

    def test_it_returns_the_division_code_warning(self):
        self.act_as("city")
        payload = enterprise_payload(self.home_region, credit_code=make_credit_code("500105", 7999))
        response = self.post("/enterprises", payload)
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(len(response.json()["warnings"]), 1)
        self.assertIn("500105", response.json()["warnings"][0])

    def test_it_refuses_a_district_filing_elsewhere_with_the_service_message(self):
        self.act_as("district")
        payload = enterprise_payload(self.other_region)
        response = self.post("/enterprises", payload)
        self.assertEqual(response.status_code, 400)
        self.assertIn(self.home_region.name, response.json()["detail"])
        self.assertFalse(Enterprise.objects.filter(name=payload["name"]).exists())


class EnterpriseUpdateTests(ApiTestCase):
    def test_it_lets_only_who_may_change_the_enterprise_update_it(self):
        expected = {"city": 200, "district": 200, "enterprise_user": 200, "anonymous": 401}
        for persona in self.PERSONAS:
            with self.subTest(persona):
                self.act_as(persona)
                self.enterprise.refresh_from_db()
                name = f"改名-{persona}"
                response = self.patch(
                    f"/enterprises/{self.enterprise.pk}", {"name": name, "version": self.enterprise.version}
                )
                status = expected.get(persona, 404)
                self.assertEqual(response.status_code, status, response.content)
                self.enterprise.refresh_from_db()
                self.assertEqual(self.enterprise.name == name, status == 200)

    def test_it_changes_only_the_fields_sent(self):
        self.act_as("district")
        before = Enterprise.objects.get(pk=self.enterprise.pk)
        response = self.patch(f"/enterprises/{before.pk}", {"employees": 400, "version": before.version})
        self.assertEqual(response.status_code, 200, response.content)
        after = Enterprise.objects.get(pk=before.pk)
        self.assertEqual((after.employees, after.name, after.version), (400, before.name, before.version + 1))
        self.assertEqual(response.json()["version"], before.version + 1)
        entry = AuditEntry.objects.filter(action="enterprises.enterprise.updated").latest("pk")
        self.assertEqual(entry.data["changed"], {"employees": "400"})

    def test_it_changes_tags_for_officers(self):
        self.act_as("city")
        tag = Tag.objects.get(name="重点")
        response = self.patch(
            f"/enterprises/{self.enterprise.pk}", {"tags": [tag.pk], "version": self.enterprise.version}
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(list(self.enterprise.tags.all()), [tag])

    def test_it_moves_an_enterprise_by_region_code(self):
        self.act_as("city")
        response = self.patch(
            f"/enterprises/{self.far_enterprise.pk}",
            {"region": "500112", "version": self.far_enterprise.version},
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.far_enterprise.refresh_from_db()
        self.assertEqual(self.far_enterprise.region, self.home_region)
        self.assertEqual(len(response.json()["warnings"]), 1)

    def test_it_refuses_a_stale_version_with_409(self):
        self.act_as("district")
        stale = self.enterprise.version
        self.assertEqual(
            self.patch(
                f"/enterprises/{self.enterprise.pk}", {"name": "第一次", "version": stale}
            ).status_code,
            200,
        )
        response = self.patch(f"/enterprises/{self.enterprise.pk}", {"name": "第二次", "version": stale})
        self.assertEqual(response.status_code, 409)
        self.assertIn("Somebody else changed", response.json()["detail"])
        self.enterprise.refresh_from_db()
        self.assertEqual(self.enterprise.name, "第一次")

    def test_it_needs_the_version(self):
        self.act_as("district")
        response = self.patch(f"/enterprises/{self.enterprise.pk}", {"name": "没有版本"})
        self.assertEqual(response.status_code, 422)
        self.assertIn("version", response.json()["errors"])

    def test_it_refuses_bad_input_naming_the_field(self):
        self.act_as("district")
        for body, field in [
            ({"industry_division": "99"}, "industry_division"),
            ({"industry_code": "12"}, "industry_code"),
            ({"name": ""}, "name"),
            ({"employees": "many"}, "employees"),
            ({"credit_code": self.far_enterprise.credit_code}, "credit_code"),
        ]:
            with self.subTest(field):
                response = self.patch(
                    f"/enterprises/{self.enterprise.pk}", {**body, "version": self.enterprise.version}
                )
                self.assertEqual(response.status_code, 422, response.content)
                self.assertIn(field, response.json()["errors"])
        self.assertEqual(Enterprise.objects.get(pk=self.enterprise.pk).version, self.enterprise.version)

    def test_it_keeps_tags_out_of_an_enterprise_users_reach(self):
        self.act_as("enterprise_user")
        tag = Tag.objects.get(name="重点")
        response = self.patch(
            f"/enterprises/{self.enterprise.pk}", {"tags": [tag.pk], "version": self.enterprise.version}
        )
        self.assertEqual(response.status_code, 422)
        self.assertIn("tags", response.json()["errors"])
        self.assertFalse(self.enterprise.tags.exists())

    def test_it_keeps_the_district_out_of_an_enterprise_users_reach(self):
        self.act_as("enterprise_user")
        response = self.patch(
            f"/enterprises/{self.enterprise.pk}", {"region": "500105", "version": self.enterprise.version}
        )
        self.assertEqual(response.status_code, 422, response.content)
        self.assertEqual(response.json()["errors"], {"region": ["You may not change this field."]})
        self.enterprise.refresh_from_db()
        self.assertEqual(
            (self.enterprise.region, self.enterprise.version), (self.home_region, self.enterprise.version)
        )

    def test_it_refuses_a_district_moving_an_enterprise_away(self):
        self.act_as("district")
        response = self.patch(
            f"/enterprises/{self.enterprise.pk}", {"region": "500105", "version": self.enterprise.version}
        )
        self.assertEqual(response.status_code, 400)
        self.enterprise.refresh_from_db()
        self.assertEqual(self.enterprise.region, self.home_region)
