"""Conflict-of-interest screening (利益回避) before somebody verifies an enterprise's self-assessment.

Built-in rules, known in stage 1:

- the verifier's own organisation is the enterprise itself: its account, an organisation registered
  under the enterprise's credit code (a provider arm of the same company), or an expert whose profile
  names the enterprise as employer;
- the verifier (or, for an institution, any of its members) declared an interest for this request
  that awaits the district's decision or was refused.

Later stages add rules with `register(fn)`, where `fn(verifier_user, verifier_org, enterprise)`
returns a list of reasons (e.g. "has a project with the enterprise"). `verifier_user` is None when a
whole institution is screened. Such an interest may be declared: once the district approves a
declaration of the verifier for the request, the registered rules no longer refuse it (the issue:
"may not verify it, or must declare it and be approved"). Nothing lifts the first rule.
"""

from django.utils.translation import gettext as _

from smedx.accounts import people
from smedx.core import frame
from smedx.core.errors import DomainError


def rules():
    """Rules later apps add through their hooks' `extensions["assessments.conflict_rules"]`:
    `fn(verifier_user, verifier_org, enterprise) -> list[str]` (the reasons found)."""
    return frame.extensions("assessments.conflict_rules")


def _declarations(request, user, institution):
    from smedx.assessments.models import ConflictDeclaration

    qs = ConflictDeclaration.objects.filter(request=request)
    if institution is not None:
        return qs.filter(declared_by__in=people.users_where(organisation=institution))
    return qs.filter(declared_by=user)


def _is_the_enterprise(enterprise, user, org) -> bool:
    if org is not None and (
        org.pk == enterprise.organisation_id or org.credit_code == enterprise.credit_code
    ):
        return True
    profile = getattr(user, "expert_profile", None) if user is not None else None
    return profile is not None and profile.employer.strip() == enterprise.name


def reasons(request, *, user=None, institution=None) -> list[str]:
    """Why `user` (an expert) or `institution` may not verify `request`; empty when nothing is in the way."""
    enterprise = request.enterprise
    org = institution if institution is not None else (user.organisation if user is not None else None)
    who = str(institution if institution is not None else user)
    found = []
    if _is_the_enterprise(enterprise, user, org):
        found.append(_("%(who)s belongs to the enterprise itself.") % {"who": who})
    approved = False
    for declaration in _declarations(request, user, institution):
        if declaration.status == declaration.Status.APPROVED:
            approved = True
            continue
        found.append(
            _("%(who)s declared an interest (%(interest)s): %(status)s.")
            % {
                "who": declaration.declared_by,
                "interest": declaration.description,
                "status": declaration.get_status_display(),
            }
        )
    if not approved:
        for rule in rules():
            found.extend(str(reason) for reason in rule(user, org, enterprise))
    return found


def ensure_none(request, *, user=None, institution=None) -> None:
    """Refuse with every reason at once, so the officer sees the whole picture."""
    found = reasons(request, user=user, institution=institution)
    if found:
        who = institution if institution is not None else user
        raise DomainError(
            _("%(who)s may not verify %(enterprise)s: %(reasons)s")
            % {"who": who, "enterprise": request.enterprise, "reasons": " ".join(found)}
        )
