"""Pages of the guide and policy library: documents, attachments, read marks and readers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smedx.accounts import people
from smedx.core import uploads
from smedx.core.access import get_visible, require_right
from smedx.core.actions import run_form_service, run_service
from smedx.core.paging import BoundedPaginator, page_query
from smedx.enterprises.models import Enterprise
from smedx.planning.forms.library import SCENE_NAMES, DocumentForm, LibraryFilterForm
from smedx.planning.models import Attachment, Document, ReadMark
from smedx.planning.services import library as services

VIEW, MANAGE, READ = "planning.document:view", "planning.document:manage", "planning.document:read"
PAGE_SIZE = 20


@login_required
def library(request):
    require_right(request.user, VIEW)
    user = request.user
    form = LibraryFilterForm(request.GET or None, user=user)
    qs = form.apply(Document.objects.visible_to(user)).select_related("authority", "region")
    if user.has_right(READ):
        marks = ReadMark.objects.filter(document=OuterRef("pk"), organisation_id=user.organisation.pk)
        qs = qs.annotate(is_read=Exists(marks))
    if user.has_right(MANAGE):
        readers = ReadMark.objects.filter(document=OuterRef("pk")).order_by().values("document")
        qs = qs.annotate(readers=Coalesce(Subquery(readers.annotate(n=Count("pk")).values("n")), 0))
    page = BoundedPaginator(qs.order_by("-published_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "planning/library.html", {"form": form, "page": page, "query": page_query(request)}
    )


def _own(document, user) -> bool:
    return people.acts_for(user, document.authority_id, MANAGE)


@login_required
def document_detail(request, pk):
    user = request.user
    document = get_visible(Document.objects.select_related("authority", "region", "supersedes"), user, pk=pk)
    later = Document.objects.visible_to(user).filter(supersedes=document).first()
    read_mark = None
    if user.has_right(READ):
        read_mark = ReadMark.objects.filter(document=document, organisation_id=user.organisation.pk).first()
    context = {
        "document": document,
        "later": later,
        "attachments": document.attachments.all(),
        "scenes": [(code, SCENE_NAMES.get(code, "")) for code in document.scene_list],
        "read_mark": read_mark,
        "can_read": user.has_right(READ) and document.status == Document.Status.PUBLISHED,
        "own": _own(document, user),
    }
    return render(request, "planning/document_detail.html", context)


def _save_document(*, actor, ip, data, upload, document=None):
    """Create the draft or change it, then add the attachment picked on the same form."""
    if document is None:
        document = services.create_document(actor=actor, data=data, ip=ip)
    else:
        services.update_document(document=document, actor=actor, data=data, ip=ip)
    if upload:
        services.add_attachment(document=document, actor=actor, file=upload, ip=ip)
    return document


def _document_input(form) -> dict:
    return {"data": form.data_for_service(), "upload": form.cleaned_data["attachment"]}


@login_required
def document_create(request):
    require_right(request.user, MANAGE)
    form = DocumentForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        document = run_form_service(
            request, form, _save_document, done=_("Draft saved."), **_document_input(form)
        )
        if document is not None:
            return redirect("planning:document_detail", pk=document.pk)
    return render(request, "planning/document_form.html", {"form": form})


def _own_draft(request, pk):
    document = get_visible(Document, request.user, pk=pk, right=MANAGE)
    if not people.acts_for(request.user, document.authority_id):
        raise Http404
    return document


@login_required
def document_edit(request, pk):
    document = _own_draft(request, pk)
    if document.status != Document.Status.DRAFT:
        messages.info(request, _("Only a draft can be changed; make a new version instead."))
        return redirect("planning:document_detail", pk=document.pk)
    form = DocumentForm(request.POST or None, request.FILES or None, user=request.user, document=document)
    if request.method == "POST" and form.is_valid():
        saved = run_form_service(
            request,
            form,
            _save_document,
            done=_("Changes saved."),
            document=document,
            **_document_input(form),
        )
        if saved is not None:
            return redirect("planning:document_detail", pk=document.pk)
    context = {"form": form, "document": document, "attachments": document.attachments.all()}
    return render(request, "planning/document_form.html", context)


def _document_action(request, pk, action, done):
    document = _own_draft(request, pk)
    result = run_service(request, action, done=done, document=document)
    return redirect("planning:document_detail", pk=(result or document).pk)


@login_required
@require_POST
def document_publish(request, pk):
    return _document_action(request, pk, services.publish_document, _("Document published."))


@login_required
@require_POST
def document_withdraw(request, pk):
    return _document_action(request, pk, services.withdraw_document, _("Document withdrawn."))


@login_required
@require_POST
def document_new_version(request, pk):
    return _document_action(request, pk, services.new_document_version, _("New version drafted."))


@login_required
@require_POST
def document_read(request, pk):
    document = get_visible(Document, request.user, pk=pk, right=READ)
    run_service(request, services.mark_read, done=_("Marked as read."), document=document)
    return redirect("planning:document_detail", pk=document.pk)


@login_required
def document_readers(request, pk):
    """Who in the officer's area has read the document, and which enterprises it fits have not yet."""
    document = get_visible(Document, request.user, pk=pk, right=MANAGE)
    area = Enterprise.objects.visible_to(request.user)
    marks = ReadMark.objects.filter(document=document)
    read_orgs = marks.values("organisation_id")
    readers = area.filter(organisation_id__in=read_orgs)
    unread = document.fitting_enterprises().filter(pk__in=area.values("pk"), organisation__isnull=False)
    unread = unread.exclude(organisation_id__in=read_orgs)
    show = "read" if request.GET.get("show") == "read" else "unread"
    if show == "read":
        rows = marks.filter(organisation__enterprise__in=area).select_related(
            "user", "organisation__enterprise"
        )
    else:
        rows = unread.select_related("region").order_by("name", "pk")
    page = BoundedPaginator(rows, 50).get_page(request.GET.get("page"))
    context = {
        "document": document,
        "read_count": readers.count(),
        "unread_count": unread.count(),
        "fitting_count": document.fitting_enterprises().filter(pk__in=area.values("pk")).count(),
        "show": show,
        "page": page,
        "query": page_query(request),
    }
    return render(request, "planning/document_readers.html", context)


@login_required
def attachment_download(request, pk):
    attachment = Attachment.objects.select_related("document").filter(pk=pk).first()
    if attachment is None:
        raise Http404
    get_visible(Document, request.user, pk=attachment.document_id)
    return uploads.download(attachment.file, filename=attachment.name)


@login_required
@require_POST
def attachment_delete(request, pk):
    attachment = Attachment.objects.select_related("document").filter(pk=pk).first()
    if attachment is None:
        raise Http404
    document = _own_draft(request, attachment.document_id)
    run_service(request, services.delete_attachment, done=_("Attachment removed."), attachment=attachment)
    return redirect("planning:document_edit", pk=document.pk)
