"""Stage 4 项目实施, registration and implementation: project filing (备案) from the chosen plan, the
district's review, change requests, milestone progress and confirmation, invoices, overdue milestones.

Every state change is one function here, called by the pages, the API and the daily task alike.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from smedx.accounts import people
from smedx.core import audit, uploads
from smedx.core.creditcode import credit_code_error, normalise_credit_code
from smedx.core.errors import ConflictError, DomainError
from smedx.core.notifications import notify
from smedx.enterprises.models import Stage
from smedx.enterprises.services.casefile import advance_stage
from smedx.projects import metrics
from smedx.projects.models import (
    ChangeRequest,
    Invoice,
    Milestone,
    ProgressReport,
    Project,
    ProjectFile,
    ProjectItem,
    ProjectKpi,
    ReviewStep,
)
from smedx.proposals.models import TransformationPlan

EDIT, CONFIRM, INVOICE = "projects.project:edit", "projects.milestone:confirm", "projects.invoice:record"
FILE_KINDS = uploads.EVIDENCE  # contracts, evidence, proofs and acceptance documents alike
REPORT, REVIEW, LIST = "projects.progress:report", "projects.project:review", "projects.project:list"
# Who has a project list: officers, the enterprise, the provider, the committee.
LIST_RIGHTS = (
    LIST,
    EDIT,
    REPORT,
    "projects.supervision:assign",
    "projects.supervision:act",
    "projects.acceptance:decide",
)
PS = Project.Status
MS = Milestone.Status
PROJECT_FIELDS = (
    "title",
    "contract_number",
    "contract_signed_on",
    "contract_amount",
    "goal_production_line",
    "goal_management",
    "goal_data_flow",
)
# Invoices are recorded once the project is registered, until the acceptance is decided.
INVOICING = (PS.REGISTERED, PS.IN_PROGRESS, PS.COMPLETED, PS.ACCEPTANCE_APPLIED, PS.RECTIFY)
CENT = Decimal("0.01")


def _require(allowed: bool):
    if not allowed:
        raise DomainError(_("You may not do this."))


def project_url(project) -> str:
    return reverse("projects:project_detail", args=[project.pk])


def _lock(project) -> Project:
    return (
        Project.objects.select_for_update(of=("self",))
        .select_related("enterprise__organisation", "enterprise__region", "provider")
        .get(pk=project.pk)
    )


# --- files --------------------------------------------------------------------------------------------


def check_project_file(file) -> str:
    """The detected type of a project file; DomainError when too big, empty or not what its name says."""
    return uploads.check(file, kinds=FILE_KINDS, max_bytes=settings.EVIDENCE_MAX_BYTES)


def store_project_file(*, project, actor, file, kind, milestone=None, report=None) -> ProjectFile:
    """Write one checked file under a generated name (the caller checked who may attach)."""
    detected = check_project_file(file)
    row = ProjectFile(
        project=project,
        milestone=milestone,
        report=report,
        kind=kind,
        original_name=uploads.original_name(file),
        content_type=uploads.TYPES[detected].content_type,
        size=file.size,
        uploaded_by=actor,
    )
    uploads.store(row.file, file, kind=detected)
    row.save()
    return row


# --- checks -------------------------------------------------------------------------------------------


def _money(value) -> str:
    return f"{Decimal(value).quantize(CENT):,}"


def submission_problems(project) -> list[str]:
    """What keeps a draft from being submitted (empty: ready)."""
    problems = []
    total = metrics.items_total(project)
    if total != project.contract_amount:
        problems.append(
            _("The items add up to %(items)s yuan but the contract amount is %(contract)s yuan.")
            % {"items": _money(total), "contract": _money(project.contract_amount)}
        )
    if not project.milestones.exists():
        problems.append(_("Add at least one milestone."))
    if not project.contract_file:
        problems.append(_("Upload the signed contract."))
    if not project.contract_number or not project.contract_signed_on:
        problems.append(_("Give the contract number and the date it was signed."))
    return problems


# --- registration -------------------------------------------------------------------------------------


def _item_rows(project, items) -> list[ProjectItem]:
    rows = []
    for item in items:
        try:
            quantity, price = Decimal(item["quantity"]), Decimal(item["unit_price"])
        except (InvalidOperation, TypeError) as exc:
            raise DomainError(_("Quantities and prices must be numbers.")) from exc
        if quantity <= 0 or price < 0:
            raise DomainError(_("Quantities must be positive and prices not negative."))
        office_pc = bool(item.get("office_pc")) and item["kind"] == ProjectItem.Kind.HARDWARE
        rows.append(
            ProjectItem(
                project=project,
                kind=item["kind"],
                description=item["description"],
                quantity=quantity,
                unit_price=price,
                amount=(quantity * price).quantize(CENT),
                office_pc=office_pc,
                # Office PCs are never an eligible cost (programme §2); other items unless marked not.
                eligible=not office_pc and item.get("eligible", True) is not False,
            )
        )
    return rows


def _milestone_rows(project, milestones) -> list[Milestone]:
    ordered = sorted(milestones, key=lambda m: (m["due_date"], m["name"]))
    return [
        Milestone(
            project=project,
            order=n,
            name=m["name"],
            due_date=m["due_date"],
            deliverable=m.get("deliverable", ""),
        )
        for n, m in enumerate(ordered, start=1)
    ]


def _kpi_rows(project, kpis) -> list[ProjectKpi]:
    return [
        ProjectKpi(
            project=project,
            direction=k.get("direction") or "production_line",
            name=k["name"],
            baseline=k["baseline"],
            target=k["target"],
            unit=k.get("unit", ""),
        )
        for k in kpis
    ]


def target_level_of(plan):
    """The level the plan aims at: the selected proposal's, else the need's. The project keeps it: a filing
    cannot aim elsewhere than the plan its district and the acceptance compare it with."""
    return plan.proposal.expected_level or plan.need.target_level or None


def create_project_from_plan(*, plan, actor, ip=None) -> Project:
    """The enterprise starts filing its project: items, milestones, KPIs and level from the chosen proposal."""
    _require(people.acts_for(actor, plan.enterprise.organisation_id, EDIT))
    with transaction.atomic():
        locked = (
            TransformationPlan.objects.select_for_update(of=("self",))
            .select_related("proposal", "need")
            .get(pk=plan.pk)
        )
        if Project.objects.filter(plan=locked).exists():
            raise ConflictError(_("A project was already started from this plan."))
        proposal = locked.proposal
        project = Project.objects.create(
            plan=locked,
            enterprise_id=locked.enterprise_id,
            provider_id=proposal.provider_id,
            title=proposal.title,
            contract_amount=proposal.total,
            target_level=target_level_of(locked),
            created_by=actor,
        )
        items = proposal.items.values("kind", "description", "quantity", "unit_price")
        ProjectItem.objects.bulk_create(_item_rows(project, items))
        Milestone.objects.bulk_create(
            _milestone_rows(project, proposal.milestones.values("name", "due_date", "deliverable"))
        )
        ProjectKpi.objects.bulk_create(
            _kpi_rows(project, proposal.kpis.values("name", "baseline", "target", "unit"))
        )
        audit.record("projects.project.created", actor=actor, obj=project, ip=ip, data={"plan": locked.pk})
    return project


def update_project(
    *, project, actor, data: dict, items=(), milestones=(), kpis=(), version: int, contract_file=None, ip=None
) -> Project:
    """Change a draft or returned project; its lists are replaced as given. A stale version is refused."""
    _require(people.acts_for(actor, project.enterprise.organisation_id, EDIT))
    with transaction.atomic():
        locked = _lock(project)
        if not locked.is_editable:
            raise DomainError(_("Only a draft or returned project can be changed."))
        if int(version) != locked.version:
            raise ConflictError(
                _("Someone changed this project meanwhile. Reload it and enter your changes again.")
            )
        for field in PROJECT_FIELDS:
            if field in data:
                setattr(locked, field, data[field])
        if locked.contract_amount is None or Decimal(locked.contract_amount) < 0:
            raise DomainError(_("The contract amount cannot be negative."))
        locked.parties = {
            "enterprise_signatory": data.get(
                "enterprise_signatory", locked.parties.get("enterprise_signatory", "")
            ),
            "provider_signatory": data.get(
                "provider_signatory", locked.parties.get("provider_signatory", "")
            ),
        }
        item_rows = _item_rows(locked, items)
        fields = [*PROJECT_FIELDS, "parties", "version"]
        if contract_file is not None:
            uploads.store(locked.contract_file, contract_file, kind=check_project_file(contract_file))
            fields.append("contract_file")
        locked.version += 1
        locked.save(update_fields=fields)
        for related in (locked.items, locked.milestones, locked.kpis):
            related.all().delete()
        ProjectItem.objects.bulk_create(item_rows)
        Milestone.objects.bulk_create(_milestone_rows(locked, milestones))
        ProjectKpi.objects.bulk_create(_kpi_rows(locked, kpis))
        audit.record(
            "projects.project.updated",
            actor=actor,
            obj=locked,
            ip=ip,
            data={"version": locked.version, "contract_amount": str(locked.contract_amount)},
        )
    return locked


def submit_project(*, project, actor, declared: bool, ip=None) -> Project:
    """File the project with the district: items add up to the contract, milestones, contract, declaration."""
    _require(people.acts_for(actor, project.enterprise.organisation_id, EDIT))
    with transaction.atomic():
        locked = _lock(project)
        if not locked.is_editable:
            raise DomainError(_("Only a draft or returned project can be submitted."))
        if not declared:
            raise DomainError(_("Declare that the information and documents are true."))
        problems = submission_problems(locked)
        if problems:
            raise DomainError(" ".join(problems))
        now = timezone.now()
        locked.status, locked.declared, locked.declared_at, locked.declared_by = (
            PS.SUBMITTED,
            True,
            now,
            actor,
        )
        locked.submitted_at = now
        locked.save(update_fields=["status", "declared", "declared_at", "declared_by", "submitted_at"])
        ReviewStep.objects.create(project=locked, actor=actor, action=ReviewStep.Action.SUBMITTED)
        audit.record("projects.project.submitted", actor=actor, obj=locked, ip=ip)
        notify(
            people.district_officers(locked.enterprise.region),
            verb="projects.project.submitted",
            title=_("Project filed for review: %(project)s") % {"project": locked},
            url=project_url(locked),
        )
    return locked


def review_project(*, project, actor, register: bool, comment="", ip=None) -> Project:
    """The enterprise's district registers the project or returns it with comments; one decision wins."""
    _require(people.is_district_of(actor, project.enterprise, REVIEW))
    comment = (comment or "").strip()
    if not register and not comment:
        raise DomainError(_("Say what must be changed when returning a project."))
    with transaction.atomic():
        locked = _lock(project)  # two officers at once: the second waits here, then finds it decided
        if locked.status != PS.SUBMITTED:
            raise ConflictError(_("This project is not waiting for review (it was decided meanwhile)."))
        locked.review_comment = comment
        fields = ["status", "review_comment"]
        if register:
            locked.status, locked.registered_at, locked.registered_by = PS.REGISTERED, timezone.now(), actor
            fields += ["registered_at", "registered_by"]
            action, title = ReviewStep.Action.REGISTERED, _("Project registered: %(project)s")
        else:
            locked.status, locked.declared = PS.RETURNED, False
            fields.append("declared")
            action, title = ReviewStep.Action.RETURNED, _("Project returned for changes: %(project)s")
        locked.save(update_fields=fields)
        ReviewStep.objects.create(project=locked, actor=actor, action=action, comment=comment)
        audit.record(f"projects.project.{action}", actor=actor, obj=locked, ip=ip, data={"comment": comment})
        recipients = people.members(locked.enterprise.organisation)
        if register:
            recipients += people.members(locked.provider)
        notify(
            recipients,
            verb=f"projects.project.{action}",
            title=title % {"project": locked},
            body=comment,
            url=project_url(locked),
        )
        if register:
            advance_stage(enterprise=locked.enterprise, stage=Stage.IMPLEMENTATION, actor=actor)
    return locked


