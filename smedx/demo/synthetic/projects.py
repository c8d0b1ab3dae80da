"""Stage 4, implementation: projects with items, KPIs, milestones, progress reports, files, changes,
the review trail, invoices, supervision, rectifications, and acceptance in every state."""

from smedx.demo.synthetic.clone import Table
from smedx.projects import models as m

BY_PROJECT = "project__enterprise"

TABLES = [
    Table(m.Project),
    Table(m.ProjectItem, owner=BY_PROJECT),
    Table(m.ProjectKpi, owner=BY_PROJECT),
    Table(m.Milestone, owner=BY_PROJECT),
    Table(m.ProgressReport, owner="milestone__project__enterprise"),
    Table(m.ProjectFile, owner=BY_PROJECT),
    Table(m.ChangeRequest, owner=BY_PROJECT),
    Table(m.ReviewStep, owner=BY_PROJECT),
    Table(m.Invoice, owner=BY_PROJECT),
    Table(m.SupervisionAssignment, owner=BY_PROJECT),
    Table(m.SupervisionVisit, owner=BY_PROJECT),
    Table(m.Rectification, owner=BY_PROJECT),
    Table(m.AcceptanceApplication, owner=BY_PROJECT),
    Table(m.ProviderRating, owner=BY_PROJECT),
    Table(m.AcceptanceDecision, owner=BY_PROJECT),
    Table(m.AcceptanceDecision.experts.through, owner="acceptancedecision__project__enterprise"),
]
