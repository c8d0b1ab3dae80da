"""On-site diagnosis and verification pages: request, recommend, assign, visit, verify, compare, conflicts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Subquery
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from smedx.accounts import people
from smedx.accounts.forms import ReviewForm
from smedx.accounts.models import Membership
from smedx.assessments.forms import diagnosis as forms
from smedx.assessments.levels import level_label
from smedx.assessments.models import (
    Assessment,
    ConflictDeclaration,
    DiagnosisRequest,
    Evidence,
    Recommendation,
)
from smedx.assessments.services import diagnosis as services
from smedx.core import uploads
from smedx.core.access import get_visible
from smedx.core.actions import run_form_service, run_service
from smedx.core.paging import BoundedPaginator, page_query

PAGE_SIZE = 25
LIST_RIGHTS = (
    "assessments.diagnosis:assign",
    "assessments.diagnosis:recommend",
    "assessments.assessment:verify",
)


def _request(user, pk) -> DiagnosisRequest:
    qs = DiagnosisRequest.objects.select_related(
        "enterprise__region",
        "assessment",
        "preferred_institution",
        "expert",
        "institution",
        "verified_assessment",
    )
    return get_visible(qs, user, pk=pk)


def _as_verifier(user, pk) -> DiagnosisRequest:
    request = _request(user, pk)
    if not services.is_verifier(user, request):
        raise PermissionDenied
    return request


# --- the enterprise asks ----------------------------------------------------------------------------------


@login_required
def diagnosis_request(request, assessment_pk):
    assessment = get_visible(
        Assessment.objects.select_related("enterprise"),
        request.user,
        pk=assessment_pk,
        right="assessments.diagnosis:request",
    )
    current = assessment.diagnosis_requests.filter(status__in=services.OPEN).first()
    if current is not None:
        messages.info(request, _("An on-site diagnosis of this assessment has already been requested."))
        return redirect("assessments:diagnosis_detail", pk=current.pk)
    form = forms.RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = run_form_service(
            request,
            form,
            services.request_diagnosis,
            done=_("Your request for an on-site diagnosis was sent."),
            assessment=assessment,
            route=form.cleaned_data["route"],
            institution=form.cleaned_data["institution"],
            note=form.cleaned_data["note"],
        )
        if created is not None:
            return redirect("assessments:diagnosis_detail", pk=created.pk)
    context = {
        "assessment": assessment,
        "form": form,
        "institutions": services.listed_institutions().select_related("region").order_by("name"),
        "submitted": assessment.kind == Assessment.Kind.SELF
        and assessment.status == Assessment.Status.SUBMITTED,
    }
    return render(request, "assessments/diagnosis_request.html", context)


# --- officers and the committee ---------------------------------------------------------------------------


def _count(qs):
    """A correlated COUNT subquery: no GROUP BY over the request rows."""
    return Subquery(qs.order_by().values("request").annotate(n=Count("pk")).values("n")[:1])


@login_required
def diagnosis_list(request):
    if not any(request.user.has_right(right) for right in LIST_RIGHTS):
        raise PermissionDenied
    qs = DiagnosisRequest.objects.visible_to(request.user)
    status = request.GET.get("status", "")
    if status in DiagnosisRequest.Status.values:
        qs = qs.filter(status=status)
    if request.GET.get("mine"):
        qs = qs.filter(pk__in=services.assigned_to(request.user).values("pk"))
    if request.GET.get("conflicts") == "pending":
        pending = ConflictDeclaration.objects.filter(
            request=OuterRef("pk"), status=ConflictDeclaration.Status.PENDING
        )
        qs = qs.filter(Exists(pending))
    qs = qs.select_related(
        "enterprise__region", "assessment", "expert", "institution", "preferred_institution"
    )
    qs = qs.annotate(
        recommendation_count=_count(Recommendation.objects.filter(request=OuterRef("pk"))),
        pending_conflicts=_count(
            ConflictDeclaration.objects.filter(
                request=OuterRef("pk"), status=ConflictDeclaration.Status.PENDING
            )
        ),
    ).order_by("-requested_at", "-id")
    page = BoundedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "query": page_query(request),
        "status": status,
        "statuses": DiagnosisRequest.Status.choices,
        "mine": bool(request.GET.get("mine")),
        "conflicts_filter": request.GET.get("conflicts") == "pending",
        "may_assign": request.user.has_right("assessments.diagnosis:assign"),
    }
    return render(request, "assessments/diagnosis_list.html", context)


def _timeline(obj: DiagnosisRequest) -> list[tuple[str, object, bool]]:
    verified = obj.verified_assessment
    return [
        (_("Requested"), obj.requested_at, True),
        (_("Assigned"), obj.assigned_at, obj.assigned_at is not None),
        (_("Visited"), obj.visited_on, obj.visited_on is not None),
        (_("Verification started"), verified.created_at if verified else None, verified is not None),
        (
            _("Verified"),
            verified.submitted_at if verified else None,
            obj.status == DiagnosisRequest.Status.VERIFIED,
        ),
    ]


@login_required
def diagnosis_detail(request, pk):
    obj = _request(request.user, pk)
    user = request.user
    declarations = obj.conflicts.select_related("declared_by", "decided_by")
    context = {
        "obj": obj,
        "timeline": _timeline(obj),
        "recommendations": obj.recommendations.select_related("expert", "institution", "recommended_by"),
        "declarations": declarations,
        "is_verifier": services.is_verifier(user, obj),
        "may_assign": services.may_assign(user, obj) and obj.status == DiagnosisRequest.Status.REQUESTED,
        "may_recommend": user.has_right("assessments.diagnosis:recommend")
        and obj.status == DiagnosisRequest.Status.REQUESTED,
        "may_declare": user.has_right("assessments.assessment:verify") and obj.status in services.OPEN,
        "may_decide": services.may_decide_conflicts(user, obj),
        "decide_form": ReviewForm(),
        "self_level": level_label(obj.assessment.level),
    }
    return render(request, "assessments/diagnosis_detail.html", context)


@login_required
@require_POST
def diagnosis_recommend(request, pk):
    obj = get_visible(DiagnosisRequest, request.user, pk=pk, right="assessments.diagnosis:recommend")
    form = forms.RecommendForm(request.POST)
    if form.is_valid():
        run_service(
            request,
            services.recommend,
            done=_("Recommendation saved."),
            request=obj,
            expert=form.cleaned_data["expert"],
            institution=form.cleaned_data["institution"],
            note=form.cleaned_data["note"],
        )
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("assessments:diagnosis_assign", pk=obj.pk)


def _declared(obj) -> tuple[dict, dict]:
    """The interests declared for the request, by declarer and by declarer's organisation (two queries)."""
    declarations = list(obj.conflicts.select_related("declared_by"))
    orgs = dict(
        Membership.objects.filter(user_id__in={d.declared_by_id for d in declarations}).values_list(
            "user_id", "organisation_id"
        )
    )
    by_user, by_org = {}, {}
    for declaration in declarations:
        by_user.setdefault(declaration.declared_by_id, []).append(declaration)
        by_org.setdefault(orgs.get(declaration.declared_by_id), []).append(declaration)
    return by_user, by_org


