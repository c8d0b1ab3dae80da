"""How the audit codes of enterprises read in the history and the audit log (installed through its hooks)."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from smedx.core.history import value_text
from smedx.enterprises.models import Enterprise


def _changed(value):
    names = {f.name: f.verbose_name for f in Enterprise._meta.get_fields() if hasattr(f, "verbose_name")}
    return value_text([names.get(name, name) for name in value])


SENTENCES = {
    "enterprises.enterprise.created": _("%(actor)s created the case file of %(object)s"),
    "enterprises.enterprise.updated": _("%(actor)s updated the case file of %(object)s"),
    "enterprises.enterprise.signed_up": _("%(actor)s signed up %(object)s on the platform"),
    "enterprises.enterprise.approved": _("%(actor)s approved the sign-up of %(object)s"),
    "enterprises.enterprise.rejected": _("%(actor)s rejected the sign-up of %(object)s"),
    "enterprises.enterprise.stage_changed": _(
        "%(actor)s moved %(object)s from stage %(from)s to stage %(to)s"
    ),
    "enterprises.import.validated": _(
        "%(actor)s checked the import %(object)s: %(rows)s rows, %(errors)s errors"
    ),
    "enterprises.import.committed": _("%(actor)s imported %(rows)s enterprises from %(file)s"),
}

FIELDS = {
    "credit_code": _("unified social credit code"),
    "changed": (_("changed"), _changed),
    "claimed": _("an existing case file was claimed"),
    "rows": _("rows"),
    "errors": _("errors"),
    "warnings": _("warnings"),
    "tags": _("tags"),
    "file": _("file"),
}


def search(text: str) -> list[int]:
    """The audit log's enterprise filter: by name or credit code (the log's readers see every district)."""
    found = Enterprise.objects.filter(Q(name__icontains=text) | Q(credit_code__iexact=text))
    return list(found.values_list("pk", flat=True)[:500])


def links(user, ids) -> dict:
    """{id: (name, case file URL or None)}: a link only to the case files `user` may open."""
    if not ids:
        return {}
    visible = set(Enterprise.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))
    return {
        pk: (name, reverse("enterprises:detail", args=[pk]) if pk in visible else None)
        for pk, name in Enterprise.objects.filter(pk__in=ids).values_list("pk", "name")
    }
