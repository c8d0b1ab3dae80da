"""Stage 3 supply-side demo data: the provider pool in every state and a catalogue covering S01–S16.

`seed_providers(stdout)` is called by `seed_demo` after the assessments. The `provider` login's
organisation (重庆云智数字科技有限公司) goes through the real services: profile, certificates, six
reference customers, application, start of the review, two expert reviews, the city's decision, the
public notice (moved into the past, as if it ran last month), listing, its solutions, and a request to
the demo `enterprise` to confirm it is a customer. The other providers have no logins of their own,
so their rows are written the way the services would leave them, history included.

Idempotent: a provider that already has a profile is left alone.
"""

from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal
from unittest import mock

from django.db import transaction
from django.utils import timezone

from smedx.accounts.models import Organisation, Region, User
from smedx.core.creditcode import make_credit_code
from smedx.enterprises.models import Enterprise
from smedx.providers.models import (
    ExpertReview,
    ProviderCertificate,
    ProviderProfile,
    ProviderReference,
    ProviderStatusChange,
    Solution,
    SolutionScene,
)
from smedx.providers.reference import pack
from smedx.providers.services import application, catalogue, management

S = ProviderProfile.Status
HOME = "500112"
DEMO_PROVIDER = "重庆云智数字科技有限公司"
DEMO_ENTERPRISE = "重庆空港宏达精密机械有限公司"

# name, status, rating, founded, staff, R&D, capital, revenue, profit, debt %, industries, scenes, districts
PROVIDERS = [
    (DEMO_PROVIDER, S.LISTED, "4.6", 2014, 160, 85, "3000", "8600", "720", "41.5",
     "34,35,36,38", "S05,S06,S07,S08,S09,S13,S16", "500000"),
    ("重庆渝新工业互联网科技有限公司", S.LISTED, "4.3", 2016, 120, 60, "2000", "5400", "380", "46.0",
     "13,26,33,34,36", "S08,S10,S11,S12,S14", "500000"),
    ("重庆两江智造信息技术有限公司", S.LISTED, "4.5", 2012, 210, 110, "5000", "12800", "1160", "38.2",
     "34,35,36,38,39", "S01,S02,S03,S06,S07,S08,S11,S13,S16", "500112,500105,500106,500107,500108"),
    ("重庆巴渝数智科技有限公司", S.WARNED, "3.4", 2018, 65, 30, "1000", "2100", "90", "58.0",
     "", "S03,S04,S14,S15", "500112,500113,500116"),
    ("重庆山城软件技术有限公司", S.IN_PUBLIC_NOTICE, None, 2017, 48, 26, "800", "1600", "120", "44.0",
     "34,36", "S06,S12", "500105,500106"),
    ("重庆鼎信网络安全技术有限公司", S.LISTED, "4.1", 2013, 90, 55, "2000", "4300", "410", "35.6",
     "", "S09,S14,S15,S16", "500000"),
    ("重庆渝州精益管理咨询有限公司", S.UNDER_REVIEW, None, 2015, 32, 8, "500", "980", "75", "30.0",
     "13,14,18,34", "S05,S06,S16", "500112,500108"),
    ("重庆江津智联物联网科技有限公司", S.APPLIED, None, 2019, 40, 22, "1000", "1350", "60", "52.0",
     "33,34", "S08,S10", "500116,500120"),
    ("重庆长寿云仓科技有限公司", S.DRAFT, None, 2021, 18, 9, "300", "420", "-35", "61.0",
     "", "S12", "500115"),
    ("重庆南岸数码科技有限公司", S.SUSPENDED, "2.8", 2016, 55, 20, "1000", "1900", "40", "67.5",
     "", "S03,S15", "500108"),
    ("重庆沙坪坝信达软件有限公司", S.REMOVED, "2.1", 2011, 30, 10, "500", "700", "-120", "82.0",
     "", "S13", "500106"),
]  # fmt: skip

