"""The diagnosis report of an assessment, as a page and as a PDF: whoever may see the assessment may read it.

A draft's page shows its answers so far under a "not submitted" banner. A draft gets no PDF: a PDF
leaves the platform, and a file showing a level that changes with the next answer would circulate
as if it were a result.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from smedx.assessments.models import Assessment
from smedx.assessments.report import build_report, render_pdf, report_queryset
from smedx.core.access import get_visible


@login_required
@require_safe
def report(request, pk):
    assessment = get_visible(report_queryset(), request.user, pk=pk)
    return render(request, "assessments/report_page.html", {"report": build_report(assessment)})


@login_required
@require_safe
def report_pdf(request, pk):
    assessment = get_visible(report_queryset(), request.user, pk=pk)
    if assessment.status == Assessment.Status.DRAFT:
        messages.info(request, _("A draft has no PDF report. Submit the assessment first."))
        return redirect("assessments:report", pk=assessment.pk)
    built = build_report(assessment)
    response = HttpResponse(
        render_pdf(built, base_url=request.build_absolute_uri("/")), content_type="application/pdf"
    )
    response["Content-Disposition"] = content_disposition_header(True, built.filename)
    return response
