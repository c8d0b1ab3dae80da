"""Load the demo data: authorities, experts, providers, ~230 enterprises and the demo logins.

Idempotent: every row is found by its natural key (login name, organisation kind and name, credit
code) and only created when missing, so running the command again changes nothing. Sign-ups go
through the same services as the web forms, so their audit trail and notifications are real.
"""

from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from smedx.accounts import services as account_services
from smedx.accounts.models import ExpertProfile, Membership, Organisation, Region, User
from smedx.core.creditcode import make_credit_code
from smedx.core.models import Notification
from smedx.core.notifications import mark_read
from smedx.demo.assessments import seed_assessments
from smedx.demo.names import enterprise_specs
from smedx.demo.planning import seed_planning
from smedx.demo.projects import seed_projects
from smedx.demo.proposals import seed_proposals
from smedx.demo.providers import seed_providers as seed_provider_pool
from smedx.demo.subsidies import seed_subsidies
from smedx.enterprises import tallies as enterprise_tallies
from smedx.enterprises.models import Enterprise, Tag
from smedx.enterprises.services import casefile as enterprise_services

DEMO_PASSWORD = "Demo-2026!"
CITY = "500000"
HOME = "500112"  # 渝北区: the demo district officer and enterprise
AUTHORITY_DISTRICTS = ["500112", "500107", "500116", "500120", "500105", "500106", "500118"]
K = Organisation.Kind
ADMIN, MEMBER = Membership.Role.ADMIN, Membership.Role.MEMBER

COMMITTEE = "中小企业数字化转型联盟专家委员会"
PLATFORM = "中小企业数字化转型服务平台运营中心"
# username, name, fields of expertise, industries, employer, title
EXPERTS = [
    ("expert", "刘志远", "智能制造、精益管理", "34,36", "重庆大学机械与运载工程学院", "教授"),
    ("expert_chen", "陈晓梅", "工业互联网、数据治理", "36,39", "中国信息通信研究院西部分院", "高级工程师"),
    ("expert_wang", "王建军", "网络安全、等级保护", "", "重庆邮电大学网络空间安全学院", "副教授"),
    ("expert_zhou", "周海燕", "精益管理、生产运营", "13,14,15", "重庆市企业管理咨询协会", "高级咨询师"),
    ("expert_tan", "谭明", "数据治理、数字化财务", "", "西南大学经济管理学院", "副教授"),
    ("expert_ran", "冉俊", "工业自动化、智能装备", "34,35,38", "重庆机电职业技术大学", "正高级工程师"),
]
# name, credit-code serial, admin login (or "")
PROVIDERS = [
    ("重庆云智数字科技有限公司", 10001, "provider"),
    ("重庆渝新工业互联网科技有限公司", 10002, ""),
    ("重庆两江智造信息技术有限公司", 10003, ""),
    ("重庆巴渝数智科技有限公司", 10004, ""),
    ("重庆山城软件技术有限公司", 10005, ""),
    ("重庆鼎信网络安全技术有限公司", 10006, ""),
]
PENDING_PROVIDERS = [
    ("重庆星链数字科技有限公司", 30001, "pending_provider1", "何晓东"),
    ("重庆致远工业软件有限公司", 30002, "pending_provider2", "罗丽"),
]
DEMO_ENTERPRISE = {
    "name": "重庆空港宏达精密机械有限公司",
    "serial": 10101,
    "industry_division": "34",
    "industry_code": "3484",
    "employees": 186,
    "revenue": Decimal("8650"),
    "above_scale": True,
    "address": "重庆市渝北区空港工业园区双龙大道88号",
    "contact_name": "赵建国",
    "contact_phone": "13983012345",
}
PENDING_ENTERPRISES = [
    ("重庆回兴恒通汽车零部件有限公司", 30101, "36", 85, "3200", "pending_enterprise1", "杨洋"),
    ("重庆龙兴瑞丰电子科技有限公司", 30102, "39", 42, "960", "pending_enterprise2", "郭静"),
    ("重庆两路天成食品有限公司", 30103, "14", 16, "240", "pending_enterprise3", "谢勇"),
]

ACCOUNTS = [
    ("city_officer", "city"),
    ("district_officer", "district"),
    ("expert", "expert"),
    ("provider", "provider"),
    ("enterprise", "enterprise"),
    ("platform_admin", "platform"),
]


