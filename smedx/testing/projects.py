"""Builders for the stage 4 registration and implementation tests: a chosen plan and its project."""

from datetime import date
from decimal import Decimal
from itertools import count

from django.core.files.uploadedfile import SimpleUploadedFile

from smedx.projects.models import Project
from smedx.projects.services import filing as services
from smedx.proposals.models import (
    Invitation,
    Need,
    Proposal,
    ProposalItem,
    ProposalKpi,
    ProposalMilestone,
    TransformationPlan,
)

_serial = count(1)


def pdf(name="contract.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 test", content_type="application/pdf")


def make_plan(enterprise, provider, *, by) -> TransformationPlan:
    """A selected proposal (120,000 + 60,000 yuan, two milestones, one KPI) and its plan, written directly."""
    n = next(_serial)
    need = Need.objects.create(
        enterprise=enterprise, title=f"需求{n}", status=Need.Status.FULFILLED, target_level=2, budget=300000
    )
    invitation = Invitation.objects.create(need=need, provider=provider, status=Invitation.Status.PROPOSED)
    proposal = Proposal.objects.create(
        need=need,
        invitation=invitation,
        provider=provider,
        title=f"MES 方案{n}",
        scope="MES",
        expected_level=2,
        total=Decimal("180000"),
        status=Proposal.Status.SELECTED,
    )
    ProposalItem.objects.bulk_create(
        [
            ProposalItem(
                proposal=proposal,
                kind="software",
                description="MES 订阅",
                quantity=1,
                unit_price=120000,
                amount=120000,
            ),
            ProposalItem(
                proposal=proposal,
                kind="service",
                description="实施服务",
                quantity=20,
                unit_price=3000,
                amount=60000,
            ),
        ]
    )
    ProposalMilestone.objects.create(
        proposal=proposal, name="验收", due_date=date(2026, 9, 30), deliverable="报告"
    )
    ProposalMilestone.objects.create(
        proposal=proposal, name="上线", due_date=date(2026, 6, 30), deliverable="MES"
    )
    ProposalKpi.objects.create(proposal=proposal, name="设备联网率", baseline=20, target=80, unit="%")
    return TransformationPlan.objects.create(
        need=need, proposal=proposal, enterprise=enterprise, selected_by=by
    )


def project_data(project, **changes) -> dict:
    data = {
        "title": project.title,
        "contract_number": "HT-2026-001",
        "contract_signed_on": date(2026, 3, 1),
        "contract_amount": Decimal("180000"),
        "target_level": 2,
        "goal_production_line": "产线联网",
        "goal_management": "",
        "goal_data_flow": "",
        "enterprise_signatory": "王明",
        "provider_signatory": "李强",
    }
    data.update(changes)
    return data


ITEMS = [
    {"kind": "software", "description": "MES 订阅", "quantity": 1, "unit_price": 120000},
    {"kind": "service", "description": "实施服务", "quantity": 20, "unit_price": 3000},
]
MILESTONES = [
    {"name": "上线", "due_date": date(2026, 6, 30), "deliverable": "MES"},
    {"name": "验收", "due_date": date(2026, 9, 30), "deliverable": "报告"},
]
KPIS = [{"direction": "production_line", "name": "设备联网率", "baseline": 20, "target": 80, "unit": "%"}]


def draft_project(enterprise_user, plan, *, complete=True) -> Project:
    project = services.create_project_from_plan(plan=plan, actor=enterprise_user)
    if complete:
        project = services.update_project(
            project=project,
            actor=enterprise_user,
            data=project_data(project),
            items=ITEMS,
            milestones=MILESTONES,
            kpis=KPIS,
            version=project.version,
            contract_file=pdf(),
        )
    return project


def registered_project(enterprise_user, district_user, plan) -> Project:
    project = draft_project(enterprise_user, plan)
    services.submit_project(project=project, actor=enterprise_user, declared=True)
    return services.review_project(project=project, actor=district_user, register=True)