# name, summary, keywords, scenes ((code, from, to), …), industries, deployment, price min, max, unit, days
SOLUTIONS = {
    DEMO_PROVIDER: [
        ("云MES轻量版", "车间计划下达、扫码报工、在制品跟踪和生产看板，两周上线", "MES,生产管控,报工",
         (("S06", 1, 3), ("S05", 0, 2)), "34,35,36", "saas", 30000, 80000, "per_year", 30),
        ("设备点检APP", "扫码点检、巡检路线、故障报修和保养提醒，手机即可用", "设备点检,点巡检,设备状态监测",
         (("S08", 0, 2),), "", "saas", 6800, 19800, "per_year", 7),
        ("设备联网数采网关", "PLC/数控系统联网采集开机率、产量和报警，接入云平台", "设备联网,数据采集,DNC,MDC,工业网关",
         (("S08", 1, 3), ("S06", 1, 2)), "34,35", "hybrid", 45000, 150000, "per_project", 45),
        ("生产看板与报工小程序", "微信小程序报工，车间大屏实时显示产量与达成率", "生产看板,报工,MES",
         (("S06", 0, 2),), "", "saas", 3600, 12000, "per_year", 5),
        ("APS智能排产助手", "按订单交期、产能和物料自动排产，插单一键重排", "APS,计划排程,排产",
         (("S05", 1, 3),), "34,36,38", "saas", 50000, 160000, "per_year", 60),
        ("质量追溯云QMS", "来料、过程、成品检验记录与批次追溯，SPC 图表自动生成", "QMS,质量追溯,SPC",
         (("S07", 1, 3),), "", "saas", 24000, 72000, "per_year", 30),
        ("数字化转型诊断咨询", "对标 2024 年版评测指标现场诊断，出具诊断报告和改造路线图", "诊断咨询,数字化转型规划",
         (("S16", 0, 2),), "", "on_premises", 20000, 60000, "per_project", 20),
        ("工业BI经营驾驶舱", "销售、生产、财务数据一屏可见，手机随时查看经营指标", "BI,经营分析,数据看板",
         (("S16", 1, 3), ("S13", 1, 2)), "", "saas", 30000, 90000, "per_year", 25),
        ("安全生产隐患排查APP", "隐患随手拍、整改闭环、安全检查表，满足安全生产标准化要求", "安全生产,隐患排查,监测预警",
         (("S09", 0, 2),), "", "saas", 5000, 15000, "per_year", 7),
        ("费用报销与电子发票", "移动报销、发票自动查验和归档，与财务软件对接", "财务,费用报销,电子发票",
         (("S13", 0, 2), ("S15", 0, 1)), "", "saas", 30, 80, "per_user_year", 3),
        ("销售预测与计划协同", "按历史订单预测需求，产销计划在线协同", "APS,销售预测,计划排程",
         (("S05", 2, 3), ("S03", 1, 2)), "34,36", "saas", 60000, 180000, "per_year", 45),
    ],
    "重庆渝新工业互联网科技有限公司": [
        ("能耗在线监测", "水电气表计联网，分车间、分设备能耗实时监测和异常告警", "能源在线监测,能耗监测,EMS,能源管理",
         (("S10", 0, 2),), "", "saas", 18000, 48000, "per_year", 20),
        ("智慧能源管理系统EMS", "能耗定额、峰谷用电分析、碳排放核算与节能诊断", "EMS,能源管理,碳排放核算",
         (("S10", 1, 3),), "13,26,30,33", "hybrid", 80000, 260000, "per_set", 60),
        ("仓储WMS云版", "库位管理、条码/RFID 出入库、盘点和库存预警", "WMS,条码,RFID,仓储管理",
         (("S12", 1, 3),), "", "saas", 20000, 60000, "per_year", 30),
        ("扫码出入库小程序", "手机扫码出入库，库存实时可查，零硬件投入", "扫码入库,条码,仓储",
         (("S12", 0, 2),), "", "saas", 2400, 9600, "per_year", 3),
        ("供应商协同SRM", "询比价、订单协同、送货预约和供应商绩效评价", "SRM,供应商管理,采购协同",
         (("S11", 1, 3),), "", "saas", 30000, 90000, "per_year", 30),
        ("采购比价轻应用", "采购需求在线发布、三家比价和审批留痕", "采购管理,比价",
         (("S11", 0, 2),), "", "saas", 3000, 12000, "per_year", 7),
        ("工业互联网平台设备接入", "主流 PLC 与传感器即插即用接入平台，设备画像与告警", "工业互联网平台,设备联网,IoT,物联网",
         (("S08", 1, 3),), "33,34,35", "saas", 50000, 200000, "per_year", 45),
        ("物流在途跟踪", "发货、在途、签收全程可视，回单电子化", "物流跟踪,TMS,仓储物流",
         (("S12", 1, 2),), "", "saas", 8000, 30000, "per_year", 10),
        ("绩效与培训管理", "岗位技能矩阵、培训计划和绩效考核在线化", "HRM,绩效,培训",
         (("S14", 1, 3),), "", "saas", 100, 260, "per_user_year", 10),
    ],
    "重庆两江智造信息技术有限公司": [
        ("轻量PLM协同设计", "图文档、BOM 与设计变更统一管理，研发协同不再靠U盘", "PLM,产品设计,图文档",
         (("S01", 1, 3),), "34,35,36,38,39", "saas", 40000, 120000, "per_year", 45),
        ("云CAD/CAE设计仿真套件", "正版云端三维设计与结构仿真，按需订阅", "CAD,CAE,设计仿真",
         (("S01", 0, 2),), "34,35,36", "hybrid", 30000, 150000, "per_set", 30),
        ("工艺管理CAPP", "典型工艺库、工艺卡片自动生成，与 BOM 联动", "CAPP,工艺设计,工艺管理",
         (("S02", 1, 3),), "34,35,36", "on_premises", 60000, 180000, "per_set", 60),
        ("电子作业指导书SOP", "工位平板展示图文/视频作业指导，版本受控", "工艺管理,作业指导书,SOP",
         (("S02", 0, 2),), "", "saas", 8000, 24000, "per_year", 10),
        ("机器视觉质检一体机", "外观缺陷自动检测，替代人工目检，误判率低于千分之三", "机器视觉检测,质量检测",
         (("S07", 1, 3),), "34,38,39", "on_premises", 120000, 380000, "per_set", 60),
        ("数字孪生车间", "三维还原车间与产线，实时映射设备和生产状态", "数字孪生,MES,生产管控",
         (("S06", 2, 4), ("S16", 2, 3)), "34,36,38", "hybrid", 300000, 900000, "per_project", 120),
        ("小型ERP进销存", "销售、采购、库存和应收应付一体，小微企业开箱即用", "ERP,进销存,财务",
         (("S13", 1, 2), ("S11", 0, 1)), "", "saas", 5000, 20000, "per_year", 10),
        ("质量检验移动端", "检验员手机录入检验结果，不合格品自动推送处理", "质量检验,QMS,SPC",
         (("S07", 0, 2),), "", "saas", 4800, 14400, "per_year", 7),
        ("设备预测性维护", "振动与温度监测，提前预警轴承、主轴故障", "预测性维护,设备状态监测,设备管理",
         (("S08", 2, 4),), "34,35", "hybrid", 150000, 450000, "per_project", 90),
        ("业财一体化云财务", "业务单据自动生成凭证，成本核算到订单", "财务软件,ERP,业财一体,成本核算",
         (("S13", 1, 3),), "", "saas", 12000, 48000, "per_year", 15),
        ("产品配置报价CPQ", "按客户需求在线选配产品并自动报价", "CPQ,营销管理,产品配置",
         (("S03", 1, 2), ("S01", 1, 2)), "34,35", "saas", 20000, 60000, "per_year", 20),
    ],
    "重庆巴渝数智科技有限公司": [
        ("客户管理CRM轻应用", "客户、商机、跟进记录一处管理，销售过程可视", "CRM,客户关系管理,营销管理",
         (("S03", 0, 2),), "", "saas", 99, 299, "per_user_year", 3),
        ("数字化营销与电商中台", "多平台店铺订单统一处理，会员与营销活动管理", "数字化营销,电商,营销管理",
         (("S03", 1, 3),), "13,14,15,18", "saas", 30000, 100000, "per_year", 30),
        ("售后服务工单系统", "客户扫码报修、派工、回访满意度全流程闭环", "售后服务,服务工单,报修",
         (("S04", 0, 2),), "", "saas", 6000, 24000, "per_year", 10),
        ("远程运维与服务平台", "售出设备联网远程诊断，备件与服务计费管理", "远程运维,售后服务,设备联网",
         (("S04", 1, 3),), "34,35", "hybrid", 40000, 120000, "per_year", 45),
        ("在线协同办公OA", "审批、公文、日程与知识库，手机电脑同步", "OA,协同办公,审批",
         (("S15", 0, 2),), "", "saas", 60, 120, "per_user_year", 3),
        ("人事薪酬HR SaaS", "员工档案、考勤排班和薪酬个税自动计算", "HRM,人力资源,薪酬,考勤",
         (("S14", 0, 2),), "", "saas", 80, 200, "per_user_year", 7),
        ("协同门户集成", "钉钉/企业微信与 ERP、MES 待办统一入口", "协同办公,OA,集成门户",
         (("S15", 1, 3),), "", "saas", 20000, 60000, "per_year", 15),
    ],
    "重庆鼎信网络安全技术有限公司": [
        ("工控安全防护一体机", "工控网络边界防护、白名单和异常流量检测", "工控安全防护,防火墙,入侵检测",
         (("S09", 1, 2),), "", "on_premises", 80000, 200000, "per_set", 30),
        ("等保测评咨询服务", "网络安全等级保护差距分析、整改和测评辅导", "等保测评,网络安全,安全评估",
         (("S16", 0, 1),), "", "on_premises", 30000, 80000, "per_project", 30),
        ("数据备份与恢复云服务", "业务数据自动加密备份，分钟级恢复", "数据加密,备份恢复,数据安全",
         (("S15", 1, 2),), "", "saas", 6000, 36000, "per_year", 5),
        ("安全生产监测预警平台", "危险源、有限空间和视频 AI 违规识别实时预警", "安全生产,监测预警,视频AI",
         (("S09", 1, 3),), "25,26,33", "hybrid", 60000, 180000, "per_year", 45),
        ("数据分类分级与DLP", "数据资产梳理、分类分级台账和防泄漏策略", "数据分类分级,DLP,数据防泄漏",
         (("S16", 1, 2),), "", "hybrid", 50000, 150000, "per_project", 30),
        ("员工安全培训云课堂", "安全与数字技能微课、考试和学时统计", "安全培训,人才培训,人力资源",
         (("S14", 1, 2),), "", "saas", 50, 150, "per_user_year", 3),
    ],
    "重庆山城软件技术有限公司": [  # in public notice: ready, not yet publishable
        ("轻量MES山城版", "面向离散制造小微企业的报工与质检", "MES,报工", (("S06", 0, 2),), "34", "saas", 12000, 36000,
         "per_year", 15),
        ("山城仓储WMS", "小型仓库条码管理", "WMS,条码", (("S12", 0, 2),), "", "saas", 6000, 18000, "per_year", 10),
    ],
    "重庆南岸数码科技有限公司": [  # suspended: published, but hidden from the catalogue
        ("门店营销小程序", "会员积分与优惠券营销", "营销管理,小程序", (("S03", 0, 1),), "", "saas", 3000, 9000,
         "per_year", 5),
    ],
}  # fmt: skip

