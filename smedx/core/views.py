import logging

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from smedx.core import frame, history
from smedx.core.access import require_right
from smedx.core.forms import AuditFilterForm
from smedx.core.models import AuditEntry, Notification
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