# --- change requests ----------------------------------------------------------------------------------


def _clean_changes(project, changes: dict) -> dict:
    """Keep only what a change may touch: the contract amount and milestones' due dates."""
    clean = {}
    if changes.get("contract_amount") not in (None, ""):
        try:
            amount = Decimal(str(changes["contract_amount"])).quantize(CENT)
        except InvalidOperation as exc:
            raise DomainError(_("The new contract amount must be a number.")) from exc
        if amount <= 0:
            raise DomainError(_("The new contract amount must be positive."))
        clean["contract_amount"] = str(amount)
    due = {}
    known = set(project.milestones.values_list("pk", flat=True))
    for key, value in (changes.get("due_dates") or {}).items():
        if int(key) not in known:
            raise DomainError(_("That milestone is not part of this project."))
        due[str(int(key))] = (
            value.isoformat() if isinstance(value, date) else date.fromisoformat(value).isoformat()
        )
    if due:
        clean["due_dates"] = due
    return clean


def request_change(*, project, actor, description: str, changes: dict, ip=None) -> ChangeRequest:
    """After registration the enterprise changes its project only through a request its district decides."""
    _require(people.acts_for(actor, project.enterprise.organisation_id, EDIT))
    if not (description or "").strip():
        raise DomainError(_("Describe the change and why it is needed."))
    with transaction.atomic():
        locked = _lock(project)
        if not locked.is_underway:
            raise DomainError(_("Changes can be requested only while the project is being implemented."))
        if locked.change_requests.filter(status=ChangeRequest.Status.PENDING).exists():
            raise DomainError(_("A change request is already waiting for a decision."))
        change = ChangeRequest.objects.create(
            project=locked,
            requested_by=actor,
            description=description.strip(),
            changes=_clean_changes(locked, changes or {}),
        )
        audit.record("projects.change_request.requested", actor=actor, obj=change, ip=ip, data=change.changes)
        notify(
            people.district_officers(locked.enterprise.region),
            verb="projects.change_request.requested",
            title=_("Change requested for %(project)s") % {"project": locked},
            url=project_url(locked),
        )
    return change


