"""The audit log read as sentences: "赵建国 saved the answer to B7", with named, formatted details.

Each app declares how its codes read in its hooks (`audit_sentences`, `audit_fields`); the case
file's history and the audit log both show `lines(entries)`. Consecutive entries of one person on
one object whose sentence folds (the wizard's autosaves) become one line: "saved 6 questions".
"""

import re
from dataclasses import dataclass, field

from django.apps import apps
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from smedx.core import frame
from smedx.core.formatting import joined
from smedx.core.frame import AuditSentence

PLACEHOLDER = re.compile(r"%\((\w+)\)s")
SYSTEM = gettext_lazy("The platform")
HIDDEN = object()


def sentences() -> dict[str, AuditSentence]:
    """Every audit code the apps declare, with how it reads."""
    out = {}
    for code, spec in frame.merged("audit_sentences").items():
        out[code] = spec if isinstance(spec, AuditSentence) else AuditSentence(spec)
    return out


def login_codes() -> list[str]:
    return [code for code, spec in sentences().items() if spec.login]


def kind_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The kinds of action to filter on, grouped by app: the sentence without its actor."""
    groups: dict[str, list] = {}
    for code, spec in sentences().items():
        if spec.login:
            continue
        text = PLACEHOLDER.sub("…", str(spec.text).replace("%(actor)s", "", 1)).strip()
        app = apps.get_app_config(code.split(".")[0]).verbose_name
        groups.setdefault(str(app), []).append((code, text))
    return list(groups.items())


def _field(key, app=""):
    """(label, formatter) of a payload field, the code's own app first; HIDDEN for internal ids."""
    own = dict(frame.installed()).get(app)
    fields = own.audit_fields if own is not None and key in own.audit_fields else frame.merged("audit_fields")
    spec = fields.get(key, key)
    if spec is None:
        return HIDDEN
    if isinstance(spec, tuple):
        return str(spec[0]), spec[1]
    return str(spec), value_text


def value_text(value) -> str:
    """A payload value as people read it: 是/否, grouped numbers, lists joined with 、."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | float):
        return formats.number_format(value, force_grouping=True)
    if isinstance(value, list | tuple):
        return joined(value_text(item) for item in value) or "—"
    if isinstance(value, dict):
        return _("; ").join(f"{label}{_(': ')}{text}" for label, text in _pairs(value)) or "—"
    return str(value)


def _pairs(data: dict, app="") -> list[tuple[str, str]]:
    out = []
    for key, value in data.items():
        spec = _field(key, app)
        if spec is HIDDEN or value in (None, "", [], {}):
            continue
        label, fmt = spec
        out.append((label, fmt(value)))
    return out


class _Values(dict):
    def __missing__(self, key):
        return "—"


@dataclass
class Line:
    """One line of a history: the latest entry it stands for, its sentence and its details."""

    entry: object
    text: str
    details: list[tuple[str, str]]
    entries: list = field(default_factory=list)
    file: tuple | None = None  # (enterprise name, case file URL or None), set by the audit log

    @property
    def count(self) -> int:
        return len(self.entries)

    @property
    def first_at(self):
        return self.entries[-1].created_at


def _app(entry) -> str:
    return entry.action.split(".")[0]


def _values(entry) -> _Values:
    data = entry.data if isinstance(entry.data, dict) else {}
    values = _Values()
    for key, value in data.items():
        spec = _field(key, _app(entry))
        values[key] = value_text(value) if spec is HIDDEN else spec[1](value)
    values["actor"] = str(entry.actor) if entry.actor_id else str(SYSTEM)
    values["object"] = entry.object_repr or "—"
    return values


def read(entry) -> Line:
    """One entry as a sentence, with the payload fields its sentence does not already say."""
    spec = sentences().get(entry.action)
    values = _values(entry)
    if spec is None:
        text = _("%(actor)s recorded “%(action)s” on %(object)s") % {**values, "action": entry.action}
        used = set()
    else:
        text = str(spec.text) % values
        used = set(PLACEHOLDER.findall(str(spec.text)))
    data = entry.data if isinstance(entry.data, dict) else {}
    details = _pairs({key: value for key, value in data.items() if key not in used}, _app(entry))
    return Line(entry, text, details, [entry])


def _folds(line: Line, entry, spec) -> bool:
    last = line.entries[-1]
    return (
        spec is not None
        and bool(spec.folded)
        and last.action == entry.action
        and last.actor_id == entry.actor_id
        and (last.object_type, last.object_id) == (entry.object_type, entry.object_id)
    )


def _fold(line: Line, spec: AuditSentence) -> None:
    """Rewrite a line standing for several entries: the count of distinct `fold_by` values, listed."""
    seen = []
    for entry in reversed(line.entries):
        value = entry.data.get(spec.fold_by) if isinstance(entry.data, dict) else None
        if value not in seen:
            seen.append(value)
    values = _values(line.entry)
    values["count"] = formats.number_format(len(seen), force_grouping=True)
    line.text = str(spec.folded) % values
    label = _field(spec.fold_by, _app(line.entry))
    line.details = [] if label is HIDDEN else [(label[0], value_text(seen))]


def lines(entries) -> list[Line]:
    """`entries` (latest first) as lines, consecutive foldable entries folded into one."""
    specs = sentences()
    out: list[Line] = []
    for entry in entries:
        spec = specs.get(entry.action)
        if out and _folds(out[-1], entry, spec):
            out[-1].entries.append(entry)
            _fold(out[-1], spec)
        else:
            out.append(read(entry))
    return out
