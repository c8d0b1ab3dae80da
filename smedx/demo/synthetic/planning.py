"""Stage 2's requests for planning help. A district's plans, standards and tier applications are the
district's, not a case file's: they are not copied, and a tier application is run again by
`bench_tiers` over the province."""

from smedx.demo.synthetic.clone import Table
from smedx.planning import models as m

TABLES = [Table(m.PlanningRequest)]
