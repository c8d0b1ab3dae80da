"""Builders for the supervision and acceptance tests and matrix: projects written as the services leave them."""

from datetime import timedelta
from decimal import Decimal
from itertools import count

from django.core.files.base import ContentFile
from django.utils import timezone

from smedx.assessments.models import Assessment
from smedx.projects.models import Invoice, Project, ProjectFile, SupervisionAssignment
from smedx.projects.services.acceptance import FILE_KINDS
from smedx.proposals.models import Invitation, Need, Proposal, TransformationPlan
from smedx.testing.answer_sets import middling, scenes
from smedx.testing.assessments import make_assessment

_serial = count(1)


def make_project(enterprise, provider, status=Project.Status.IN_PROGRESS, *, by, completed_days_ago=None):
    """A project of `enterprise` with `provider`, on its own selected plan, in `status`."""
    n = next(_serial)
    need = Need.objects.create(
        enterprise=enterprise, title=f"需求{n}", status=Need.Status.FULFILLED, target_level=2, budget=300000
    )
    invitation = Invitation.objects.create(need=need, provider=provider, status=Invitation.Status.PROPOSED)
    proposal = Proposal.objects.create(
        need=need,
        invitation=invitation,
        provider=provider,
        title=f"方案{n}",
        scope="MES",
        status=Proposal.Status.SELECTED,
    )
    plan = TransformationPlan.objects.create(
        need=need, proposal=proposal, enterprise=enterprise, selected_by=by
    )
    completed = None
    if completed_days_ago is not None:
        completed = timezone.now() - timedelta(days=completed_days_ago)
    project = Project.objects.create(
        plan=plan,
        enterprise=enterprise,
        provider=provider,
        title=f"项目{n}",
        contract_number=f"HT-{n}",
        contract_amount=Decimal("180000"),
        target_level=2,
        declared=True,
        status=status,
        completed_at=completed,
        created_by=by,
    )
    return project


def add_file(project, kind, by=None) -> ProjectFile:
    row = ProjectFile(project=project, kind=kind, original_name=f"{kind}.pdf", size=8, uploaded_by=by)
    row.file.save(f"{kind}.pdf", ContentFile(b"%PDF-1.4"), save=False)
    row.save()
    return row


def complete_documents(project, by=None):
    """Everything of the checklist except the assessments: files, the contract, an invoice paid."""
    for kind in FILE_KINDS:
        add_file(project, kind, by)
    project.contract_file.save("contract.pdf", ContentFile(b"%PDF-1.4"), save=False)
    Project.objects.filter(pk=project.pk).update(contract_file=project.contract_file.name)
    proof = add_file(project, ProjectFile.Kind.PAYMENT_PROOF, by)
    Invoice.objects.create(
        project=project,
        number=f"INV{project.pk:06d}",
        date=timezone.localdate(),
        amount=Decimal("180000"),
        seller_code="91500000MA5U000000",
        payment_proof=proof,
        created_by=by,
    )


def before_after(enterprise):
    """A submitted T0 at level 1 and a submitted T1 at level 2 (the instrument must be loaded)."""
    before = make_assessment(enterprise, middling(**scenes(1)), period="T0")
    after = make_assessment(enterprise, middling(**scenes(2)), period="T1")
    return before, after


def supervise(project, expert, by):
    return SupervisionAssignment.objects.create(project=project, expert=expert, assigned_by=by)


def verify_all(verification, actor):
    """Accept every answer and complete the verification, through stage 1's services."""
    from smedx.assessments.services import diagnosis

    for answer in verification.answers.all():
        diagnosis.verify_answer(
            verification=verification, actor=actor, item_code=answer.item_code, accept=True
        )
    verification.refresh_from_db()
    return diagnosis.complete_verification(
        verification=verification, actor=actor, version=verification.version
    )


RATING = {"quality": 5, "timeliness": 4, "service": 5, "value": 4, "comment": "按期交付"}
VERIFIED = Assessment.Kind.VERIFIED
