import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRefresh

from smedx.core import exports, frame, history, tasks
from smedx.core.access import require_right
from smedx.core.actions import run_service
from smedx.core.audit import client_ip
from smedx.core.forms import AuditFilterForm
from smedx.core.models import AuditEntry, ExportJob, Notification
from smedx.core.notifications import mark_read
from smedx.core.paging import BoundedPaginator, page_query

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means unhealthy; the details stay in the server log
        logger.exception("health check: the database does not answer")
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_required
def notification_list(request):
    qs = Notification.objects.visible_to(request.user)
    page = BoundedPaginator(qs, 20).get_page(request.GET.get("page"))
    return render(request, "core/notification_list.html", {"page": page})


@login_required
@require_POST
def notifications_read(request):
    mark_read(user=request.user, notification_id=request.POST.get("id") or None)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "core:notifications"
    return redirect(target)


@login_required
def audit_list(request):
    require_right(request.user, "core.audit:view")
    form = AuditFilterForm(request.GET)
    qs = form.filter(AuditEntry.objects.select_related("actor", "organisation"))
    page = BoundedPaginator(qs, 50).get_page(request.GET.get("page"))
    # Case files link only where the viewer may open them (the platform sees none): no link 404s.
    ids = {entry.enterprise_id for entry in page if entry.enterprise_id}
    files = {}
    for links in frame.extensions("core.audit_enterprise_links"):
        files.update(links(request.user, ids))
    lines = history.lines(page)
    for line in lines:
        line.file = files.get(line.entry.enterprise_id)
    context = {"page": page, "lines": lines, "form": form, "query": page_query(request)}
    return render(request, "core/audit_list.html", context)


# --- exports ----------------------------------------------------------------------------------------


def export_response(request, kind: str):
    """The answer to an app's export button (POST, the page's filters in the query string): the file at
    once when the list is small, else the job's page, which shows the worker's progress."""
    job = run_service(request, exports.start_export, done=None, kind=kind, query=request.GET)
    if job is None:
        return redirect("core:export_list")
    job = tasks.run_or_queue(job)
    if job.is_done and not job.in_background:
        return exports.download(job=job, actor=request.user, ip=client_ip(request))
    if job.is_running:
        messages.info(request, _("The list is long; it is being exported in the background."))
    return redirect("core:export_detail", pk=job.pk)


def _own_export(request, pk) -> ExportJob:
    """An export is its owner's: anybody else is refused (403), whatever they may see otherwise."""
    job = get_object_or_404(ExportJob, pk=pk)
    if job.owner_id != request.user.pk:
        raise PermissionDenied
    return job


@login_required
@require_GET
def export_list(request):
    jobs = ExportJob.objects.visible_to(request.user)[:30]
    context = {"jobs": jobs, "keep_days": settings.EXPORT_KEEP_DAYS}
    return render(request, "core/export_list.html", context)


@login_required
@require_GET
def export_detail(request, pk):
    job = _own_export(request, pk)
    if request.htmx:
        # The progress bar polls this; once the job stops, reload the page to show the result.
        if not job.is_running:
            return HttpResponseClientRefresh()
        return render(request, "core/_export_progress.html", {"job": job})
    return render(request, "core/export_detail.html", {"job": job})


@login_required
@require_GET
def export_download(request, pk):
    job = _own_export(request, pk)
    response = run_service(request, exports.download, done=None, job=job)
    return response or redirect("core:export_detail", pk=job.pk)