def _apply(project, changes: dict):
    if "contract_amount" in changes:
        project.contract_amount = Decimal(changes["contract_amount"])
    for pk, due in changes.get("due_dates", {}).items():
        # A new due date gives the milestone a fresh overdue warning.
        project.milestones.filter(pk=int(pk)).update(
            due_date=date.fromisoformat(due), overdue_notified_at=None
        )
    project.version += 1
    project.save(update_fields=["contract_amount", "version"])


def decide_change(*, change, actor, approve: bool, comment="", ip=None) -> ChangeRequest:
    """The district approves (the changes apply at once) or refuses (with a reason) a change request."""
    _require(people.is_district_of(actor, change.project.enterprise, REVIEW))
    comment = (comment or "").strip()
    if not approve and not comment:
        raise DomainError(_("Give a reason when refusing a change."))
    with transaction.atomic():
        project = _lock(change.project)
        locked = ChangeRequest.objects.select_for_update().get(pk=change.pk)
        if locked.status != ChangeRequest.Status.PENDING:
            raise ConflictError(_("This change request was already decided."))
        locked.status = ChangeRequest.Status.APPROVED if approve else ChangeRequest.Status.REFUSED
        locked.decided_by, locked.decided_at, locked.comment = actor, timezone.now(), comment
        locked.save(update_fields=["status", "decided_by", "decided_at", "comment"])
        if approve:
            _apply(project, locked.changes)
        action = ReviewStep.Action.CHANGE_APPROVED if approve else ReviewStep.Action.CHANGE_REFUSED
        ReviewStep.objects.create(project=project, actor=actor, action=action, comment=comment)
        audit.record(
            f"projects.change_request.{locked.status}",
            actor=actor,
            obj=locked,
            ip=ip,
            data={"comment": comment},
        )
        title = _("Change approved: %(project)s") if approve else _("Change refused: %(project)s")
        notify(
            people.members(project.enterprise.organisation) + people.members(project.provider),
            verb=f"projects.change_request.{locked.status}",
            title=title % {"project": project},
            body=comment,
            url=project_url(project),
        )
    return locked


