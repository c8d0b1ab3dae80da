"""The one way to write the audit log."""

from smedx.core.models import AuditEntry


def client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(action: str, *, actor=None, obj=None, organisation=None, enterprise_id=None, data=None, ip=None):
    """Append one audit entry. `action` is `<app>.<model>.<past_tense_verb>`."""
    if organisation is None and actor is not None and getattr(actor, "is_authenticated", False):
        organisation = actor.organisation
    if obj is not None and enterprise_id is None:
        enterprise_id = getattr(obj, "audit_enterprise_id", None)
    return AuditEntry.objects.create(
        actor=actor if actor is not None and getattr(actor, "is_authenticated", False) else None,
        organisation=organisation,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        enterprise_id=enterprise_id,
        data=data or {},
        ip_address=ip,
    )
