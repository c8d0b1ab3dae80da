"""Personas and builders shared by every app's tests.

`PersonaTestCase` creates one user per role, plus an officer of another district, another
enterprise and an outsider, once per test class. Tests name them: `self.city`, `self.district`,
`self.other_district`, `self.expert`, `self.provider`, `self.enterprise_user`, `self.other_enterprise_user`,
`self.platform`, `self.outsider`.
"""

import importlib
from collections import Counter
from decimal import Decimal
from itertools import count

from django.apps import apps as django_apps
from django.test import TestCase, TransactionTestCase

from smedx.accounts.models import ExpertProfile, Membership, Organisation, Region, User
from smedx.core import tallies
from smedx.core.creditcode import make_credit_code
from smedx.enterprises import tallies as enterprise_tallies
from smedx.enterprises.models import Enterprise
from smedx.enterprises.services.casefile import derive

PASSWORD = "Test-pass-123"
HOME_REGION = "500112"  # 渝北区
OTHER_REGION = "500105"  # 江北区
_serial = count(1000)


def make_user(username, org=None, role=Membership.Role.MEMBER, **extra):
    extra.setdefault("display_name", username)
    user = User.objects.create_user(username=username, password=PASSWORD, **extra)
    if org is not None:
        Membership.objects.create(user=user, organisation=org, role=role)
    return user


def make_org(kind, name, region=None, level="", status=Organisation.Status.ACTIVE):
    return Organisation.objects.create(kind=kind, name=name, region=region, level=level, status=status)


def make_enterprise(region, name=None, org=None, **fields):
    serial = next(_serial)
    defaults = {
        "name": name or f"测试企业{serial}",
        "credit_code": make_credit_code(region.code, serial),
        "region": region,
        "industry_division": "34",
        "employees": 120,
        "revenue": Decimal("5000"),
        "contact_phone": "13800001234",
        "organisation": org,
    }
    defaults.update(fields)
    enterprise = Enterprise(**defaults)
    derive(enterprise)
    enterprise.save()
    tallies.moved(Counter(), enterprise_tallies.snapshot(enterprise))  # as the filing service does
    return enterprise


def ensure_reference_data():
    """Reload what the data migrations write (regions, default tags) if a flush removed it.

    A TransactionTestCase empties every table after it runs; tests after it still need the regions.
    """
    if Region.objects.exists():
        return
    for module in (
        "smedx.accounts.migrations.0002_load_regions",
        "smedx.enterprises.migrations.0002_default_tags",
    ):
        importlib.import_module(module).load(django_apps, None)


class PersonaTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        ensure_reference_data()
        K = Organisation.Kind
        cls.city_region = Region.objects.get(code="500000")
        cls.home_region = Region.objects.get(code=HOME_REGION)
        cls.other_region = Region.objects.get(code=OTHER_REGION)
        city_org = make_org(K.AUTHORITY, "重庆市经济和信息化委员会", cls.city_region, "city")
        district_org = make_org(K.AUTHORITY, "渝北区经济和信息化委员会", cls.home_region, "district")
        other_district_org = make_org(K.AUTHORITY, "江北区经济和信息化委员会", cls.other_region, "district")
        committee = make_org(K.COMMITTEE, "联盟专家委员会")
        provider_org = make_org(K.PROVIDER, "测试服务商")
        platform_org = make_org(K.PLATFORM, "平台运营")
        cls.city = make_user("city", city_org, "admin")
        cls.district = make_user("district", district_org, "admin")
        cls.other_district = make_user("other_district", other_district_org, "admin")
        cls.expert = make_user("expert", committee)
        ExpertProfile.objects.create(user=cls.expert, fields_of_expertise="智能制造")
        cls.provider = make_user("provider", provider_org, "admin")
        cls.platform = make_user("platform", platform_org, "admin")
        cls.outsider = make_user("outsider")
        ent_org = make_org(K.ENTERPRISE, "测试企业甲", cls.home_region)
        other_ent_org = make_org(K.ENTERPRISE, "测试企业乙", cls.home_region)
        cls.enterprise = make_enterprise(cls.home_region, "测试企业甲", ent_org)
        cls.other_enterprise = make_enterprise(cls.home_region, "测试企业乙", other_ent_org)
        cls.far_enterprise = make_enterprise(cls.other_region, "江北测试企业")
        cls.enterprise_user = make_user("enterprise", ent_org, "admin")
        cls.enterprise_colleague = make_user("colleague", ent_org)
        cls.other_enterprise_user = make_user("other_enterprise", other_ent_org, "admin")

    def login(self, user):
        self.client.force_login(user)


class ConcurrencyTestCase(TransactionTestCase):
    """Two threads acting at once need real transactions, so the tables are flushed afterwards.

    `serialized_rollback` restores the migrations' data for the tests that follow; `setUp` reloads it
    when an earlier flush removed it.
    """

    serialized_rollback = True

    def setUp(self):
        super().setUp()
        ensure_reference_data()
