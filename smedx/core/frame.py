"""What each app contributes to the shared frame, declared once in its `hooks.py` as `HOOKS = Hooks(...)`.

An app's config subclasses `HookedAppConfig`, whose `ready()` installs the app's `HOOKS`; the frame
then reads every installed app's contributions in the order of INSTALLED_APPS (the journey order):

- `rights`: grant → rights, e.g. `{"district": {"projects.project:review"}}`. Grants are the kinds of
  people in `GRANTS`; `accounts.rights` turns them into one user's rights, and
  `manage.py rights_table` prints the whole role × right table.
- `todos` and `panels`: functions of the user giving to-dos (`Todo`) and workbench panels (`Panel`).
- `shortcuts`: cards on the workbench (`Shortcut`), each behind a right.
- `journey`: `{stage: fn(enterprise, view)}` — the app's stage(s) on the case file's timeline.
- `next_steps`: functions of an enterprise giving the action (a `Todo` with its `stage`) that moves its
  journey forward in the app's stage(s), or None; the workbench leads with the first one in journey order.
- `nav`: entries of the top navigation (`NavEntry`), grouped by stage.
- `list_filters`: `(name, field_fn(user), filter_fn(qs, value))` for the enterprise list and export.
- `daily_jobs`: `DailyJob`s run by `manage.py run_daily` (cron, once a day).
- `exports`: `ExportKind`s, the Excel lists the app offers; `core.exports` runs every one the same way
  (a job row, in the request when small, else in the task worker with progress, as the person who asked).
- `audit_sentences`: `{code: sentence}` — how the history and the audit log read each audit code the app
  records, e.g. `{"assessments.answer.saved": _("%(actor)s saved the answer to %(item)s")}`, or an
  `AuditSentence` for codes that fold or are sign-in events (`smedx.core.history` reads them).
- `audit_fields`: `{data key: label}` — the names of the app's audit payload fields; `None` hides a
  field (internal ids), a `(label, fn)` pair formats its value.
- `extensions`: named extension points of earlier apps, e.g. `{"assessments.conflict_rules": [fn]}`;
  the app that owns the point reads them with `extensions(name)`.

Core knows nothing of the apps: it stores and hands back what they declare.
"""

import importlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from django.apps import AppConfig

# The kinds of people rights are granted to. A person has several: a city officer is `authority`
# and `city`; every member of an active organisation is `everyone`; an organisation's admin is `admin`.
GRANTS = (
    "everyone",
    "authority",
    "city",
    "district",
    "committee",
    "provider",
    "institution",
    "enterprise",
    "platform",
    "admin",
)


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    stage: int  # 0 the frame (case files), 1–8 the journey, 9 administration
    rights: tuple[str, ...] = ()  # shown to a user with any of these; () = every logged-in user
    public: bool = False  # shown to visitors too
    order: int = 0  # within a stage, lower first (then journey order)

    def shown_to(self, user) -> bool:
        if self.public:
            return True
        if not user.is_authenticated:
            return False
        return not self.rights or any(user.has_right(right) for right in self.rights)


@dataclass(frozen=True)
class Shortcut:
    title: str
    text: str | Callable  # or fn(user) → text
    icon: str
    url: str | Callable  # a URL name, or fn(user) → URL or None (then the card is not shown)
    right: str | None = None
    query: str = ""
    order: int = 0  # lower first, then journey order; the account's own cards come last

    def card(self, user) -> dict | None:
        """What the workbench shows of this shortcut for `user`, or None when it is not theirs."""
        from django.urls import reverse

        if self.right and not user.has_right(self.right):
            return None
        target = self.url(user) if callable(self.url) else reverse(self.url)
        if not target:
            return None
        text = self.text(user) if callable(self.text) else self.text
        return {"title": self.title, "text": text, "icon": self.icon, "url": target + self.query}


@dataclass(frozen=True)
class DailyJob:
    name: str
    run: Callable[[], int]  # returns how many rows it acted on
    help: str = ""


