"""Pages of planning support requests: the enterprise asks, the district or its provider answers."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smedx.core import uploads
from smedx.core.access import get_visible, require_right
from smedx.core.actions import run_form_service, run_service
from smedx.core.paging import BoundedPaginator, page_query
from smedx.enterprises.models import Enterprise
from smedx.planning.forms.support import AnswerForm, RequestForm
from smedx.planning.models import PlanningRequest
from smedx.planning.services import support as services

PAGE_SIZE = 20


@login_required
def request_list(request):
    require_right(request.user, "planning.request:list")
    qs = PlanningRequest.objects.visible_to(request.user).select_related("enterprise__region", "provider")
    status = request.GET.get("status", "")
    if status in PlanningRequest.Status.values:
        qs = qs.filter(status=status)
    page = BoundedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "status": status,
        "statuses": PlanningRequest.Status.choices,
        "query": page_query(request),
    }
    return render(request, "planning/request_list.html", context)


@login_required
def request_create(request):
    require_right(request.user, "planning.request:create")
    enterprise = Enterprise.objects.visible_to(request.user).first()
    if enterprise is None:
        raise Http404
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        planning_request = run_form_service(
            request,
            form,
            services.request_planning,
            done=_("Your request was sent."),
            enterprise=enterprise,
            need=form.cleaned_data["need"],
            provider=form.cleaned_data["provider"],
        )
        if planning_request is not None:
            return redirect("planning:request_detail", pk=planning_request.pk)
    return render(request, "planning/request_form.html", {"form": form, "enterprise": enterprise})


def _visible_request(request, pk):
    qs = PlanningRequest.objects.select_related(
        "enterprise__region", "provider", "requested_by", "answered_by"
    )
    return get_visible(qs, request.user, pk=pk)


@login_required
def request_detail(request, pk):
    planning_request = _visible_request(request, pk)
    answerable = planning_request.status == PlanningRequest.Status.REQUESTED and services.can_answer(
        request.user, planning_request
    )
    context = {
        "req": planning_request,
        "answer_form": AnswerForm() if answerable else None,
        "can_close": request.user.has_right("planning.request:create")
        and planning_request.status != PlanningRequest.Status.CLOSED,
    }
    return render(request, "planning/request_detail.html", context)


@login_required
@require_POST
def request_answer(request, pk):
    planning_request = _visible_request(request, pk)
    form = AnswerForm(request.POST, request.FILES)
    if form.is_valid():
        answered = run_form_service(
            request,
            form,
            services.answer_request,
            done=_("Answer sent."),
            request=planning_request,
            answer=form.cleaned_data["answer"],
            document=form.cleaned_data["document"],
        )
        if answered is not None:
            return redirect("planning:request_detail", pk=planning_request.pk)
    context = {"req": planning_request, "answer_form": form, "can_close": False}
    return render(request, "planning/request_detail.html", context, status=400)


@login_required
@require_POST
def request_close(request, pk):
    planning_request = _visible_request(request, pk)
    run_service(request, services.close_request, done=_("Request closed."), request=planning_request)
    return redirect("planning:request_detail", pk=planning_request.pk)


@login_required
def request_document(request, pk):
    planning_request = _visible_request(request, pk)
    return uploads.download(planning_request.document, filename=planning_request.document_name)