@login_required
def diagnosis_assign(request, pk):
    """Choose the verifier: experts with their profiles, listed institutions, the committee's recommendations."""
    obj = _request(request.user, pk)
    if not (
        services.may_assign(request.user, obj) or request.user.has_right("assessments.diagnosis:recommend")
    ):
        raise PermissionDenied
    if obj.status != DiagnosisRequest.Status.REQUESTED:
        messages.info(
            request,
            _("This diagnosis is already assigned to %(who)s.") % {"who": services.verifier_name(obj)},
        )
        return redirect("assessments:diagnosis_detail", pk=obj.pk)
    form = forms.VerifierChoiceForm(request.POST or None)
    if request.method == "POST":
        if not services.may_assign(request.user, obj):
            raise PermissionDenied
        if form.is_valid() and _assign(request, form, obj) is not None:
            return redirect("assessments:diagnosis_detail", pk=obj.pk)
    by_user, by_org = _declared(obj)
    experts = people.committee_experts().select_related("expert_profile").order_by("display_name", "username")
    institutions = services.listed_institutions().order_by("name")
    context = {
        "obj": obj,
        "form": form,
        "recommend_form": forms.RecommendForm(),
        "experts": [(e, by_user.get(e.pk, [])) for e in experts],
        "institutions": [(i, by_org.get(i.pk, [])) for i in institutions],
        "recommendations": obj.recommendations.select_related("expert", "institution", "recommended_by"),
        "may_assign": services.may_assign(request.user, obj),
        "may_recommend": request.user.has_right("assessments.diagnosis:recommend"),
    }
    return render(request, "assessments/diagnosis_assign.html", context)


