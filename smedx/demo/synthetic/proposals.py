"""Stages 2–3, planning and design: needs, invitations, research, proposals and their parts, the
chosen transformation plan."""

from smedx.demo.synthetic.clone import Table
from smedx.proposals import models as m

BY_PROPOSAL = "proposal__need__enterprise"

TABLES = [
    Table(m.Need),
    Table(m.NeedScene, owner="need__enterprise"),
    Table(m.Recommendation, owner="need__enterprise"),
    Table(m.Invitation, owner="need__enterprise"),
    Table(m.Research, owner="invitation__need__enterprise"),
    Table(m.Proposal, owner="need__enterprise"),
    Table(m.ProposalItem, owner=BY_PROPOSAL),
    Table(m.ProposalMilestone, owner=BY_PROPOSAL),
    Table(m.ProposalKpi, owner=BY_PROPOSAL),
    Table(m.ProposalScene, owner=BY_PROPOSAL),
    Table(m.ProposalComment, owner=BY_PROPOSAL),
    Table(m.ConflictAcknowledgement, owner=BY_PROPOSAL),
    Table(m.TransformationPlan),
]
