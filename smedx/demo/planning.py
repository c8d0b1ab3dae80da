"""Stage 2 demo data: guides and policies, a tier standard applied in 渝北区, its implementation plan,
planning requests in every state and read marks.

`seed_planning(stdout)` is called by `seed_demo` after the assessments. Everything goes through the
planning services (so the audit trail is real), except the requests of demo enterprises without
logins, which are written the way the services would leave them. Idempotent: a document, standard
or plan is found by its title; requests by enterprise.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from smedx.accounts.models import Organisation, User
from smedx.enterprises.models import Enterprise
from smedx.enterprises.services.casefile import advance_stage
from smedx.planning.models import Document, Plan, PlanningRequest, Standard
from smedx.planning.services import library, plans, standards, support

HOME = "500112"  # 渝北区

# (title, industries, scenes, summary, body paragraphs)
GUIDES = [
    (
        "重庆市机械行业中小企业数字化转型指南",
        ["34", "35"],
        ["S02", "S05", "S06", "S08"],
        "面向通用设备和专用设备制造企业，给出从设备联网、生产管控到计划排程的三步走路径，"
        "建议先以设备数据采集和车间报工为切入点，再逐步打通设计、计划与质量数据。",
        [
            "一、总体思路。机械行业中小企业多为多品种、小批量的离散制造，订单波动大、在制品多、"
            "交期难以承诺。数字化转型应坚持“小步快跑、急用先行”，以解决交期和质量两大痛点为主线。",
            "二、第一步：设备联网与数据采集。优先对数控机床、加工中心等关键设备进行联网改造，"
            "采集开机、加工、停机和报警状态，形成设备综合效率（OEE）台账。",
            "三、第二步：生产过程管控。上线轻量化制造执行系统，实现工单下达、扫码报工、"
            "在制品跟踪和质量检验记录的电子化，逐步取消纸质流转卡。",
            "四、第三步：计划排程与协同。在设备和报工数据可信的基础上，引入有限产能排程，"
            "与销售订单和采购计划联动，提升订单准时交付率。",
            "五、保障措施。企业应成立由主要负责人牵头的转型工作小组，明确数据责任人，"
            "并优先选用入库服务商提供的“小快轻准”产品和解决方案。",
        ],
    ),
    (
        "重庆市汽摩零部件行业中小企业数字化转型指南",
        ["36", "37"],
        ["S05", "S06", "S07", "S11", "S12"],
        "围绕整车厂对零部件供应商的质量追溯和准时交付要求，提出以质量管理、仓储物流和供应链协同为重点的转型路径。",
        [
            "一、行业特点。汽摩零部件企业处于整车供应链中，需满足主机厂对批次追溯、"
            "准时化供货和质量体系的严格要求，数字化水平直接影响配套资格。",
            "二、重点场景。建议优先建设来料检验、过程检验和出厂检验的数字化记录，"
            "实现产品批次与原材料批次、设备、人员的正反向追溯。",
            "三、仓储与物流。推行条码或射频识别管理，实现先进先出和库位管理，"
            "与主机厂的要货计划系统对接，降低库存和断供风险。",
            "四、供应链协同。通过工业互联网平台与上下游共享订单、库存和质量数据，"
            "提升对主机厂需求变化的响应速度。",
        ],
    ),
    (
        "重庆市电子信息行业中小企业数字化转型指南",
        ["39"],
        ["S01", "S06", "S07", "S10", "S16"],
        "针对电子元器件和智能终端配套企业，提出以研发设计数字化、产线质量数据分析和能耗管理为重点的转型路径。",
        [
            "一、行业特点。电子信息企业产品更新快、工艺精度高，对良率和研发周期极为敏感。",
            "二、研发设计。推广使用协同设计和产品数据管理工具，统一物料编码和图文档版本，缩短新品导入周期。",
            "三、质量数据分析。采集贴片、焊接、测试等关键工序的过程数据，建立质量看板和异常预警，持续提升直通率。",
            "四、能耗管理。对空压、洁净空调等高能耗设备实施分项计量，支撑节能降本和绿色工厂建设。",
        ],
    ),
    (
        "重庆市食品行业中小企业数字化转型指南",
        ["13", "14"],
        ["S03", "S07", "S09", "S12", "S13"],
        "聚焦食品安全和渠道营销，提出以全程质量追溯、冷链仓储和线上营销为重点的转型路径，适合规模较小的食品加工企业起步。",
        [
            "一、总体思路。食品企业转型以保障食品安全为底线，以拓展市场为动力，建议从追溯和营销两端同时起步。",
            "二、质量追溯。建立原料验收、生产投料、成品检验和出库的电子记录，实现一物一码追溯，满足监管和客户查询要求。",
            "三、仓储物流。对冷库和运输车辆加装温湿度监测，异常自动告警，减少损耗。",
            "四、营销管理。利用电商平台和社交媒体开展线上销售，沉淀客户数据，辅助新品开发和精准营销。",
        ],
    ),
]
# (title, level, issuer, summary, body)
POLICIES = [
    (
        "重庆市中小企业数字化转型专项资金管理办法（试行）",
        "city",
        "重庆市经济和信息化委员会、重庆市财政局",
        "明确专项资金的支持对象、支持方式和申报流程：对完成诊断、实施转型项目并通过验收的中小企业，按项目投入给予一定比例补助。",
        "第一条 为规范中小企业数字化转型专项资金管理，提高资金使用效益，制定本办法。\n\n"
        "第二条 专项资金支持在本市登记注册、经诊断评估后实施数字化转型项目的中小企业。\n\n"
        "第三条 补助金额按项目实际投入的一定比例确定，单个企业补助设有上限，具体以年度申报通知为准。",
    ),
    (
        "渝北区推进中小企业数字化转型若干措施",
        "district",
        "",
        "渝北区结合临空经济和智能制造产业特点，对区内中小企业开展免费诊断、转型项目补助和示范企业评选给予支持。",
        "一、开展免费诊断。区经济信息委每年组织服务机构为区内中小企业提供数字化转型诊断服务。\n\n"
        "二、支持项目建设。对纳入区级转型项目库并通过验收的项目，在市级补助基础上给予配套支持。\n\n"
        "三、培育示范标杆。每年评选一批数字化转型示范企业，优先推荐申报市级“小灯塔”企业。",
    ),
]
TIERS = [
    {
        "order": 1,
        "code": "lead",
        "name": "示范引领",
        "description": "规上且当前二级及以上，重点打造标杆。",
        "rule": {"above_scale": True, "level_min": 2},
    },
    {
        "order": 2,
        "code": "key",
        "name": "重点培育",
        "description": "重点、潜力或专精特新企业，优先安排诊断和项目。",
        "rule": {"tags": ["重点", "潜力", "专精特新", "专精特新“小巨人”"]},
    },
    {
        "order": 3,
        "code": "all",
        "name": "普及推广",
        "description": "其余企业，以宣贯和轻量化产品普及为主。",
        "rule": {},
    },
]
STANDARD = "渝北区中小企业数字化转型分级分类标准"
PLAN = "渝北区中小企业数字化转型实施方案（2025—2026年）"
DUE = date(2026, 12, 31)
TARGETS = [
    {
        "division": "34",
        "metric": "share_above_scale_at_level",
        "level": 2,
        "value": Decimal(90),
        "due_date": DUE,
    },
    {
        "division": "",
        "metric": "enterprises_transformed",
        "level": None,
        "value": Decimal(60),
        "due_date": DUE,
    },
    {"division": "36", "metric": "enterprises_at_level", "level": 2, "value": Decimal(20), "due_date": DUE},
]
NEEDS = [
    "希望区里帮助梳理三年数字化转型规划，重点解决车间报工和设备联网问题。",
    "想了解如何结合诊断报告制定转型路线图，以及可以申请哪些支持政策。",
    "计划在明年上线质量追溯系统，希望得到规划方面的指导。",
]


def _officer(username):
    return User.objects.filter(username=username).first()


def seed_documents(city, district) -> int:
    made = 0
    for title, industries, scenes, summary, body in GUIDES:
        if Document.objects.filter(title=title).exists():
            continue
        data = {
            "kind": "guide",
            "level": "city",
            "issuer": "",
            "title": title,
            "summary": summary,
            "body": "\n\n".join(body),
            "industries": industries,
            "scenes": scenes,
        }
        document = library.create_document(actor=city, data=data)
        library.publish_document(document=document, actor=city)
        made += 1
    # The machinery guide has a second edition: the first stays readable, marked superseded.
    first = Document.objects.filter(title=GUIDES[0][0], version=1).first()
    if first is not None and not Document.objects.filter(supersedes=first).exists():
        second = library.new_document_version(document=first, actor=city)
        body = (
            second.body
            + "\n\n六、2025年修订说明。新增数据安全和网络安全防护要求，补充轻量化解决方案的选型建议。"
        )
        library.update_document(document=second, actor=city, data={"body": body})
        library.publish_document(document=second, actor=city)
    for title, level, issuer, summary, body in POLICIES:
        if Document.objects.filter(title=title).exists():
            continue
        actor = city if level == "city" else district
        data = {
            "kind": "policy",
            "level": level,
            "issuer": issuer,
            "title": title,
            "summary": summary,
            "body": body,
            "industries": [],
            "scenes": [],
        }
        library.publish_document(document=library.create_document(actor=actor, data=data), actor=actor)
        made += 1
    return made


def seed_standard(district) -> bool:
    if Standard.objects.filter(name=STANDARD).exists():
        return False
    standard = standards.create_standard(actor=district, name=STANDARD)
    for tier in TIERS:
        standards.save_tier(standard=standard, actor=district, data=tier)
    # Classified here, not by the worker: the demo is complete when the seed ends.
    standards.classify_enterprises(standards.apply_standard(standard=standard, actor=district))
    return True


def seed_plan(district) -> bool:
    if Plan.objects.filter(title=PLAN).exists():
        return False
    data = {
        "title": PLAN,
        "summary": "到2026年底，全区规上工业企业基本完成数字化改造，通用设备制造业规上企业二级及以上占比达到90%。",
        "period_start": date(2025, 1, 1),
        "period_end": DUE,
    }
    plan = plans.save_plan(actor=district, data=data, targets=TARGETS)
    plans.publish_plan(plan=plan, actor=district)
    return True


def seed_requests(district, home) -> int:
    """The demo enterprise asks and is answered; three other 渝北 enterprises are in the other states."""
    made = 0
    user = _officer("enterprise")
    own = Enterprise.objects.filter(organisation=user.organisation).first() if user else None
    if own is not None and not PlanningRequest.objects.filter(enterprise=own).exists():
        request = support.request_planning(enterprise=own, actor=user, need=NEEDS[0])
        support.answer_request(
            request=request,
            actor=district,
            answer="建议以诊断报告中的生产管控和设备管理短板为起点，先实施设备联网和扫码报工，"
            "再上线计划排程。可参考《重庆市机械行业中小企业数字化转型指南》，并在需求发布后邀请入库服务商提交方案。",
        )
        made += 1
    if PlanningRequest.objects.filter(enterprise__organisation__isnull=True).exists():
        return made
    others = list(
        Enterprise.objects.filter(
            region=home, organisation__isnull=True, status=Enterprise.Status.ACTIVE
        ).order_by("credit_code")[:3]
    )
    provider = Organisation.objects.filter(kind="provider", name="重庆云智数字科技有限公司").first()
    now = timezone.now()
    states = [("requested", None), ("closed", None), ("requested", provider)]
    with transaction.atomic():
        for n, (enterprise, (status, engaged)) in enumerate(zip(others, states, strict=False)):
            PlanningRequest.objects.create(
                enterprise=enterprise,
                route="provider" if engaged else "district",
                provider=engaged,
                need=NEEDS[(n + 1) % len(NEEDS)],
                status=status,
                closed_at=now - timedelta(days=3) if status == "closed" else None,
            )
            advance_stage(enterprise=enterprise, stage=2)
            made += 1
    return made


def seed_read_marks() -> int:
    user = _officer("enterprise")
    if user is None:
        return 0
    made = 0
    for title in (GUIDES[0][0], POLICIES[0][0]):
        document = Document.objects.current().filter(title=title).first()
        if document is not None and not document.read_marks.filter(organisation=user.organisation).exists():
            library.mark_read(document=document, actor=user)
            made += 1
    return made


def seed_planning(stdout):
    city, district = _officer("city_officer"), _officer("district_officer")
    if city is None or district is None:
        stdout.write("Planning: the demo officers are missing; nothing seeded.")
        return
    home = district.organisation.region
    documents = seed_documents(city, district)
    standard = seed_standard(district)
    plan = seed_plan(district)
    requests = seed_requests(district, home)
    marks = seed_read_marks()
    stdout.write(
        f"Planning: {documents} documents, {int(standard)} standard, {int(plan)} plan, "
        f"{requests} planning requests and {marks} read marks created now."
    )