def _assign(request, form, obj):
    expert, institution = form.cleaned_data["expert"], form.cleaned_data["institution"]
    done = _("Assigned to %(who)s.") % {"who": expert or institution}
    return run_form_service(
        request, form, services.assign, done=done, request=obj, expert=expert, institution=institution
    )


# --- the verifier ------------------------------------------------------------------------------------------


@login_required
def diagnosis_visit(request, pk):
    obj = _as_verifier(request.user, pk)
    form = forms.VisitForm(request.POST or None, initial=forms.VisitForm.initial_for(obj))
    if request.method == "POST" and form.is_valid():
        done = _("Visit record saved.")
        recorded = run_form_service(
            request, form, services.record_visit, done=done, request=obj, **form.record()
        )
        if recorded is not None:
            return redirect("assessments:diagnosis_detail", pk=obj.pk)
    return render(request, "assessments/diagnosis_visit.html", {"obj": obj, "form": form})


@login_required
@require_POST
def diagnosis_verification_start(request, pk):
    obj = _as_verifier(request.user, pk)
    if run_service(request, services.start_verification, done=None, request=obj) is None:
        return redirect("assessments:diagnosis_detail", pk=obj.pk)
    return redirect("assessments:diagnosis_verification", pk=obj.pk)


def _verification_of(user, pk):
    obj = _as_verifier(user, pk)
    if obj.verified_assessment is None:
        raise Http404
    return obj, obj.verified_assessment


def _verification_page(request, obj, verification, bound=None, status=200):
    """Every item with its self-assessed answer, the check so far and the accept/adjust controls."""
    spec = verification.instrument.spec
    source = Assessment.objects.prefetch_related("answers").get(pk=verification.verified_from_id)
    verification = Assessment.objects.prefetch_related("answers").get(pk=verification.pk)
    result = services.compare(source, verification)
    evidence = {}
    for file in Evidence.objects.filter(assessment__in=[source, verification]):
        evidence.setdefault((file.assessment_id == verification.pk, file.item_code), []).append(file)
    rows = []
    for checked in result.items:
        item, scene = spec.items.get(checked.code), spec.scenes.get(checked.code)
        if bound is not None and bound.prefix == checked.code:
            form = bound
        else:
            initial = forms.AdjustForm.initial_from(checked.verified_value, item=item, scene=scene)
            form = forms.AdjustForm(item=item, scene=scene, levels=spec.scene_levels, initial=initial)
        rows.append(
            {
                "checked": checked,
                "item": item,
                "scene": scene,
                "form": form,
                "self_evidence": evidence.get((False, checked.code), []),
                "evidence": evidence.get((True, checked.code), []),
                "self_text": level_label(checked.self_value) if scene else checked.change.before_answer,
                "verified_text": level_label(checked.verified_value)
                if scene
                else checked.change.after_answer,
            }
        )
    context = {
        "obj": obj,
        "verification": verification,
        "result": result,
        "rows": rows,
        "total": len(rows),
        "unchecked": [row["checked"] for row in rows if not row["checked"].review],
        "complete_form": forms.CompleteForm(initial={"version": verification.version}),
        "editable": verification.status == Assessment.Status.DRAFT,
    }
    return render(request, "assessments/diagnosis_verification.html", context, status=status)


@login_required
def diagnosis_verification(request, pk):
    obj, verification = _verification_of(request.user, pk)
    return _verification_page(request, obj, verification)


