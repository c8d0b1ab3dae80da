"""The pool seen by those who decide (platform, city), review (committee experts) or object (anyone)."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smedx.core.access import get_visible, require_right
from smedx.core.actions import form_errors, run_form_service, run_service
from smedx.core.errors import DomainError
from smedx.core.paging import BoundedPaginator
from smedx.providers import metrics
from smedx.providers.forms.management import (
    DecideForm,
    ExpertReviewForm,
    FlagForm,
    ObjectionForm,
    OptionalReasonForm,
    ReasonForm,
    ResolveForm,
    WarnForm,
    YearlyReviewForm,
)
from smedx.providers.models import DECIDE, REVIEW, ExpertReview, Objection, ProviderProfile, Solution
from smedx.providers.services import management as services
from smedx.providers.services.application import missing_for_application

S = ProviderProfile.Status
PAGE_SIZE = 25


@login_required
def manage_list(request):
    require_right(request.user, DECIDE)
    status = request.GET.get("status", "")
    qs = ProviderProfile.objects.visible_to(request.user).select_related("organisation")
    counts = metrics.status_counts(request.user)
    if status in S.values:
        qs = qs.filter(status=status)
    qs = qs.annotate(
        open_objections=Count("objections", filter=Q(objections__status=Objection.Status.OPEN))
    ).order_by("organisation__name", "pk")
    page = BoundedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    statuses = [(value, label, counts.get(value, 0)) for value, label in S.choices]
    return render(
        request,
        "providers/manage_list.html",
        {"page": page, "status": status, "statuses": statuses, "query": f"status={status}" if status else ""},
    )


def _actions_for(profile):
    """The forms shown on the detail page for the profile's status: (action, title, form)."""
    st = profile.status
    actions = []
    if st == S.APPLIED:
        actions.append(("start_review", _("Start the expert review"), None))
    if st == S.UNDER_REVIEW:
        actions.append(("decide", _("Decide after the review"), DecideForm()))
    if st == S.IN_PUBLIC_NOTICE:
        actions.append(("list", _("List the provider"), OptionalReasonForm()))
    if st in (S.LISTED, S.WARNED):
        actions += [
            ("yearly_review", _("Yearly review"), YearlyReviewForm()),
            ("warn", _("Warn"), WarnForm()),
            ("suspend", _("Suspend"), ReasonForm()),
        ]
    if st in (S.WARNED, S.SUSPENDED):
        actions.append(("reinstate", _("Reinstate"), ReasonForm()))
    if st in (S.LISTED, S.WARNED, S.SUSPENDED):
        actions.append(("remove", _("Remove from the pool"), ReasonForm()))
    return actions


@login_required
def manage_detail(request, pk):
    profile = get_visible(
        ProviderProfile.objects.select_related("organisation"), request.user, pk=pk, right=DECIDE
    )
    reviews = profile.expert_reviews.select_related("expert")
    context = {
        "profile": profile,
        "certificates": profile.certificates.all(),
        "references": profile.references.select_related("enterprise", "answered_by"),
        "solutions": profile.solutions.prefetch_related("scenes"),
        "history": profile.status_changes.select_related("actor"),
        "reviews": reviews,
        "current_reviews": [r for r in reviews if r.round == profile.round],
        "objections": profile.objections.select_related("author", "resolved_by"),
        "regions": profile.regions.all(),
        "actions": _actions_for(profile),
        "flag_form": FlagForm(initial={"flag": profile.organisation.is_diagnosis_institution}),
        "missing": missing_for_application(profile),
    }
    return render(request, "providers/manage_detail.html", context)


def _run(*, actor, ip, action, profile, data):
    """Call the one service of `action` with the validated form data."""
    common = {"profile": profile, "actor": actor, "ip": ip}
    if action == "start_review":
        return services.start_review(**common)
    if action == "decide":
        return services.decide_review(
            **common, approve=data["decision"] == "approve", reason=data["reason"], days=data["days"]
        )
    if action == "list":
        return services.list_provider(**common, reason=data["reason"])
    if action == "warn":
        return services.warn_provider(**common, reason=data["reason"], deadline=data["deadline"])
    if action == "suspend":
        return services.suspend_provider(**common, reason=data["reason"])
    if action == "reinstate":
        return services.reinstate_provider(**common, reason=data["reason"])
    if action == "remove":
        return services.remove_provider(**common, reason=data["reason"])
    if action == "yearly_review":
        return services.yearly_review(
            **common, decision=data["decision"], reason=data["reason"], deadline=data["deadline"]
        )
    if action == "flag":
        return services.flag_diagnosis_institution(**common, flag=data["flag"], reason=data["reason"])
    objection = profile.objections.filter(pk=data["objection"]).first()
    if objection is None:
        raise DomainError(_("There is no such objection."))
    return services.resolve_objection(
        objection=objection,
        actor=actor,
        upheld=data["decision"] == "uphold",
        resolution=data["resolution"],
        ip=ip,
    )


