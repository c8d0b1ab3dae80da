"""Stage 1 demo data: self-assessments in every state and at every level, T0/T1 pairs, on-site diagnoses.

`seed_assessments(stdout)` is called by `seed_demo`. About 120 of the demo enterprises get
assessments, chosen and generated deterministically (the same on every run): drafts half filled,
submitted self-assessments, on-site diagnosis requests in every status (requested, assigned,
visited with the verification under way, verified with adjusted answers, cancelled), and 30 pairs
whose T1 is better than their T0. Every answer set is made for a target level and checked with
`score()`. The demo `enterprise` login fills its T0 through the same services as the wizard.

Everything is rated under the newest instrument version (scenes 一级–四级, as on the official form),
except the T0 of every other `pair`: it stays under the first version, 2024.1 (which also took
未达一级 for a scene), so that the T0/T1 comparison and the re-scoring page show an older version
re-scored under the newer one.

Idempotent: an enterprise that has any assessment is left alone, so a second run creates nothing.
The bulk goes in with `bulk_create`; the enterprises have no logins of their own, so rows are
written the way the services would leave them.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from smedx.accounts import people
from smedx.accounts.models import Organisation, User
from smedx.assessments import standing
from smedx.assessments.loader import load_bundled
from smedx.assessments.models import (
    Answer,
    AnswerReview,
    Assessment,
    DiagnosisRequest,
    Instrument,
    LevelRule,
    Recommendation,
)
from smedx.assessments.scoring import score
from smedx.assessments.services import self_assessment as services
from smedx.assessments.spec import MULTIPLE, NUMERIC, SCENE_LEVELS, SINGLE
from smedx.enterprises.models import Enterprise
from smedx.enterprises.services.casefile import advance_stage

SEED = 20250301
DEMO_COUNT = 120
CODE = services.INSTRUMENT_CODE
OLD_VERSION = "2024.1"  # the first version: its scenes took 0 (未达一级) too
INSTITUTIONS = ["重庆云智数字科技有限公司", "重庆两江智造信息技术有限公司"]
S, R = Assessment.Status, DiagnosisRequest.Status

# How many enterprises get each story; they add up to DEMO_COUNT.
STORIES = [
    ("draft", 16),
    ("submitted", 44),
    ("requested", 5),
    ("assigned", 5),
    ("visited", 5),
    ("cancelled", 3),
    ("verified", 12),
    ("pair", 20),
    ("pair_verified", 10),
]
# Target T0 levels, cycled: mostly 一级 to 三级, as in the pilot.
LEVELS = [2, 1, 3, 0, 2, 1, 4, 2, 3, 1, 0, 2, 3, 1, 4]
REASONS = [
    "现场查看未见相关系统运行记录，按实际情况调整。",
    "所述功能仅在试点产线使用，未覆盖主要业务环节。",
    "未能提供相应的制度文件或台账。",
    "设备联网数量经现场清点与填报不符。",
    "该场景目前依靠人工表格管理，尚未达到填报等级。",
]
PRODUCTS = ["汽车零部件", "摩托车配件", "精密机械零件", "电子元器件", "金属制品", "塑料制品", "食品"]


# --- answer sets for a target level --------------------------------------------------------------


@dataclass
class State:
    """Chosen options by item (index for single/numeric, set of letters for multiple) and scene levels."""

    picks: dict = field(default_factory=dict)
    scenes: dict = field(default_factory=dict)

    def copy(self):
        return State(
            {k: set(v) if isinstance(v, set) else v for k, v in self.picks.items()}, dict(self.scenes)
        )


def _points(item, pick) -> Decimal:
    if item.kind == MULTIPLE:
        return sum((item.options_by_code[c].points for c in pick), Decimal(0))
    return item.options[pick].points


def _worst(spec) -> State:
    state = State()
    for item in spec.items.values():
        if item.kind in (SINGLE, NUMERIC):
            state.picks[item.code] = 0
        elif item.kind == MULTIPLE:
            state.picks[item.code] = set()
    state.scenes = dict.fromkeys(spec.scenes, spec.lowest_scene_level)
    return state


def _total(spec, state) -> Decimal:
    return sum((_points(spec.items[c], p) for c, p in state.picks.items()), Decimal(0))


def _step(spec, state, rng) -> bool:
    """One step up on a random item that has room; False when every item is at its best."""
    codes = [c for c in state.picks if _room(spec.items[c], state.picks[c])]
    if not codes:
        return False
    code = rng.choice(codes)
    item, pick = spec.items[code], state.picks[code]
    if item.kind == MULTIPLE:
        free = [o.code for o in item.options if not o.exclusive and o.code not in pick]
        pick.add(rng.choice(free))
    else:
        state.picks[code] = pick + 1
    return True


def _room(item, pick) -> bool:
    if item.kind == MULTIPLE:
        return any(not o.exclusive and o.code not in pick for o in item.options)
    return pick < len(item.options) - 1


def _raise_to(spec, state, rng, low: Decimal, high: Decimal) -> bool:
    target = low + (high - low) * Decimal(rng.random())
    while _total(spec, state) < target:
        if not _step(spec, state, rng):
            break
    return low <= _total(spec, state) < high


def _total_range(rule, level: int) -> tuple[Decimal, Decimal]:
    """Totals that give `level` by points: from its threshold (+1) to below the next one (−1)."""
    thresholds = {t.level: t.min_total for t in rule.levels}
    low = thresholds.get(level, Decimal(6)) if level else Decimal(6)
    high = thresholds.get(level + 1, Decimal(100))
    return low + 1, high - 1 if level < SCENE_LEVELS else Decimal(100)


def _raise_scenes(spec, rule, state, rng, level: int):
    """Enough scenes (and constrained ones) at `level` for it; the others a step or two lower."""
    if level == 0:
        for code in state.scenes:
            state.scenes[code] = max(state.scenes[code], rng.choice((0, 0, 1)))
        return
    need = next(t for t in rule.levels if t.level == level)
    constrained = [c for c, s in spec.scenes.items() if s.constrained]
    guiding = [c for c, s in spec.scenes.items() if not s.constrained]
    chosen = rng.sample(constrained, min(len(constrained), need.min_constrained + rng.randint(0, 2)))
    rest = [c for c in constrained + guiding if c not in chosen]
    chosen += rng.sample(rest, max(0, need.min_scenes - len(chosen)) + rng.randint(0, 2))
    for code in state.scenes:
        lower = max(spec.lowest_scene_level, need.scene_level - rng.randint(1, 2))
        floor = need.scene_level if code in chosen else lower
        state.scenes[code] = max(state.scenes[code], floor)


def _raw(spec, state, rng, figures: bool) -> dict:
    """The answer set in the API format; B2 and B3 given as machine counts when `figures`."""
    answers = {}
    for code, pick in state.picks.items():
        item = spec.items[code]
        if item.kind == MULTIPLE:
            letters = sorted(pick) if pick else [item.exclusive_option.code]
        else:
            letters = [item.options[pick].code]
        answers[code] = letters
    if figures:
        machines = rng.randint(20, 400)
        for code, key in (("B2", "digital"), ("B3", "networked")):
            band = next(b for b in spec.items[code].compute.bands if b.option == answers[code][0])
            rate = band.low + (band.high - band.low) * Decimal("0.6")
            count = int(machines * rate / 100)
            answers[code] = {key: count, "total": machines} if code == "B2" else {key: count}
    answers.update(state.scenes)
    return answers


def answers_for_level(spec, rule, level: int, rng, start: State | None = None) -> tuple[dict, State]:
    """An answer set rated `level` (checked by scoring it), built up from `start` when given."""
    low, high = _total_range(rule, level)
    for _attempt in range(200):
        state = start.copy() if start else _worst(spec)
        if not _raise_to(spec, state, rng, low, high):
            continue
        _raise_scenes(spec, rule, state, rng, level)
        answers = _raw(spec, state, rng, figures=rng.random() < 0.5)
        if score(spec, answers, rule).level == level:
            return answers, state
    raise RuntimeError(f"No answer set found for level {level}")


def stored(spec, answers: dict) -> dict:
    """The answers in the form the wizard stores them (figures with the option they give)."""
    values = {}
    for code, value in answers.items():
        values[code] = services.normalise(spec, code, value, values)
    return values


# --- verification adjustments ----------------------------------------------------------------------


def _lower(spec, code, value):
    """The answer one step worse, or None when it cannot go lower."""
    if code in spec.scenes:
        return value - 1 if value > spec.lowest_scene_level else None
    item = spec.items[code]
    letters = value["options"] if isinstance(value, dict) else value
    if item.kind == MULTIPLE:
        real = [c for c in letters if not item.options_by_code[c].exclusive]
        if not real:
            return None
        rest = real[:-1]
        return rest or [item.exclusive_option.code]
    index = [o.code for o in item.options].index(letters[0])
    return [item.options[index - 1].code] if index > 0 else None


def adjustments(spec, values: dict, rng, count: int) -> dict:
    """`{code: (new value, reason)}`: what a stricter expert lowers."""
    codes = [c for c in values if c in spec.scenes or spec.items[c].points]
    rng.shuffle(codes)
    out = {}
    for code in codes:
        lower = _lower(spec, code, values[code])
        if lower is not None:
            out[code] = (lower, rng.choice(REASONS))
        if len(out) == count:
            break
    return out


# --- writing -----------------------------------------------------------------------------------------


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


@dataclass
class Plan:
    """One enterprise's story, turned into rows by `Writer`."""

    enterprise: Enterprise
    story: str
    level: int
    rng: random.Random
    old_t0: bool = False  # its T0 is rated under the first instrument version