CERTIFICATES = [
    ("ISO 9001 质量管理体系认证", "中国质量认证中心"),
    ("ISO/IEC 27001 信息安全管理体系认证", "中国网络安全审查认证和市场监管大数据中心"),
    ("高新技术企业证书", "重庆市科学技术局"),
    ("CMMI 3 级", "CMMI Institute"),
]
SOLUTIONS_USED = ["云MES", "设备管理系统", "能耗监测", "WMS", "ERP", "QMS", "CRM", "OA"]


def seed_providers(stdout) -> None:
    regions = {r.code: r for r in Region.objects.all()}
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=[
                "platform_admin",
                "city_officer",
                "expert",
                "expert_chen",
                "expert_zhou",
                "provider",
            ]
        )
    }
    if len(users) < 6:
        stdout.write("Providers: skipped (run seed_demo for the demo logins first).")
        return
    enterprises = list(Enterprise.objects.filter(status=Enterprise.Status.ACTIVE).order_by("id")[:120])
    made, solutions = 0, 0
    for index, spec in enumerate(PROVIDERS):
        org = _organisation(spec[0], index)
        if ProviderProfile.objects.filter(organisation=org).exists():
            continue
        customers = enterprises[index * 7 : index * 7 + 6]
        if spec[0] == DEMO_PROVIDER:
            solutions += _seed_demo_provider(org, spec, regions, users, customers)
        else:
            with transaction.atomic():
                solutions += _seed_written(org, spec, regions, users, customers)
        made += 1
    total = Solution.objects.catalogue().count()
    covered = (
        SolutionScene.objects.filter(solution__in=Solution.objects.catalogue())
        .values("scene")
        .distinct()
        .count()
    )
    stdout.write(
        f"Providers: {made} profiles and {solutions} solutions created now; the catalogue shows {total} solutions "
        f"covering {covered} of 16 scenes."
    )


