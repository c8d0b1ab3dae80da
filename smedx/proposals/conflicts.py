"""Conflicts of interest (利益回避) between diagnosing an enterprise and proposing to it.

- A proposal from the provider that diagnosed the enterprise (the institution assigned to one of its
  on-site diagnoses, or whose member was the assigned expert) is flagged; selecting it needs the
  district authority's acknowledgement (`services.acknowledge_conflict`).
- The other way round, registered with stage 1 (`smedx.assessments.conflicts.register`): a provider
  with a submitted or selected proposal for the enterprise may not verify its assessment.
"""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from smedx.accounts.models import Membership, Organisation
from smedx.assessments.models import DiagnosisRequest


def diagnosis_reasons(provider, enterprise) -> list[str]:
    """Why `provider` is conflicted in proposing to `enterprise`; empty when it never diagnosed it."""
    members = Membership.objects.filter(organisation=provider).values("user_id")
    diagnosed = (
        DiagnosisRequest.objects.filter(enterprise=enterprise)
        .exclude(status=DiagnosisRequest.Status.CANCELLED)
        .filter(Q(institution=provider) | Q(expert_id__in=members))
        .order_by("requested_at")
        .first()
    )
    if diagnosed is None:
        return []
    return [
        _("%(provider)s carried out the on-site diagnosis of %(enterprise)s (requested %(date)s).")
        % {
            "provider": provider,
            "enterprise": enterprise,
            "date": timezone.localdate(diagnosed.requested_at).isoformat(),
        }
    ]


def proposal_rule(verifier_user, verifier_org, enterprise) -> list[str]:
    """Stage 1 rule: whoever has a proposal with the enterprise may not verify it."""
    from smedx.proposals.models import Proposal

    if verifier_org is None or verifier_org.kind != Organisation.Kind.PROVIDER:
        return []
    has = Proposal.objects.filter(
        provider=verifier_org,
        need__enterprise=enterprise,
        status__in=(Proposal.Status.SUBMITTED, Proposal.Status.SELECTED),
    ).exists()
    if not has:
        return []
    return [_("%(who)s has a proposal with the enterprise.") % {"who": verifier_org}]
