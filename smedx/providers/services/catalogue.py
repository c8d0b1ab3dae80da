"""The solution catalogue's state changes: a provider writes, publishes and withdraws its solutions.

Only a provider in the pool (listed or warned) may publish; suspending or removing the provider hides
its solutions from the catalogue without touching them.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from smedx.accounts import people
from smedx.core import audit
from smedx.core.errors import DomainError
from smedx.providers.models import EDIT_SOLUTION, ProviderProfile, Solution, SolutionScene
from smedx.providers.reference import pack, scenes

SOLUTION_FIELDS = [
    "name",
    "summary",
    "description",
    "keywords",
    "industries",
    "deployment",
    "price_min",
    "price_max",
    "price_unit",
    "delivery_days",
]


def _check_actor(actor, profile):
    if actor is None or not actor.has_right(EDIT_SOLUTION):
        raise DomainError(_("You may not edit solutions."))
    if not people.acts_for(actor, profile.organisation_id):
        raise DomainError(_("This is not your organisation's solution."))
    if profile.status == ProviderProfile.Status.REMOVED:
        raise DomainError(_("The provider was removed from the pool."))


def _check_scenes(rows):
    if not rows:
        raise DomainError(_("Name at least one scene the solution raises."))
    seen = set()
    for code, low, high in rows:
        if code not in scenes():
            raise DomainError(_("There is no scene %(code)s.") % {"code": code})
        if code in seen:
            raise DomainError(_("The scene %(code)s is named twice.") % {"code": code})
        seen.add(code)
        if not (0 <= int(low) < int(high) <= 4):
            raise DomainError(
                _("A scene must rise: from level 0–3 to a higher level up to 4 (%(code)s).") % {"code": code}
            )


def save_solution(*, profile, actor, data: dict, scene_rows, references=None, solution=None, ip=None):
    """Create (solution None) or update a solution; `scene_rows` are `(scene code, from, to)`."""
    _check_actor(actor, profile)
    _check_scenes(scene_rows)
    data = dict(data)
    if "industries" in data and not isinstance(data["industries"], str):
        data["industries"] = pack(data["industries"])
    if data["price_max"] < data["price_min"]:
        raise DomainError(_("The highest price is below the lowest."))
    references = list(references or [])
    if any(r.profile_id != profile.pk for r in references):
        raise DomainError(_("Only your own reference customers can be named."))
    with transaction.atomic():
        if solution is None:
            solution = Solution(provider=profile)
            created = True
        else:
            solution = Solution.objects.select_for_update().get(pk=solution.pk, provider=profile)
            created = False
        for key in SOLUTION_FIELDS:
            if key in data:
                setattr(solution, key, data[key])
        solution.save()
        solution.scenes.all().delete()
        SolutionScene.objects.bulk_create(
            SolutionScene(solution=solution, scene=code, from_level=int(low), to_level=int(high))
            for code, low, high in scene_rows
        )
        solution.references.set(references)
        audit.record(
            "providers.solution." + ("created" if created else "updated"),
            actor=actor,
            obj=solution,
            ip=ip,
            data={"scenes": [code for code, _l, _h in scene_rows]},
        )
    return solution


def _lock(solution, actor):
    locked = Solution.objects.select_for_update().get(pk=solution.pk)
    profile = ProviderProfile.objects.get(pk=locked.provider_id)
    _check_actor(actor, profile)
    return locked, profile


def publish_solution(*, solution, actor, ip=None) -> Solution:
    with transaction.atomic():
        locked, profile = _lock(solution, actor)
        if profile.status not in ProviderProfile.PUBLIC:
            raise DomainError(_("Only a provider listed in the pool can publish solutions."))
        if locked.status == Solution.Status.PUBLISHED:
            raise DomainError(_("The solution is already published."))
        if not locked.scenes.exists():
            raise DomainError(_("Name at least one scene the solution raises."))
        locked.status = Solution.Status.PUBLISHED
        locked.published_at = timezone.now()
        locked.save(update_fields=["status", "published_at", "updated_at"])
        audit.record("providers.solution.published", actor=actor, obj=locked, ip=ip)
    return locked


def withdraw_solution(*, solution, actor, ip=None) -> Solution:
    with transaction.atomic():
        locked, _profile = _lock(solution, actor)
        if locked.status != Solution.Status.PUBLISHED:
            raise DomainError(_("Only a published solution can be withdrawn."))
        locked.status = Solution.Status.WITHDRAWN
        locked.save(update_fields=["status", "updated_at"])
        audit.record("providers.solution.withdrawn", actor=actor, obj=locked, ip=ip)
    return locked