def _organisation(name, index):
    org, _created = Organisation.objects.get_or_create(
        kind=Organisation.Kind.PROVIDER,
        name=name,
        defaults={"credit_code": make_credit_code(HOME, 10100 + index), "contact_phone": "023-67891234"},
    )
    return org


def _profile_data(spec) -> dict:
    _n, _s, _r, founded, staff, rnd, capital, revenue, profit, debt, industries, scenes, _d = spec
    return {
        "introduction": f"{spec[0]}成立于{founded}年，专注为重庆中小制造企业提供“小快轻准”的数字化产品和服务，"
        "累计服务企业数百家。",
        "founded_year": founded,
        "registered_capital": Decimal(capital),
        "staff_count": staff,
        "rnd_staff": rnd,
        "industries": pack(industries.split(",")) if industries else pack(["34", "36"]),
        "scenes": pack(scenes.split(",")),
        "last_year_revenue": Decimal(revenue),
        "net_profit": Decimal(profit),
        "debt_ratio": Decimal(debt),
    }


def _reference_rows(profile, customers, months_back=10):
    today = timezone.localdate()
    rows = []
    for i, enterprise in enumerate(customers):
        rows.append(
            {
                "customer_name": enterprise.name,
                "customer_credit_code": enterprise.credit_code,
                "solution_used": SOLUTIONS_USED[(profile.pk + i) % len(SOLUTIONS_USED)],
                "since": today - timedelta(days=31 * (months_back + 3 * i)),
                "contact_name": enterprise.contact_name or "王经理",
                "contact_phone": enterprise.contact_phone or "13800000000",
            }
        )
    return rows