class Writer:
    def __init__(self, instrument: Instrument, rule: LevelRule, old: Instrument | None = None):
        self.instrument, self.rule = instrument, rule
        self.spec, self.rule_spec = instrument.spec, rule.spec
        self.old = old if old is not None and old.pk != instrument.pk else None
        self.experts = list(people.committee_experts().order_by("username"))
        self.institutions = list(
            Organisation.objects.filter(kind=Organisation.Kind.PROVIDER, name__in=INSTITUTIONS).order_by(
                "name"
            )
        )
        self.counts = {"drafts": 0, "submitted": 0, "verified": 0, "requests": 0}

    def assessment(
        self, enterprise, values: dict, *, period="T0", status=S.SUBMITTED, day=None, instrument=None, **extra
    ):
        draft = status == S.DRAFT
        instrument = instrument or self.instrument
        result = score(instrument.spec, values, self.rule_spec, partial=draft)
        return Assessment(
            enterprise=enterprise,
            region_id=enterprise.region_id,
            instrument=instrument,
            level_rule=self.rule,
            period=period,
            status=status,
            total=result.total,
            level=None if draft else result.level,
            result={**result.as_dict(), "problems": {}} if draft else result.as_dict(),
            declared=not draft,
            submitted_at=None if draft or day is None else _moment(day),
            **extra,
        )

    def write(self, plans: list[Plan]):
        firsts, seconds, answers = [], [], {}
        for plan in plans:
            for row, values in self.self_assessments(plan):
                (firsts if row.period == "T0" else seconds).append(row)
                answers[id(row)] = values
        Assessment.objects.bulk_create(firsts + seconds, batch_size=500)
        checks, requests = [], []
        by_enterprise = {row.enterprise_id: row for row in firsts}
        for plan in plans:
            made = self.diagnosis(plan, by_enterprise[plan.enterprise.pk], answers)
            if made is not None:
                requests.append(made)
                if made.verified_assessment is not None:
                    checks.append(made.verified_assessment)
        Assessment.objects.bulk_create(checks, batch_size=500)
        for request in requests:
            if request.verified_assessment is not None:
                request.verified_assessment_id = request.verified_assessment.pk
        requested = {id(request): request.requested_at for request in requests}
        DiagnosisRequest.objects.bulk_create(requests, batch_size=500)
        # bulk_create stamps `requested_at` with now; put back the day each request was made, before its
        # assignment and visit.
        for request in requests:
            request.requested_at = requested[id(request)]
        DiagnosisRequest.objects.bulk_update(requests, ["requested_at"], batch_size=500)
        recommendations = [self.recommendation(r) for r in requests if r.status == R.REQUESTED and r.pk % 2]
        Recommendation.objects.bulk_create([r for r in recommendations if r is not None])
        rows = [
            Answer(assessment=a, item_code=code, value=value, **extra)
            for a in firsts + seconds + checks
            for code, (value, extra) in answers[id(a)].items()
        ]
        Answer.objects.bulk_create(rows, batch_size=2000)
        # bulk_create bypasses the services, so the enterprises' current levels are computed here.
        standing.refresh_current_levels(Enterprise.objects.filter(pk__in=[p.enterprise.pk for p in plans]))
        for plan in plans:
            advance_stage(enterprise=plan.enterprise, stage=1)

    def self_assessments(self, plan: Plan):
        """(row, {code: (value, extra fields)}) of the T0 (and T1) self-assessments."""
        rng, spec = plan.rng, self.spec
        old = self.old if plan.old_t0 else None
        first = old.spec if old else spec
        answers, state = answers_for_level(first, self.rule_spec, plan.level, rng)
        values = stored(first, answers)
        day = date(2025, 3, 1) + timedelta(days=rng.randint(0, 180))
        if plan.story == "draft":
            kept = list(values)[: rng.randint(8, 24)]
            values = {code: values[code] for code in kept}
            self.counts["drafts"] += 1
            yield self.assessment(plan.enterprise, values, status=S.DRAFT), _plain(values)
            return
        verified = plan.story in ("verified", "pair_verified")
        status = S.VERIFIED if verified else S.SUBMITTED
        self.counts["submitted"] += 1
        yield self.assessment(plan.enterprise, values, status=status, day=day, instrument=old), _plain(values)
        if plan.story.startswith("pair"):
            better = min(SCENE_LEVELS, plan.level + rng.randint(1, 2))
            answers, _state = answers_for_level(spec, self.rule_spec, better, rng, start=state)
            later = stored(spec, answers)
            t1_day = date(2026, 3, 1) + timedelta(days=rng.randint(0, 150))
            self.counts["submitted"] += 1
            yield self.assessment(plan.enterprise, later, period="T1", day=t1_day), _plain(later)

    def diagnosis(self, plan: Plan, source: Assessment, answers: dict) -> DiagnosisRequest | None:
        story = plan.story
        if story in ("draft", "submitted", "pair"):
            return None
        rng = plan.rng
        institution = self.institutions[rng.randrange(len(self.institutions))] if rng.random() < 0.3 else None
        requested = source.submitted_at + timedelta(days=rng.randint(3, 20))
        request = DiagnosisRequest(
            enterprise=plan.enterprise,
            region_id=plan.enterprise.region_id,
            assessment=source,
            route=DiagnosisRequest.Route.INSTITUTION if institution else DiagnosisRequest.Route.DISTRICT,
            preferred_institution=institution,
            note=rng.choice(["", "希望重点诊断生产管控和设备管理。", "请安排熟悉本行业的专家。"]),
            status={"pair_verified": R.VERIFIED, "visited": R.VISITED}.get(story, story),
            requested_at=requested,
        )
        self.counts["requests"] += 1
        if story in ("requested", "cancelled"):
            return request
        request.institution = institution
        request.expert = None if institution else self.expert_for(plan)
        officers = list(people.district_officers(plan.enterprise.region)[:1])
        request.assigned_by = officers[0] if officers else None
        request.assigned_at = requested + timedelta(days=rng.randint(2, 10))
        if story == "assigned":
            return request
        visit = timezone.localdate(request.assigned_at + timedelta(days=rng.randint(5, 20)))
        request.visited_on = min(visit, timezone.localdate())
        request.visitors = [
            {"name": name, "organisation": str(institution or "联盟专家委员会"), "role": role, "contact": ""}
            for name, role in (("刘志远", "诊断专家"), ("李明", "记录员"))[: rng.randint(1, 2)]
        ]
        request.main_products = rng.choice(PRODUCTS)
        request.process_flow = "下料—机加工—热处理—装配—检验—包装"
        request.intelligent_equipment = (
            f"数控机床 {rng.randint(5, 60)} 台，工业机器人 {rng.randint(0, 12)} 台"
        )
        request.industrial_software = rng.choice(["ERP、MES", "ERP", "财务软件、OA", "ERP、PLM、MES"])
        request.verified_assessment = self.verification(
            plan, source, answers, request, complete=story != "visited"
        )
        return request

    def expert_for(self, plan: Plan):
        # The demo `expert` login gets the visits still to be made, so its workbench has work.
        if plan.story in ("assigned", "visited"):
            return next((u for u in self.experts if u.username == "expert"), self.experts[0])
        return self.experts[plan.rng.randrange(len(self.experts))]

    def verification(self, plan, source, answers, request, *, complete: bool) -> Assessment:
        rng, spec = plan.rng, self.spec
        original = {code: value for code, (value, _extra) in answers[id(source)].items()}
        changes = adjustments(spec, original, rng, rng.randint(1, 4))
        checker = request.expert
        checked = {}
        for n, (code, value) in enumerate(original.items()):
            if not complete and n >= len(original) // 2:
                checked[code] = (value, {"answered_by": None})
            elif code in changes:
                new, reason = changes[code]
                new = services.normalise(spec, code, new, {c: v for c, (v, _e) in checked.items()})
                checked[code] = (
                    new,
                    {"review": AnswerReview.ADJUSTED, "reason": reason, "answered_by": checker},
                )
            else:
                checked[code] = (value, {"review": AnswerReview.ACCEPTED, "answered_by": checker})
        values = {code: value for code, (value, _extra) in checked.items()}
        day = request.visited_on + timedelta(days=rng.randint(1, 10))
        row = self.assessment(
            plan.enterprise,
            values,
            status=S.VERIFIED if complete else S.DRAFT,
            day=min(day, timezone.localdate()) if complete else None,
            kind=Assessment.Kind.VERIFIED,
            verified_from=source,
            submitted_by=checker if complete else None,
        )
        answers[id(row)] = checked
        self.counts["verified" if complete else "drafts"] += 1
        return row

    def recommendation(self, request):
        if not self.institutions:
            return None
        return Recommendation(
            request=request,
            recommended_by=self.experts[0],
            institution=self.institutions[0],
            note="该机构熟悉本行业，近一年完成多家同类企业诊断。",
        )