# --- implementation -----------------------------------------------------------------------------------


def _lock_milestone(milestone) -> tuple[Project, Milestone]:
    project = _lock(milestone.project)
    return project, Milestone.objects.select_for_update().get(pk=milestone.pk)


def report_progress(*, milestone, actor, text: str, files=(), ip=None) -> ProgressReport:
    """The provider reports a milestone's progress with evidence; the enterprise then confirms it."""
    _require(people.acts_for(actor, milestone.project.provider_id, REPORT))
    if not (text or "").strip():
        raise DomainError(_("Describe the progress."))
    for file in files:
        check_project_file(file)
    with transaction.atomic():
        project, locked = _lock_milestone(milestone)
        if not project.is_underway:
            raise DomainError(_("Progress is reported only while the project is being implemented."))
        if locked.status == MS.CONFIRMED:
            raise DomainError(_("This milestone is already confirmed."))
        report = ProgressReport.objects.create(milestone=locked, reported_by=actor, text=text.strip())
        for file in files:
            store_project_file(
                project=project,
                actor=actor,
                file=file,
                kind=ProjectFile.Kind.PROGRESS_EVIDENCE,
                milestone=locked,
                report=report,
            )
        locked.status, locked.reported_at = MS.REPORTED, timezone.now()
        locked.save(update_fields=["status", "reported_at"])
        if project.status == PS.REGISTERED:
            project.status = PS.IN_PROGRESS
            project.save(update_fields=["status"])
        audit.record(
            "projects.milestone.reported",
            actor=actor,
            obj=locked,
            ip=ip,
            data={"report": report.pk, "files": len(files)},
        )
        notify(
            people.members(project.enterprise.organisation),
            verb="projects.milestone.reported",
            title=_("Progress reported on %(milestone)s: please confirm") % {"milestone": locked},
            url=project_url(project),
        )
    return report