@contextmanager
def _days_ago(days):
    """Run the services as on a past day, so the notice dates, the history and the audit trail agree."""
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() - timedelta(days=days)):
        yield


def _seed_demo_provider(org, spec, regions, users, customers) -> int:
    """The `provider` login's way into the pool, through the same services as the pages."""
    actor, platform, city = users["provider"], users["platform_admin"], users["city_officer"]
    demo = Enterprise.objects.filter(name=DEMO_ENTERPRISE).first()
    if demo is not None:
        customers = [demo, *customers[:5]]
    # As if it applied six weeks ago and the notice ran its course: profile, submission, reviews, notice.
    with _days_ago(40):
        profile = application.save_profile(
            organisation=org,
            actor=actor,
            data=_profile_data(spec),
            regions=[regions[c] for c in spec[12].split(",")],
        )
        for name, issuer in CERTIFICATES:
            application.add_certificate(
                profile=profile,
                actor=actor,
                data={
                    "name": name,
                    "issuer": issuer,
                    "number": f"CQ-{profile.pk:04d}-{len(name)}",
                    "valid_until": timezone.localdate() + timedelta(days=700),
                },
            )
        references = [
            application.add_reference(profile=profile, actor=actor, data=row)
            for row in _reference_rows(profile, customers)
        ]
        application.submit_application(profile=profile, actor=actor)
        management.start_review(profile=profile, actor=platform)
        for username, scores in (("expert", (88, 85, 80, 90)), ("expert_chen", (84, 90, 78, 86))):
            management.review_application(
                profile=profile,
                actor=users[username],
                scores=dict(zip(ExpertReview.CRITERIA, scores, strict=True)),
                opinion="技术实力强，参考客户真实，方案贴合中小企业需求，同意入库。",
            )
        management.decide_review(profile=profile, actor=city, approve=True)
    with _days_ago(40 - management.notice_days()):
        management.list_provider(profile=profile, actor=platform)
    ProviderProfile.objects.filter(pk=profile.pk).update(rating=Decimal(spec[2]))
    if references and references[0].enterprise_id and references[0].enterprise.organisation_id:
        application.ask_reference_confirmation(reference=references[0], actor=actor)
    profile.refresh_from_db()
    count = 0
    for row in SOLUTIONS[org.name]:
        solution = catalogue.save_solution(
            profile=profile,
            actor=actor,
            data=_solution_data(row),
            scene_rows=row[3],
            references=references[1:3],
        )
        catalogue.publish_solution(solution=solution, actor=actor)
        count += 1
    old = catalogue.save_solution(
        profile=profile,
        actor=actor,
        scene_rows=[("S06", 0, 1)],
        data=_solution_data(
            (
                "旧版报工系统",
                "已由云MES轻量版替代",
                "报工",
                (),
                "",
                "on_premises",
                20000,
                40000,
                "per_set",
                20,
            )
        ),
    )
    catalogue.publish_solution(solution=old, actor=actor)
    catalogue.withdraw_solution(solution=old, actor=actor)
    return count + 1