class Command(BaseCommand):
    help = "Load the demo data and the demo logins (password Demo-2026!). Safe to run again."

    def handle(self, *args, **options):
        self.regions = {region.code: region for region in Region.objects.all()}
        self.created = {"users": 0, "organisations": 0, "enterprises": 0}
        self.password_hash = None
        with transaction.atomic():
            self.seed_authorities()
            self.seed_committee()
            self.seed_providers()
            self.seed_platform()
            self.seed_enterprises()
        # Sign-ups run their own transactions and notify after commit, as they do on the web.
        self.seed_demo_enterprise()
        self.seed_pending_signups()
        self.print_summary()
        seed_assessments(self.stdout)
        seed_planning(self.stdout)
        seed_provider_pool(self.stdout)
        seed_proposals(self.stdout)
        seed_projects(self.stdout)
        seed_subsidies(self.stdout)
        # The demo writes many rows in bulk, past the services: its counts are set from the rows once.
        enterprise_tallies.rebuild()

    # Building blocks -------------------------------------------------------------------------

    def org(self, kind, name, **fields):
        org, created = Organisation.objects.get_or_create(kind=kind, name=name, defaults=fields)
        self.created["organisations"] += created
        return org

    def user(self, username, display_name, org=None, role=MEMBER, title="", **fields):
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"display_name": display_name, "email": f"{username}@demo.smedx.local", **fields},
        )
        if created:
            # One hash for all: hashing is deliberately slow, and these users share one password anyway.
            self.password_hash = self.password_hash or make_password(DEMO_PASSWORD)
            user.password = self.password_hash
            user.save(update_fields=["password"])
            self.created["users"] += 1
        if org is not None:
            Membership.objects.get_or_create(
                user=user, defaults={"organisation": org, "role": role, "title": title}
            )
        return user

    # Organisations and people -----------------------------------------------------------------

    def seed_authorities(self):
        city = self.org(
            K.AUTHORITY, "重庆市经济和信息化委员会", level=Organisation.Level.CITY, region=self.regions[CITY]
        )
        self.user("city_officer", "孙立新", city, ADMIN, "中小企业处")
        self.user("city_analyst", "唐敏", city, MEMBER, "中小企业处")
        for code in AUTHORITY_DISTRICTS:
            region = self.regions[code]
            self.org(K.AUTHORITY, f"{region.name}经济和信息化委员会", level="district", region=region)
        home = Organisation.objects.get(kind=K.AUTHORITY, region=self.regions[HOME])
        self.user("district_officer", "黄涛", home, ADMIN, "企业服务科")
        self.user("district_clerk", "宋艳", home, MEMBER, "企业服务科")
        other = Organisation.objects.get(kind=K.AUTHORITY, region=self.regions["500107"])
        self.user("district_officer_jlp", "蒋超", other, ADMIN, "中小企业科")

    def seed_committee(self):
        committee = self.org(K.COMMITTEE, COMMITTEE)
        for username, name, fields, industries, employer, title in EXPERTS:
            user = self.user(username, name, committee, MEMBER, "专家")
            ExpertProfile.objects.get_or_create(
                user=user,
                defaults={
                    "fields_of_expertise": fields,
                    "industries": industries,
                    "employer": employer,
                    "title": title,
                },
            )

    def seed_providers(self):
        for name, serial, login in PROVIDERS:
            org = self.org(
                K.PROVIDER, name, credit_code=make_credit_code(HOME, serial), contact_phone="023-67890000"
            )
            if login:
                self.user(login, "马俊", org, ADMIN, "解决方案总监")

    def seed_platform(self):
        org = self.org(K.PLATFORM, PLATFORM)
        self.user("platform_admin", "平台管理员", org, ADMIN, "运营", is_staff=True, is_superuser=True)

    def seed_enterprises(self):
        """The bulk of the case files: created in one go, skipping the ones already there."""
        specs = enterprise_specs({code: region.name for code, region in self.regions.items()})
        codes = [spec.credit_code for spec in specs]
        existing = set(Enterprise.objects.filter(credit_code__in=codes).values_list("credit_code", flat=True))
        new = []
        for spec in specs:
            if spec.credit_code in existing:
                continue
            enterprise = Enterprise(
                name=spec.name,
                credit_code=spec.credit_code,
                region=self.regions[spec.region_code],
                industry_division=spec.division,
                industry_code=spec.industry_code,
                employees=spec.employees,
                revenue=spec.revenue,
                above_scale=spec.above_scale,
                address=spec.address,
                contact_name=spec.contact_name,
                contact_phone=spec.contact_phone,
            )
            enterprise_services.derive(enterprise)
            new.append(enterprise)
        Enterprise.objects.bulk_create(new, batch_size=500)
        self.created["enterprises"] += len(new)
        ids = dict(Enterprise.objects.filter(credit_code__in=codes).values_list("credit_code", "pk"))
        tags = {tag.name: tag.pk for tag in Tag.objects.all()}
        Through = Enterprise.tags.through
        links = [
            Through(enterprise_id=ids[spec.credit_code], tag_id=tags[name])
            for spec in specs
            for name in spec.tags
            if name in tags
        ]
        Through.objects.bulk_create(links, ignore_conflicts=True)

    def seed_demo_enterprise(self):
        """The `enterprise` login: signs up like a real enterprise and is approved by the district."""
        if User.objects.filter(username="enterprise").exists():
            return
        data = {**DEMO_ENTERPRISE, "region": self.regions[HOME]}
        data["credit_code"] = make_credit_code(HOME, data.pop("serial"))
        admin = self.admin_fields("enterprise", "赵建国", "13983012345")
        enterprise, user = enterprise_services.sign_up_enterprise(data=data, admin=admin)
        officer = User.objects.get(username="district_officer")
        enterprise_services.review_enterprise(enterprise=enterprise, actor=officer, approve=True)
        # The officer has read the sign-up notice of the enterprise he approved.
        for note in (
            Notification.objects.visible_to(officer).unread().filter(url=f"/enterprises/{enterprise.pk}/")
        ):
            mark_read(user=officer, notification_id=note.pk)
        tags = Tag.objects.filter(name__in=["重点", "专精特新"])
        enterprise_services.update_enterprise(
            enterprise=enterprise, actor=officer, data={}, version=enterprise.version, tags=list(tags)
        )
        self.created["users"] += 1
        self.created["organisations"] += 1
        self.created["enterprises"] += 1
        Membership.objects.filter(user=user).update(title="总经理")
        # A second member makes the enterprise's working group visible on its case file.
        self.user("enterprise_staff", "钱芳", enterprise.organisation, MEMBER, "信息化专员")

    def seed_pending_signups(self):
        """Work for the district officer and the platform operator: sign-ups awaiting a decision."""
        for name, serial, division, employees, revenue, login, person in PENDING_ENTERPRISES:
            if User.objects.filter(username=login).exists():
                continue
            data = {
                "name": name,
                "credit_code": make_credit_code(HOME, serial),
                "region": self.regions[HOME],
                "industry_division": division,
                "industry_code": "",
                "employees": employees,
                "revenue": Decimal(revenue),
                "above_scale": Decimal(revenue) >= 2000,
                "address": f"重庆市渝北区{name[2:4]}工业园区",
                "contact_name": person,
                "contact_phone": f"1390230{serial % 10000:04d}",
            }
            enterprise_services.sign_up_enterprise(data=data, admin=self.admin_fields(login, person))
            self.created["users"] += 1
            self.created["organisations"] += 1
            self.created["enterprises"] += 1
        for name, serial, login, person in PENDING_PROVIDERS:
            if User.objects.filter(username=login).exists():
                continue
            account_services.sign_up_organisation(
                kind=K.PROVIDER,
                name=name,
                credit_code=make_credit_code("500107", serial),
                contact_phone="023-68880000",
                admin=self.admin_fields(login, person),
            )
            self.created["users"] += 1
            self.created["organisations"] += 1

    @staticmethod
    def admin_fields(username, display_name, phone=""):
        return {
            "username": username,
            "password": DEMO_PASSWORD,
            "email": f"{username}@demo.smedx.local",
            "display_name": display_name,
            "phone": phone,
        }

    # Report -------------------------------------------------------------------------------------

    def print_summary(self):
        from smedx.accounts.rights import role_of

        out = self.stdout
        made = self.created
        out.write(
            self.style.SUCCESS(
                f"Demo data ready ({timezone.localtime():%Y-%m-%d %H:%M}). Created now: "
                f"{made['organisations']} organisations, {made['users']} users, {made['enterprises']} enterprises."
            )
        )
        districts = Enterprise.objects.values("region").distinct().count()
        out.write(
            f"In the database: {Organisation.objects.count()} organisations, {User.objects.count()} users, "
            f"{Enterprise.objects.count()} enterprises in {districts} districts "
            f"({Enterprise.objects.filter(status=Enterprise.Status.PENDING).count()} sign-ups pending)."
        )
        out.write("")
        out.write(f"Demo accounts (password {DEMO_PASSWORD}; public, never use them in production):")
        out.write(f"  {'login':<18}{'role':<11}organisation")
        users = User.objects.filter(username__in=[name for name, _role in ACCOUNTS])
        by_name = {user.username: user for user in users}
        for username, _expected in ACCOUNTS:
            user = by_name.get(username)
            if user is not None:
                out.write(f"  {username:<18}{role_of(user):<11}{user.organisation}")