def confirm_milestone(*, milestone, actor, ip=None) -> Milestone:
    """The enterprise confirms a reported milestone; when all are confirmed the project is completed."""
    _require(people.acts_for(actor, milestone.project.enterprise.organisation_id, CONFIRM))
    with transaction.atomic():
        project, locked = _lock_milestone(milestone)
        if not project.is_underway:
            raise DomainError(_("Milestones are confirmed only while the project is being implemented."))
        if locked.status != MS.REPORTED:
            raise DomainError(_("Only a milestone whose progress was reported can be confirmed."))
        locked.status, locked.confirmed_at, locked.confirmed_by = MS.CONFIRMED, timezone.now(), actor
        locked.save(update_fields=["status", "confirmed_at", "confirmed_by"])
        completed = not project.milestones.exclude(status=MS.CONFIRMED).exists()
        if completed:
            project.status, project.completed_at = PS.COMPLETED, timezone.now()
            project.save(update_fields=["status", "completed_at"])
        audit.record(
            "projects.milestone.confirmed",
            actor=actor,
            obj=locked,
            ip=ip,
            data={"project_completed": completed},
        )
        notify(
            people.members(project.provider)
            + (list(people.district_officers(project.enterprise.region)) if completed else []),
            verb="projects.project.completed" if completed else "projects.milestone.confirmed",
            title=(_("Project completed: %(name)s") if completed else _("Milestone confirmed: %(name)s"))
            % {"name": project if completed else locked},
            url=project_url(project),
        )
    return locked


# --- invoices -----------------------------------------------------------------------------------------


def duplicates_of(number: str, seller_code: str):
    """Invoices anywhere on the platform with this number from this seller."""
    return Invoice.objects.filter(number=number.strip(), seller_code=normalise_credit_code(seller_code))