def _solution_data(row) -> dict:
    name, summary, keywords, _scenes, industries, deployment, low, high, unit, days = row
    return {
        "name": name,
        "summary": summary,
        "description": f"{summary}。标准化产品，按需开通，提供上线培训和一年免费运维。",
        "keywords": keywords,
        "industries": industries.split(",") if industries else [],
        "deployment": deployment,
        "price_min": Decimal(low),
        "price_max": Decimal(high),
        "price_unit": unit,
        "delivery_days": days,
    }


# The steps each status went through, with the reasons the provider sees: (to status, reason, who, days ago).
LISTED_DAYS_AGO = 373  # the notice of 380 days ago ended after 7 days
HISTORY = {
    S.APPLIED: [(S.APPLIED, "提交入库申请。", None, 3)],
    S.UNDER_REVIEW: [(S.APPLIED, "提交入库申请。", None, 12),
                     (S.UNDER_REVIEW, "专家委员会开始评审。", "platform_admin", 10)],
    S.IN_PUBLIC_NOTICE: [(S.APPLIED, "提交入库申请。", None, 30),
                         (S.UNDER_REVIEW, "专家委员会开始评审。", "platform_admin", 27),
                         (S.IN_PUBLIC_NOTICE, "专家评审通过，予以公示。", "city_officer", 3)],
    S.LISTED: [(S.APPLIED, "提交入库申请。", None, 400),
               (S.UNDER_REVIEW, "专家委员会开始评审。", "platform_admin", 395),
               (S.IN_PUBLIC_NOTICE, "专家评审通过，予以公示。", "city_officer", 380),
               (S.LISTED, "公示期满无异议，正式入库。", None, LISTED_DAYS_AGO)],
}  # fmt: skip
HISTORY[S.WARNED] = [
    *HISTORY[S.LISTED],
    (S.WARNED, "客户投诉响应超时，且一个项目延期交付，请于期限内整改。", "city_officer", 10),
]
HISTORY[S.SUSPENDED] = [
    *HISTORY[S.LISTED],
    (S.WARNED, "年度复核：参考客户反馈差。", "platform_admin", 120),
    (S.SUSPENDED, "逾期未整改，暂停入库资格。", "city_officer", 30),
]
HISTORY[S.REMOVED] = [
    *HISTORY[S.LISTED],
    (S.SUSPENDED, "违规承诺返利，暂停入库资格。", "city_officer", 90),
    (S.REMOVED, "经核实存在违规行为，移出资源池。", "city_officer", 60),
]
HISTORY[S.DRAFT] = []


