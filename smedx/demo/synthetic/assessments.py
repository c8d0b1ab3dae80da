"""Stage 1, diagnosis: the assessments with their answers and evidence, the on-site diagnosis requests
with their recommendations and conflict declarations."""

from smedx.assessments import models as m
from smedx.demo.synthetic.clone import Table

TABLES = [
    Table(m.Assessment),
    Table(m.Answer, owner="assessment__enterprise"),
    Table(m.Evidence, owner="assessment__enterprise"),
    Table(m.DiagnosisRequest),
    Table(m.Recommendation, owner="request__enterprise"),
    Table(m.ConflictDeclaration, owner="request__enterprise"),
]