def duplicate_invoices(invoice):
    return duplicates_of(invoice.number, invoice.seller_code).exclude(pk=invoice.pk)


def with_duplicate_flag(queryset):
    """Annotate `is_duplicate`: another invoice with the same number and seller exists (one query)."""
    same = Invoice.objects.filter(number=OuterRef("number"), seller_code=OuterRef("seller_code")).exclude(
        pk=OuterRef("pk")
    )
    return queryset.annotate(is_duplicate=Exists(same))


def record_invoice(
    *, project, actor, number, date, amount, seller_code, payment_proof=None, paid_on=None, ip=None
) -> Invoice:
    """The enterprise records an invoice of the project; one already on the platform is flagged."""
    _require(people.acts_for(actor, project.enterprise.organisation_id, INVOICE))
    number = (number or "").strip()
    seller_code = normalise_credit_code(seller_code)
    if not number:
        raise DomainError(_("Give the invoice number."))
    error = credit_code_error(seller_code)
    if error:
        raise DomainError(error)
    if Decimal(amount) <= 0:
        raise DomainError(_("The amount must be positive."))
    if payment_proof is not None:
        check_project_file(payment_proof)
    with transaction.atomic():
        locked = _lock(project)
        if locked.status not in INVOICING:
            raise DomainError(_("Invoices are recorded once the project is registered."))
        proof = None
        if payment_proof is not None:
            proof = store_project_file(
                project=locked, actor=actor, file=payment_proof, kind=ProjectFile.Kind.PAYMENT_PROOF
            )
        invoice = Invoice.objects.create(
            project=locked,
            number=number,
            date=date,
            amount=Decimal(amount).quantize(CENT),
            seller_code=seller_code,
            payment_proof=proof,
            paid_on=paid_on,
            created_by=actor,
        )
        duplicate = duplicate_invoices(invoice).exists()
        audit.record(
            "projects.invoice.recorded",
            actor=actor,
            obj=invoice,
            ip=ip,
            data={"amount": str(invoice.amount), "duplicate": duplicate},
        )
        if duplicate:
            notify(
                people.district_officers(locked.enterprise.region),
                verb="projects.invoice.duplicate",
                title=_("Invoice %(number)s is recorded more than once") % {"number": number},
                url=project_url(locked),
            )
    return invoice


# --- overdue milestones (daily task) ------------------------------------------------------------------


def overdue_milestones(today):
    return Milestone.objects.filter(due_date__lt=today, project__status__in=Project.UNDERWAY).exclude(
        status=MS.CONFIRMED
    )


def flag_overdue_milestones(today=None) -> int:
    """Warn provider, enterprise and district once per milestone past its due date and not confirmed."""
    today = today or timezone.localdate()
    flagged = 0
    with transaction.atomic():
        due = (
            overdue_milestones(today)
            .filter(overdue_notified_at__isnull=True)
            .select_related(
                "project__enterprise__organisation", "project__enterprise__region", "project__provider"
            )
            .select_for_update(skip_locked=True, of=("self",))
        )
        now = timezone.now()
        for milestone in due:
            milestone.overdue_notified_at = now
            milestone.save(update_fields=["overdue_notified_at"])
            project = milestone.project
            audit.record(
                "projects.milestone.flagged_overdue", obj=milestone, data={"due": str(milestone.due_date)}
            )
            notify(
                people.members(project.provider)
                + people.members(project.enterprise.organisation)
                + list(people.district_officers(project.enterprise.region)),
                verb="projects.milestone.overdue",
                title=_("Milestone overdue: %(milestone)s (%(project)s)")
                % {"milestone": milestone, "project": project},
                url=project_url(project),
            )
            flagged += 1
    return flagged


def overdue_q(today) -> Q:
    """For project lists: a project with a milestone past due and not confirmed."""
    late = Milestone.objects.filter(project=OuterRef("pk"), due_date__lt=today).exclude(status=MS.CONFIRMED)
    return Q(Exists(late), status__in=Project.UNDERWAY)