def _plain(values: dict) -> dict:
    return {code: (value, {}) for code, value in values.items()}


# --- the entry point --------------------------------------------------------------------------------


def _stories() -> list[str]:
    return [story for story, count in STORIES for _n in range(count)]


def _candidates() -> list[Enterprise]:
    """Active demo enterprises without a login (the `enterprise` login's is seeded apart), in a fixed order."""
    qs = Enterprise.objects.filter(status=Enterprise.Status.ACTIVE, organisation__isnull=True)
    return list(qs.select_related("region").order_by("credit_code"))


def _flag_institutions():
    """Two demo providers are listed diagnosis institutions (the `provider` login's among them)."""
    Organisation.objects.filter(
        kind=Organisation.Kind.PROVIDER, name__in=INSTITUTIONS, is_diagnosis_institution=False
    ).update(is_diagnosis_institution=True)


def useful_t0(spec, rule) -> dict:
    """二级 with machine counts for B2/B3, a few points and some scenes short of 三级: a gap worth reading."""
    for n in range(500):
        answers, _state = answers_for_level(spec, rule, 2, random.Random(f"{SEED}-demo-{n}"))
        answers["B2"] = {"digital": 46, "total": 120}  # 38 % → C, with the counts behind it
        answers["B3"] = {"networked": 30}  # of B2's 120: 25 % → C
        result = score(spec, answers, rule)
        gap = result.gap
        if result.level == 2 and gap and 4 <= gap.points_missing <= 12 and len(gap.scenes) >= 2:
            return answers
    raise RuntimeError("No demo T0 found")


