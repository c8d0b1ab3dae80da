"""An enterprise's assessments over time: T0 against T1, and earlier answers re-scored under a newer version.

The comparison itself is pure (`compare_periods`, `rescore_side`): it scores answer sets and lists
the differences; nothing is written. `comparison_for` and `rescore_assessment` only read the two
assessments' rows and choose the version to compare under.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from smedx.assessments.levels import level_label
from smedx.assessments.models import Assessment, Instrument, LevelRule
from smedx.assessments.scoring import Result, rescore
from smedx.assessments.spec import SCENE_LEVELS, InstrumentSpec, LevelRuleSpec, plain
from smedx.core.formatting import joined

COMPARABLE = (Assessment.Status.SUBMITTED, Assessment.Status.VERIFIED)


@dataclass(frozen=True)
class Side:
    """One answer set as it was rated: its label, its answers, its own instrument version and rule."""

    label: str
    answers: Mapping
    instrument: InstrumentSpec
    rule: LevelRuleSpec | None = None


@dataclass(frozen=True)
class Change:
    """One line of a comparison: points (or a level) before and after, and the answers behind them."""

    code: str
    name: str
    before: Decimal | int | None
    after: Decimal | int | None
    max: Decimal | int | None = None
    before_answer: str = ""
    after_answer: str = ""
    constrained: bool = False

    @property
    def delta(self):
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def direction(self) -> str:
        """`up`, `down` or `same`, for colouring; an answer that changed without points is `changed`."""
        delta = self.delta
        if delta:
            return "up" if delta > 0 else "down"
        return "changed" if self.before_answer != self.after_answer else "same"


@dataclass(frozen=True)
class SubDimensionChange:
    change: Change
    items: tuple[Change, ...]


@dataclass(frozen=True)
class DimensionChange:
    change: Change
    subs: tuple[SubDimensionChange, ...]


@dataclass(frozen=True)
class Comparison:
    before_label: str
    after_label: str
    instrument: str  # the version both were scored under, "miit-2024-mfg 2024.1"
    rule: str | None
    before: Result
    after: Result
    total: Change
    level: Change
    dimensions: tuple[DimensionChange, ...]
    scenes: tuple[Change, ...]
    notes: tuple[str, ...] = field(default=())
    instrument_name: str = ""  # what pages show: "中小企业数字化水平评测指标（2024年版） 第 2024.1 版"
    rule_name: str = ""

    @property
    def items(self) -> list[Change]:
        return [item for dim in self.dimensions for sub in dim.subs for item in sub.items]

    @property
    def changed_items(self) -> list[Change]:
        return [item for item in self.items if item.direction != "same"]


# --- pure ----------------------------------------------------------------------------------------


def _answer_text(scored) -> str:
    """`B, C`, `C (62.5)` with the computed rate or change, `7.5` for expert points, `—` unanswered."""
    if scored is None or not scored.answered:
        return "—"
    text = ", ".join(scored.options) if scored.options else plain(scored.points)
    if scored.value is not None:
        text += f" ({plain(scored.value.quantize(Decimal('0.01')))})"
    return text


def _level_text(level) -> str:
    return str(level_label(level))


def _scored(side: Side, instrument: InstrumentSpec, rule: LevelRuleSpec | None):
    """The side's result under `instrument`/`rule`, what to say when that is not its own rating, and
    the scenes answered 未达一级 that `instrument` counts as 一级 (see `scoring.carry_over_scenes`)."""
    again = rescore(side.answers, instrument, rule)
    notes = []
    if side.instrument.checksum != instrument.checksum:
        notes.append(
            _("%(side)s was rated with %(own)s; it is re-scored under %(other)s for this comparison.")
            % {"side": side.label, "own": side.instrument.name, "other": instrument.name}
        )
        if again.dropped:
            notes.append(
                _("%(side)s: answers to %(codes)s are not in %(other)s and are left out.")
                % {"side": side.label, "codes": joined(again.dropped), "other": instrument.name}
            )
        if again.unanswered:
            notes.append(
                _("%(side)s: %(codes)s did not exist in %(own)s and count as unanswered.")
                % {"side": side.label, "codes": joined(again.unanswered), "own": side.instrument.name}
            )
        if again.raised:
            notes.append(
                _(
                    "%(side)s: %(codes)s were answered 未达一级, which %(other)s does not offer "
                    "(the official form starts at 一级); they count as 一级 here."
                )
                % {"side": side.label, "codes": joined(again.raised), "other": instrument.name}
            )
    own_rule = side.rule.checksum if side.rule else None
    if rule is not None and own_rule != rule.checksum:
        notes.append(
            _("%(side)s: the level is given by the rule %(rule)s.") % {"side": side.label, "rule": rule.name}
        )
    return again.result, notes, again.raised


def _points_change(code, name, before: Result, after: Result, kind: str) -> Change:
    one, two = getattr(before, kind).get(code), getattr(after, kind).get(code)
    return Change(
        code,
        name,
        one.points if one else None,
        two.points if two else None,
        (two or one).max_points,
    )


def _item_change(code: str, name: str, before: Result, after: Result) -> Change:
    one, two = before.items.get(code), after.items.get(code)
    return Change(
        code,
        name,
        one.points if one else None,
        two.points if two else None,
        (two or one).max_points,
        _answer_text(one),
        _answer_text(two),
    )


def _dimensions(instrument: InstrumentSpec, before: Result, after: Result) -> tuple[DimensionChange, ...]:
    dims = []
    for top in instrument.top_dimensions:
        subs = []
        # An instrument without sub-dimensions keeps its items on the dimension itself.
        for code in top.children or (top.code,):
            sub = instrument.dimensions[code]
            items = tuple(
                _item_change(c, instrument.items[c].indicator or instrument.items[c].title, before, after)
                for c in sub.items
                if instrument.items[c].points
            )
            kind = "dimensions" if code == top.code else "sub_dimensions"
            subs.append(SubDimensionChange(_points_change(code, sub.name, before, after, kind), items))
        dims.append(
            DimensionChange(_points_change(top.code, top.name, before, after, "dimensions"), tuple(subs))
        )
    return tuple(dims)


def _scene_text(level, raised: bool) -> str:
    if not raised:
        return _level_text(level)
    return _("%(level)s (answered 未达一级)") % {"level": _level_text(level)}


def diff(
    before: Result,
    after: Result,
    instrument: InstrumentSpec,
    before_label: str,
    after_label: str,
    notes=(),
    raised=((), ()),
    rule: LevelRuleSpec | None = None,
) -> Comparison:
    """The differences between two results; names and grouping come from `instrument`.

    `raised`: the scenes of each side answered 未达一级 and counted as 一级, flagged in their answer text.
    """
    scenes = tuple(
        Change(
            s.code,
            s.name,
            before.scenes.get(s.code),
            after.scenes.get(s.code),
            SCENE_LEVELS,
            _scene_text(before.scenes.get(s.code), s.code in raised[0]),
            _scene_text(after.scenes.get(s.code), s.code in raised[1]),
            constrained=s.constrained,
        )
        for s in instrument.scenes.values()
    )
    return Comparison(
        before_label=before_label,
        after_label=after_label,
        instrument=after.instrument + " " + after.version,
        rule=after.rule,
        before=before,
        after=after,
        total=Change("total", _("Total"), before.total, after.total, after.max_total),
        level=Change(
            "level",
            _("Level"),
            before.level,
            after.level,
            before_answer=_level_text(before.level),
            after_answer=_level_text(after.level),
        ),
        dimensions=_dimensions(instrument, before, after),
        scenes=scenes,
        notes=tuple(notes),
        instrument_name=instrument.name,
        rule_name=rule.name if rule else "",
    )


def compare_periods(
    before: Side,
    after: Side,
    *,
    instrument: InstrumentSpec | None = None,
    rule: LevelRuleSpec | None = None,
) -> Comparison:
    """Compare two answer sets of one enterprise under one instrument version and one rule.

    Both are scored under `instrument` and `rule` (by default the later side's); a side rated with
    another version is re-scored from its answers, and the notes say so. Nothing is saved.
    """
    instrument = instrument or after.instrument
    rule = rule if rule is not None else after.rule
    one, notes_one, raised_one = _scored(before, instrument, rule)
    two, notes_two, raised_two = _scored(after, instrument, rule)
    return diff(
        one, two, instrument, before.label, after.label, notes_one + notes_two, (raised_one, raised_two), rule
    )


def rescore_side(side: Side, instrument: InstrumentSpec, rule: LevelRuleSpec | None) -> Comparison:
    """The side as it was rated against the same answers under another version or rule."""
    original, _notes, _raised = _scored(side, side.instrument, side.rule)
    again, notes, raised = _scored(side, instrument, rule)
    label = _("Re-scored under %(version)s") % {"version": instrument.name}
    return diff(original, again, instrument, side.label, label, notes, ((), raised), rule)


# --- reading the rows ----------------------------------------------------------------------------


def period_number(period: str) -> int:
    return int(period[1:]) if period[1:].isdigit() else 0


def chronological_key(assessment: Assessment):
    """T0 before T1; within a period the self-assessment before its verification."""
    return (period_number(assessment.period), assessment.kind != Assessment.Kind.SELF, assessment.created_at)


def label_of(assessment: Assessment) -> str:
    return f"{assessment.period} {assessment.get_kind_display()}"


def side_of(assessment: Assessment, label: str | None = None) -> Side:
    return Side(
        label or label_of(assessment),
        assessment.answer_dict(),
        assessment.instrument.spec,
        assessment.level_rule.spec,
    )


def _newer(one, two, stamp: str):
    return max((one, two), key=lambda obj: (getattr(obj, stamp), obj.pk))


def comparison_for(first: Assessment, second: Assessment) -> Comparison:
    """Compare two submitted or verified assessments of one enterprise, the earlier period first.

    When they were rated with different instrument versions (or rules), both are scored under the
    newer one: the older answers are re-scored, for this comparison only.
    """
    before, after = sorted((first, second), key=chronological_key)
    instrument = max((before.instrument, after.instrument), key=lambda row: (row.version_key, row.pk))
    rule = _newer(before.level_rule, after.level_rule, "created_at")
    if rule.instrument_code != instrument.code:
        rule = after.level_rule
    return compare_periods(side_of(before), side_of(after), instrument=instrument.spec, rule=rule.spec)


def rescore_assessment(assessment: Assessment, instrument: Instrument, rule: LevelRule | None) -> Comparison:
    """The assessment's stored rating against its answers re-scored under `instrument` and `rule`.

    For comparison only: the assessment, its result and its answers are not changed.
    """
    return rescore_side(side_of(assessment), instrument.spec, rule.spec if rule else None)


def history_of(assessments) -> list[tuple[str, list[Assessment]]]:
    """Assessments grouped by period, oldest period first: `[("T0", [self, verified]), ("T1", [...])]`."""
    periods: dict[str, list[Assessment]] = {}
    for assessment in sorted(assessments, key=chronological_key):
        periods.setdefault(assessment.period, []).append(assessment)
    return list(periods.items())
