"""The case file's trail: the audit entries about a copied object, pointing at its copy."""

from smedx.core.models import AuditEntry
from smedx.demo.synthetic.clone import Table


def labels(cloner) -> dict:
    return {model._meta.label_lower: model for model in cloner.copied if not model._meta.auto_created}


def _about_copied(cloner) -> str:
    names = ", ".join(f"'{label}'" for label in sorted(labels(cloner)))
    return f"t.object_type IN ({names})"


TABLES = [
    Table(
        AuditEntry,
        owner="enterprise_id",
        where=_about_copied,
        columns={"enterprise_id": lambda cloner: "m.new_id", "object_id": lambda c: c.text_id(labels(c))},
    )
]