@login_required
@require_POST
def diagnosis_verify_answer(request, pk, item_code):
    obj, verification = _verification_of(request.user, pk)
    spec = verification.instrument.spec
    item, scene = spec.items.get(item_code), spec.scenes.get(item_code)
    if item is None and scene is None:
        raise Http404
    done = _("%(item)s checked.") % {"item": item_code}
    answer = {"verification": verification, "item_code": item_code}
    back = f"{_verification_url(obj)}#item-{item_code}"
    if "accept" in request.POST:
        run_service(request, services.verify_answer, done=done, accept=True, **answer)
        return redirect(back)
    form = forms.AdjustForm(request.POST, request.FILES, item=item, scene=scene, levels=spec.scene_levels)
    if form.is_valid():
        data = form.cleaned_data
        adjusted = {"value": form.value(), "reason": data["reason"], "evidence": data["evidence"]}
        checked = run_form_service(
            request, form, services.verify_answer, done=done, accept=False, **answer, **adjusted
        )
        if checked is not None:
            return redirect(back)
    return _verification_page(request, obj, verification, bound=form, status=400)


def _accepted(count) -> str:
    return ngettext("%(n)s answer accepted.", "%(n)s answers accepted.", count) % {"n": count}


@login_required
@require_POST
def diagnosis_verification_accept_remaining(request, pk):
    obj, verification = _verification_of(request.user, pk)
    run_service(request, services.accept_remaining, done=_accepted, verification=verification)
    return redirect(f"{_verification_url(obj)}#complete")


def _verification_url(obj):
    return reverse("assessments:diagnosis_verification", args=[obj.pk])


@login_required
@require_POST
def diagnosis_verification_complete(request, pk):
    obj, verification = _verification_of(request.user, pk)
    form = forms.CompleteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form was incomplete; try again."))
        return redirect("assessments:diagnosis_verification", pk=obj.pk)
    completed = run_service(
        request,
        services.complete_verification,
        done=_("The verification is complete."),
        verification=verification,
        version=form.cleaned_data["version"],
    )
    if completed is None:
        return redirect("assessments:diagnosis_verification", pk=obj.pk)
    return redirect("assessments:diagnosis_compare", pk=obj.pk)


# --- everybody who sees the request ------------------------------------------------------------------------


@login_required
def diagnosis_compare(request, pk):
    """Self-assessed against verified, per item and in total; others see it once the verification is complete."""
    obj = _request(request.user, pk)
    verification = obj.verified_assessment
    if verification is None:
        raise Http404
    done = verification.status == Assessment.Status.VERIFIED
    result = None
    if done or services.is_verifier(request.user, obj):
        source = Assessment.objects.prefetch_related("answers").get(pk=obj.assessment_id)
        verified = Assessment.objects.prefetch_related("answers").get(pk=verification.pk)
        result = services.compare(source, verified)
    context = {"obj": obj, "result": result, "done": done, "verification": verification}
    return render(request, "assessments/diagnosis_compare.html", context)


@login_required
def diagnosis_evidence(request, pk, evidence_pk):
    """An evidence file of the self-assessment or of its verification, for whoever sees the request."""
    obj = _request(request.user, pk)
    assessments = [obj.assessment_id] + ([obj.verified_assessment_id] if obj.verified_assessment_id else [])
    file = Evidence.objects.filter(pk=evidence_pk, assessment_id__in=assessments).first()
    if file is None:
        raise Http404
    return uploads.download(file.file, filename=file.original_name, content_type=file.content_type)


@login_required
def diagnosis_conflict_declare(request, pk):
    obj = _request(request.user, pk)
    if not request.user.has_right("assessments.assessment:verify"):
        raise PermissionDenied
    form = forms.DeclareForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        declared = run_form_service(
            request,
            form,
            services.declare_conflict,
            done=_("Your declaration was sent to the district for a decision."),
            request=obj,
            description=form.cleaned_data["description"],
        )
        if declared is not None:
            return redirect("assessments:diagnosis_detail", pk=obj.pk)
    return render(request, "assessments/diagnosis_conflict_declare.html", {"obj": obj, "form": form})


@login_required
@require_POST
def diagnosis_conflict_decide(request, pk, declaration_pk):
    obj = get_visible(DiagnosisRequest, request.user, pk=pk, right="assessments.conflict:decide")
    declaration = obj.conflicts.filter(pk=declaration_pk).first()
    if declaration is None:
        raise Http404
    form = ReviewForm(request.POST)
    if form.is_valid():
        run_service(
            request,
            services.decide_conflict,
            done=_("Decision saved."),
            declaration=declaration,
            approve=form.cleaned_data["decision"] == "approve",
            comment=form.cleaned_data["comment"],
        )
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("assessments:diagnosis_detail", pk=obj.pk)