def _seed_written(org, spec, regions, users, customers) -> int:
    """A provider without a login: its rows as the services would have left them."""
    status, rating = spec[1], spec[2]
    today, now = timezone.localdate(), timezone.now()
    history = HISTORY[status]
    profile = ProviderProfile.objects.create(
        organisation=org,
        status=status,
        rating=Decimal(rating) if rating else None,
        round=1 if history else 0,
        **_profile_data(spec),
    )
    profile.regions.set([regions[c] for c in spec[12].split(",")])
    if history:
        profile.submitted_at = now - timedelta(days=history[0][3])
    if status in (S.LISTED, S.WARNED, S.SUSPENDED, S.REMOVED):
        profile.listed_at = now - timedelta(days=LISTED_DAYS_AGO)
        profile.last_reviewed_on = today - timedelta(days=7)
        profile.next_review_on = today + timedelta(days=358)
    noticed = [days for to, _reason, _who, days in history if to == S.IN_PUBLIC_NOTICE]
    if noticed:  # the notice ran from the day of its history row, as long as the services let it run
        profile.notice_start = today - timedelta(days=noticed[-1])
        profile.notice_end = profile.notice_start + timedelta(days=management.notice_days())
    if status == S.WARNED:
        profile.warning_deadline = today + timedelta(days=30)
    profile.save()
    pairs = list(zip(customers, _reference_rows(profile, customers), strict=True))
    # The draft is still short of references, so its page lists what is missing.
    refs = ProviderReference.objects.bulk_create(
        ProviderReference(profile=profile, enterprise=e, **row)
        for e, row in pairs[: 3 if status == S.DRAFT else 6]
    )
    ProviderCertificate.objects.bulk_create(
        ProviderCertificate(
            profile=profile,
            name=name,
            issuer=issuer,
            number=f"CQ-{profile.pk:04d}-{i}",
            valid_until=today + timedelta(days=300 + 100 * i),
        )
        for i, (name, issuer) in enumerate(CERTIFICATES[: 2 + profile.pk % 2])
    )
    previous = S.DRAFT
    for to, reason, who, days in history:
        change = ProviderStatusChange.objects.create(
            profile=profile, from_status=previous, to_status=to, reason=reason, actor=users.get(who)
        )
        ProviderStatusChange.objects.filter(pk=change.pk).update(created_at=now - timedelta(days=days))
        previous = to
    if status in (S.UNDER_REVIEW, S.IN_PUBLIC_NOTICE, S.LISTED, S.WARNED, S.SUSPENDED, S.REMOVED):
        experts = ["expert_zhou"] if status == S.UNDER_REVIEW else ["expert", "expert_zhou"]
        for n, username in enumerate(experts):
            ExpertReview.objects.create(
                profile=profile,
                round=1,
                expert=users[username],
                capability=78 + n * 4,
                references=72 + n * 6,
                finances=70 + n * 3,
                solution_fit=80 - n * 2,
                opinion="资料齐全，方案针对性较强，建议入库。",
            )
    count = 0
    public = status in (S.LISTED, S.WARNED, S.SUSPENDED)
    for row in SOLUTIONS.get(org.name, []):
        data = _solution_data(row)
        data["industries"] = pack(data["industries"])
        solution = Solution.objects.create(
            provider=profile,
            status=Solution.Status.PUBLISHED if public else Solution.Status.DRAFT,
            published_at=now - timedelta(days=300 - count * 5) if public else None,
            **data,
        )
        SolutionScene.objects.bulk_create(
            SolutionScene(solution=solution, scene=c, from_level=a, to_level=b) for c, a, b in row[3]
        )
        solution.references.set(refs[:2])
        count += 1
    return count