FORMS = {
    "start_review": None,
    "decide": DecideForm,
    "list": OptionalReasonForm,
    "warn": WarnForm,
    "suspend": ReasonForm,
    "reinstate": ReasonForm,
    "remove": ReasonForm,
    "yearly_review": YearlyReviewForm,
    "flag": FlagForm,
    "resolve": ResolveForm,
}


@login_required
@require_POST
def manage_action(request, pk, action):
    if action not in FORMS:
        raise Http404
    profile = get_visible(ProviderProfile, request.user, pk=pk, right=DECIDE)
    form = FORMS[action](request.POST) if FORMS[action] else None
    if form is not None and not form.is_valid():
        form_errors(request, form)
        return redirect("providers:manage_detail", pk=profile.pk)
    data = form.cleaned_data if form else {}
    run_service(request, _run, done=_("Done."), action=action, profile=profile, data=data)
    return redirect("providers:manage_detail", pk=profile.pk)


# --- the committee -------------------------------------------------------------------------------


@login_required
def review_list(request):
    require_right(request.user, REVIEW)
    qs = (
        ProviderProfile.objects.visible_to(request.user)
        .filter(status=S.UNDER_REVIEW)
        .select_related("organisation")
        .annotate(reviews=Count("expert_reviews", distinct=True))
        .order_by("submitted_at", "pk")
    )
    mine = set(
        ExpertReview.objects.filter(expert=request.user, profile__status=S.UNDER_REVIEW).values_list(
            "profile_id", "round"
        )
    )
    rows = [(profile, (profile.pk, profile.round) in mine) for profile in qs]
    return render(request, "providers/review_list.html", {"rows": rows})


@login_required
def review(request, pk):
    profile = get_visible(
        ProviderProfile.objects.select_related("organisation"), request.user, pk=pk, right=REVIEW
    )
    existing = profile.expert_reviews.filter(round=profile.round, expert=request.user).first()
    form = ExpertReviewForm(request.POST or None, instance=existing)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = run_form_service(
            request,
            form,
            services.review_application,
            done=_("Review saved."),
            profile=profile,
            scores={c: data[c] for c in ExpertReview.CRITERIA},
            opinion=data["opinion"],
            recommend=data["recommend"],
        )
        if saved is not None:
            return redirect("providers:review_list")
    context = {
        "profile": profile,
        "form": form,
        "certificates": profile.certificates.all(),
        "references": profile.references.select_related("enterprise"),
        "solutions": profile.solutions.prefetch_related("scenes"),
        # A reviewer reads a solution on the card; only those the catalogue shows them are links.
        "unlinked": set(
            profile.solutions.exclude(pk__in=Solution.objects.visible_to(request.user)).values_list(
                "pk", flat=True
            )
        ),
        "regions": profile.regions.all(),
        "open": profile.status == S.UNDER_REVIEW,
    }
    return render(request, "providers/review_form.html", context)


# --- the public notice (公示) --------------------------------------------------------------------


def notice(request):
    """Providers in public notice: open to everyone, no login."""
    rows = (
        ProviderProfile.objects.filter(status=S.IN_PUBLIC_NOTICE)
        .select_related("organisation")
        .prefetch_related("regions")
        .order_by("notice_end", "organisation__name")
    )
    return render(request, "providers/notice.html", {"rows": rows, "today": timezone.localdate()})


@login_required
def objection(request, pk):
    profile = get_visible(ProviderProfile.objects.filter(status=S.IN_PUBLIC_NOTICE), request.user, pk=pk)
    form = ObjectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        raised = run_form_service(
            request,
            form,
            services.raise_objection,
            done=_("Your objection was received; the platform will look into it."),
            profile=profile,
            text=form.cleaned_data["text"],
        )
        if raised is not None:
            return redirect("providers:notice")
    return render(request, "providers/objection_form.html", {"profile": profile, "form": form})
