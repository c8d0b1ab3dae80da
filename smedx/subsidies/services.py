"""Stage 5's services: draft a policy and publish it, writing and telling its eligible enterprises."""

from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from smedx.accounts.models import Membership, Organisation
from smedx.core import audit
from smedx.core.errors import DomainError
from smedx.core.models import Notification
from smedx.subsidies import eligibility
from smedx.subsidies.models import Policy, PolicyEligibility

FIELDS = (
    "title",
    "level",
    "document_number",
    "summary",
    "opens_on",
    "closes_on",
    "total_budget",
    "support",
    "rate",
    "cap",
    "fixed_amount",
    "materials",
    "review_steps",
)


def _check_issuer(actor, region):
    """An active authority of the policy's region, or the city's, issues it."""
    org = getattr(actor, "organisation", None)
    if (
        not actor.has_right("subsidies.policy:manage")
        or org is None
        or org.kind != Organisation.Kind.AUTHORITY
    ):
        raise DomainError(_("Only an authority may issue policies."))
    if org.region.parent_id is not None and org.region_id != region.pk:
        raise DomainError(_("A district authority issues policies for its own district only."))


def _check_terms(data: dict):
    if data["closes_on"] < data["opens_on"]:
        raise DomainError(_("The application window closes before it opens."))
    if data["support"] == Policy.Support.FIXED and data.get("fixed_amount") is None:
        raise DomainError(_("A fixed award needs its amount."))
    if data["support"] != Policy.Support.FIXED and data.get("rate") is None:
        raise DomainError(_("A share or an interest subsidy needs its rate."))


def create_policy(*, actor, region, data: dict, conditions: dict, ip=None) -> Policy:
    _check_issuer(actor, region)
    data = {name: data[name] for name in FIELDS if name in data}
    _check_terms(data)
    policy = Policy.objects.create(
        **data,
        region=region,
        issuer=actor.organisation,
        conditions=eligibility.validate(conditions),
        created_by=actor,
    )
    audit.record("subsidies.policy.created", actor=actor, obj=policy, ip=ip)
    return policy


def publish_policy(*, policy, actor, ip=None) -> Policy:
    """Publish a draft: write its eligible enterprises in one INSERT … SELECT and notify their people."""
    with transaction.atomic():
        locked = Policy.objects.select_for_update().get(pk=policy.pk)
        _check_issuer(actor, locked.region)
        if locked.status != Policy.Status.DRAFT:
            raise DomainError(_("Only a draft policy can be published."))
        now = timezone.now()
        locked.eligible_count = write_eligible(locked, now)
        locked.status = Policy.Status.PUBLISHED
        locked.published_at = now
        locked.version += 1
        locked.save(update_fields=["eligible_count", "status", "published_at", "version"])
        notify_eligible(locked, now)
        audit.record(
            "subsidies.policy.published",
            actor=actor,
            obj=locked,
            data={"eligible": locked.eligible_count},
            ip=ip,
        )
    return locked


def _insert_select(model, columns, select, params, constants) -> int:
    """INSERT INTO model (columns) SELECT constants…, the select's columns; the rows written."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(model._meta.get_field(name).column) for name in columns)
    marks = ", ".join(["%s"] * len(constants))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(model._meta.db_table)} ({names}) SELECT {marks}, picked.* FROM ({select}) picked",
            [*constants, *params],
        )
        return cursor.rowcount


def write_eligible(policy, now) -> int:
    """The policy's eligible enterprises, written by the database (no row through Python)."""
    PolicyEligibility.objects.filter(policy=policy).delete()
    moment = connection.ops.adapt_datetimefield_value(now)
    select, params = eligibility.eligible(policy).order_by().values("pk").query.sql_with_params()
    return _insert_select(
        PolicyEligibility, ("policy", "computed_at", "enterprise"), select, params, [policy.pk, moment]
    )


def notify_eligible(policy, now):
    """One notification for each person of an eligible enterprise, written by the database after commit."""
    people = Membership.objects.filter(organisation__enterprise__policy_eligibility__policy=policy)
    select, params = people.order_by().values("user_id").query.sql_with_params()
    title = _("A policy you may apply for: %(title)s") % {"title": policy.title}
    url = reverse("workbench:home")
    moment = connection.ops.adapt_datetimefield_value(now)
    constants = ["subsidies.policy.eligible", title[:200], "", url, moment]

    def send():
        _insert_select(
            Notification,
            ("verb", "title", "body", "url", "created_at", "recipient"),
            select,
            params,
            constants,
        )

    transaction.on_commit(send)
