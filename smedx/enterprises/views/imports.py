"""Bulk import of enterprises from Excel: upload, check, preview the problems, import all or nothing."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from smedx.core.access import get_visible, require_right
from smedx.core.errors import DomainError
from smedx.enterprises import tasks, workbook
from smedx.enterprises.forms.imports import ImportUploadForm
from smedx.enterprises.models import ImportJob
from smedx.enterprises.services import imports

RIGHT = workbook.RIGHT
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_http_methods(["GET", "POST"])
def import_start(request):
    require_right(request.user, RIGHT)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = imports.create_import(actor=request.user, upload=form.cleaned_data["file"], rows=form.rows)
        job = tasks.check_import(job)
        if job.is_running:
            messages.info(request, _("The file is large; it is being checked in the background."))
        return redirect("enterprises:import_detail", pk=job.pk)
    jobs = ImportJob.objects.visible_to(request.user).select_related("created_by")[:10]
    return render(
        request,
        "enterprises/import_start.html",
        {"form": form, "jobs": jobs, "max_mb": settings.IMPORT_MAX_BYTES // 2**20},
    )


@login_required
@require_GET
def import_template(request):
    require_right(request.user, RIGHT)
    response = HttpResponse(workbook.template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="enterprise-import-template.xlsx"'
    return response


@login_required
@require_GET
def import_detail(request, pk):
    job = get_visible(
        ImportJob.objects.select_related("created_by", "committed_by"), request.user, pk=pk, right=RIGHT
    )
    if request.htmx:
        # The progress bar polls this; once the job stops, reload the page to show the result.
        if not job.is_running:
            return HttpResponseClientRefresh()
        return render(request, "enterprises/_import_progress.html", {"job": job})
    return render(request, "enterprises/import_detail.html", {"job": job})


@login_required
@require_POST
def import_commit(request, pk):
    job = get_visible(ImportJob, request.user, pk=pk, right=RIGHT)
    try:
        job = tasks.run_import(job=job, actor=request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        if job.status == ImportJob.Status.COMMITTED:
            messages.success(request, _("%(rows)d enterprises imported.") % {"rows": job.processed_rows})
        elif job.status == ImportJob.Status.FAILED:
            messages.error(request, job.message)
        else:
            messages.info(request, _("The enterprises are being written in the background."))
    return redirect("enterprises:import_detail", pk=job.pk)
