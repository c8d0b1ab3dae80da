"""State changes of the guide and policy library: documents, their versions and attachments, read marks."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from smedx.accounts import people
from smedx.accounts.models import Organisation
from smedx.core import audit, uploads
from smedx.core.errors import DomainError
from smedx.enterprises.models import Enterprise
from smedx.planning import files
from smedx.planning.models import Attachment, Document, ReadMark, pack_codes

MANAGE = "planning.document:manage"
DOCUMENT_FIELDS = ["kind", "level", "issuer", "title", "summary", "body"]


def levels_for(org) -> list[str]:
    """The city issues national and city documents; a district its own."""
    if org is None or org.kind != Organisation.Kind.AUTHORITY:
        return []
    if org.level == Organisation.Level.CITY:
        return [Document.Level.NATIONAL, Document.Level.CITY]
    return [Document.Level.DISTRICT]


def _check_manage(actor):
    if not actor.has_right(MANAGE):
        raise DomainError(_("You may not manage documents."))


def _lock_own(document, actor) -> Document:
    """Lock the document; only its own authority changes it."""
    _check_manage(actor)
    locked = Document.objects.select_for_update().get(pk=document.pk)
    if not people.acts_for(actor, locked.authority_id):
        raise DomainError(_("Only the issuing authority changes this document."))
    return locked


def _check_draft(document):
    if document.status != Document.Status.DRAFT:
        raise DomainError(_("Only a draft can be changed; make a new version instead."))


def _apply(document, data):
    for key in DOCUMENT_FIELDS:
        if key in data:
            setattr(document, key, data[key])
    if "industries" in data:
        document.industries = pack_codes(data["industries"])
    if "scenes" in data:
        document.scenes = pack_codes(data["scenes"])
    if not document.issuer:
        document.issuer = document.authority.name


def create_document(*, actor, data: dict, ip=None) -> Document:
    _check_manage(actor)
    org = actor.organisation
    if data.get("level") not in levels_for(org):
        raise DomainError(_("You cannot issue a document at this level."))
    document = Document(authority=org, region_id=org.region_id, created_by=actor)
    _apply(document, data)
    with transaction.atomic():
        document.save()
        audit.record("planning.document.created", actor=actor, obj=document, ip=ip)
    return document


def update_document(*, document, actor, data: dict, ip=None) -> Document:
    with transaction.atomic():
        locked = _lock_own(document, actor)
        _check_draft(locked)
        if data.get("level", locked.level) not in levels_for(actor.organisation):
            raise DomainError(_("You cannot issue a document at this level."))
        _apply(locked, data)
        locked.save(update_fields=[*DOCUMENT_FIELDS, "industries", "scenes", "updated_at"])
        audit.record("planning.document.updated", actor=actor, obj=locked, ip=ip)
    return locked


def add_attachment(*, document, actor, file, ip=None) -> Attachment:
    kind = uploads.check(file, kinds=files.KINDS, max_bytes=files.MAX_BYTES)
    written = None
    try:
        with transaction.atomic():
            locked = _lock_own(document, actor)
            _check_draft(locked)
            attachment = Attachment(
                document=locked, name=uploads.original_name(file), size=file.size, uploaded_by=actor
            )
            uploads.store(attachment.file, file, kind=kind)
            written = attachment.file
            attachment.save()
            audit.record(
                "planning.attachment.uploaded", actor=actor, obj=locked, ip=ip, data={"name": attachment.name}
            )
    except Exception:
        if written is not None:  # the row was rolled back: do not keep its file
            written.storage.delete(written.name)
        raise
    return attachment


def delete_attachment(*, attachment, actor, ip=None):
    with transaction.atomic():
        locked = _lock_own(attachment.document, actor)
        _check_draft(locked)
        name = attachment.file.name
        attachment.delete()
        # A new version shares its predecessor's files; the last row using a file removes it.
        if not Attachment.objects.filter(file=name).exists():
            transaction.on_commit(lambda: attachment.file.storage.delete(name))
        audit.record(
            "planning.attachment.deleted", actor=actor, obj=locked, ip=ip, data={"name": attachment.name}
        )


def publish_document(*, document, actor, ip=None) -> Document:
    """Publish a draft; a new version replaces the one it supersedes, which stays readable."""
    now = timezone.now()
    with transaction.atomic():
        locked = _lock_own(document, actor)
        _check_draft(locked)
        locked.status, locked.published_at = Document.Status.PUBLISHED, now
        locked.save(update_fields=["status", "published_at", "updated_at"])
        if locked.supersedes_id:
            Document.objects.filter(pk=locked.supersedes_id, superseded_at__isnull=True).update(
                superseded_at=now
            )
        audit.record(
            "planning.document.published", actor=actor, obj=locked, ip=ip, data={"v": locked.version}
        )
    # Enterprises are not notified one by one: their workbench lists the unread documents that fit them.
    return locked


def withdraw_document(*, document, actor, ip=None) -> Document:
    with transaction.atomic():
        locked = _lock_own(document, actor)
        if locked.status != Document.Status.PUBLISHED:
            raise DomainError(_("Only a published document can be withdrawn."))
        locked.status = Document.Status.WITHDRAWN
        locked.save(update_fields=["status", "updated_at"])
        audit.record("planning.document.withdrawn", actor=actor, obj=locked, ip=ip)
    return locked


def new_document_version(*, document, actor, ip=None) -> Document:
    """A draft copy with the next version number; publishing it supersedes `document`."""
    with transaction.atomic():
        locked = _lock_own(document, actor)
        if locked.status != Document.Status.PUBLISHED or locked.is_superseded:
            raise DomainError(_("Only the current published version can get a new version."))
        if Document.objects.filter(supersedes=locked).exists():
            raise DomainError(_("A new version of this document already exists."))
        fields = {f: getattr(locked, f) for f in [*DOCUMENT_FIELDS, "industries", "scenes", "region_id"]}
        draft = Document.objects.create(
            **fields,
            authority_id=locked.authority_id,
            version=locked.version + 1,
            supersedes=locked,
            created_by=actor,
        )
        Attachment.objects.bulk_create(
            Attachment(document=draft, file=a.file.name, name=a.name, size=a.size, uploaded_by=a.uploaded_by)
            for a in locked.attachments.all()
        )
        audit.record("planning.document.versioned", actor=actor, obj=draft, ip=ip, data={"v": draft.version})
    return draft


def mark_read(*, document, actor, ip=None) -> ReadMark:
    """The enterprise confirms it has read a published document that fits it; a second mark is a no-op."""
    if not actor.has_right("planning.document:read"):
        raise DomainError(_("Only enterprises mark documents as read."))
    if not Document.objects.visible_to(actor).filter(pk=document.pk).exists():
        raise DomainError(_("This document is not published for you."))
    org = actor.organisation
    with transaction.atomic():
        mark, created = ReadMark.objects.get_or_create(
            document=document, organisation=org, defaults={"user": actor}
        )
        if created:
            enterprise_id = Enterprise.objects.filter(organisation=org).values_list("pk", flat=True).first()
            audit.record(
                "planning.document.read", actor=actor, obj=document, ip=ip, enterprise_id=enterprise_id
            )
    return mark