def _unchanged(qs):
    return qs


@dataclass(frozen=True)
class ExportKind:
    """One Excel list an app offers; `smedx.core.exports` starts, runs and hands out every kind alike.

    `rows(user, params)` gives the rows `user` may see, filtered by `params` (a QueryDict of the page's
    filters) exactly as the page filters them; it is called again in the task worker as the job's owner,
    so the file holds what the owner's page would list. `prepare(qs)` adds what the columns read
    (`select_related`, `only`, annotations, a prefetch per chunk); `columns()` gives (header, fn(row)).
    """

    name: str  # stored on the job, e.g. "enterprises.enterprise"
    title: str  # the sheet's name and the start of the file's name
    right: str  # needed to start it, checked again when the worker runs it
    rows: Callable
    columns: Callable
    prepare: Callable = _unchanged


@dataclass(frozen=True)
class AuditSentence:
    """How one audit code reads: `text` with `%(actor)s`, `%(object)s` and the entry's data keys."""

    text: str
    # For consecutive entries of one person on one object, one line instead: `%(count)s` of them.
    folded: str = ""
    fold_by: str = ""  # the data key whose distinct values `%(count)s` counts, e.g. the question
    login: bool = False  # a sign-in event, filtered apart in the audit log


@dataclass(frozen=True)
class Hooks:
    rights: Mapping[str, set[str]] = field(default_factory=dict)
    todos: Sequence[Callable] = ()
    panels: Sequence[Callable] = ()
    shortcuts: Sequence[Shortcut] = ()
    journey: Mapping[int, Callable] = field(default_factory=dict)
    next_steps: Sequence[Callable] = ()
    nav: Sequence[NavEntry] = ()
    list_filters: Sequence[tuple] = ()
    daily_jobs: Sequence[DailyJob] = ()
    exports: Sequence[ExportKind] = ()
    extensions: Mapping[str, Sequence] = field(default_factory=dict)
    audit_sentences: Mapping[str, str | AuditSentence] = field(default_factory=dict)
    audit_fields: Mapping[str, str | tuple | None] = field(default_factory=dict)

    def __post_init__(self):
        unknown = set(self.rights) - set(GRANTS)
        if unknown:
            raise ValueError(f"unknown grants {sorted(unknown)}; use one of {GRANTS}")


_installed: dict[str, Hooks] = {}


def install(label: str, hooks: Hooks) -> None:
    _installed[label] = hooks


def installed() -> list[tuple[str, Hooks]]:
    """Every app's hooks in the order of INSTALLED_APPS."""
    from django.apps import apps

    order = [config.label for config in apps.get_app_configs()]
    return sorted(_installed.items(), key=lambda item: order.index(item[0]) if item[0] in order else 99)


def collect(name: str) -> list:
    """One kind of contribution of every app, in journey order."""
    out = []
    for _label, hooks in installed():
        out.extend(getattr(hooks, name))
    return out


def journey_stages() -> dict[int, Callable]:
    stages = {}
    for _label, hooks in installed():
        stages.update(hooks.journey)
    return stages


def merged(name: str) -> dict:
    """One mapping contribution of every app merged, later apps winning on a shared key."""
    out = {}
    for _label, hooks in installed():
        out.update(getattr(hooks, name))
    return out


def export_kinds() -> dict[str, ExportKind]:
    return {kind.name: kind for kind in collect("exports")}


def extensions(name: str) -> list:
    return [item for _label, hooks in installed() for item in hooks.extensions.get(name, ())]


class HookedAppConfig(AppConfig):
    """An app of the journey: `ready()` installs the `HOOKS` of its `hooks.py`.

    Subclass it as `frame.HookedAppConfig` (not imported by name): Django picks an app's config by
    finding the one AppConfig subclass in its `apps.py`.
    """

    def ready(self):
        module = importlib.import_module(f"{self.name}.hooks")
        install(self.label, module.HOOKS)