def seed_demo_enterprise(instrument, rule) -> bool:
    """The `enterprise` login fills its T0 through the wizard's services and submits it (二级, with a gap)."""
    user = User.objects.filter(username="enterprise").first()
    if user is None or user.organisation is None:
        return False
    enterprise = Enterprise.objects.filter(organisation=user.organisation).first()
    if enterprise is None or enterprise.assessments.exists():
        return False
    staff = User.objects.filter(username="enterprise_staff").first() or user
    answers = useful_t0(instrument.spec, rule.spec)
    assessment = services.start_assessment(enterprise=enterprise, actor=user, period="T0")
    for code, value in answers.items():
        # The information officer fills in management and results; the manager the rest.
        actor = staff if code[0] in "ME" else user
        services.save_answer(assessment=assessment, actor=actor, item_code=code, value=value)
    assessment.refresh_from_db(fields=["version"])
    services.submit_assessment(assessment=assessment, actor=user, declared=True, version=assessment.version)
    return True


def seed_assessments(stdout):
    load_bundled()
    _flag_institutions()
    instrument = Instrument.objects.current(CODE)
    rule = LevelRule.objects.active_for(CODE)
    stories = _stories()
    candidates = _candidates()
    chosen = random.Random(SEED).sample(candidates, min(DEMO_COUNT, len(candidates)))
    taken = set(Assessment.objects.filter(enterprise__in=chosen).values_list("enterprise_id", flat=True))
    plans = []
    for n, (enterprise, story) in enumerate(zip(chosen, stories, strict=False)):
        if enterprise.pk in taken:
            continue
        rng = random.Random(f"{SEED}-{enterprise.credit_code}")
        level = LEVELS[n % len(LEVELS)]
        if story.startswith("pair"):
            level = min(level, SCENE_LEVELS - 1)  # room for a better T1
        # Every other plain pair keeps its T0 under the first version, to show re-scoring.
        plans.append(Plan(enterprise, story, level, rng, old_t0=story == "pair" and n % 2 == 0))
    writer = Writer(instrument, rule, Instrument.objects.filter(code=CODE, version=OLD_VERSION).first())
    with transaction.atomic():
        writer.write(plans)
    own = seed_demo_enterprise(instrument, rule)
    made = writer.counts
    stdout.write(
        f"Assessments: {len(plans)} enterprises rated now ({made['drafts']} drafts, {made['submitted']} "
        f"self-assessments, {made['verified']} verifications, {made['requests']} on-site requests)"
        + ("; the demo enterprise submitted its T0." if own else ".")
    )
    stdout.write(
        f"In the database: {Assessment.objects.count()} assessments of "
        f"{Assessment.objects.values('enterprise').distinct().count()} enterprises, "
        f"{DiagnosisRequest.objects.count()} on-site diagnosis requests."
    )
