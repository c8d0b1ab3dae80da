"""Supervision (监理) of a registered project: the committee assigns an expert, who visits, records
findings and issues rectifications with deadlines; the provider marks them fixed, the expert closes them.
"""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from smedx.accounts import people
from smedx.core import audit
from smedx.core.errors import ConflictError, DomainError
from smedx.core.notifications import notify
from smedx.projects.models import Project, Rectification, SupervisionAssignment, SupervisionVisit

ASSIGN, ACT, FIX = "projects.supervision:assign", "projects.supervision:act", "projects.rectification:fix"
PS = Project.Status
# A project is supervised from registration until the acceptance decision.
SUPERVISED = (PS.REGISTERED, PS.IN_PROGRESS, PS.COMPLETED, PS.ACCEPTANCE_APPLIED, PS.RECTIFY)


def supervision_url(project) -> str:
    return reverse("projects:supervision", args=[project.pk])


def _lock_project(project) -> Project:
    return Project.objects.select_for_update().select_related("enterprise", "provider").get(pk=project.pk)


def _check_supervised(project):
    if project.status not in SUPERVISED:
        raise DomainError(
            _("This project is not under supervision: %(status)s.") % {"status": project.get_status_display()}
        )


def supervisor_of(project):
    assignment = SupervisionAssignment.objects.filter(project=project).select_related("expert").first()
    return assignment.expert if assignment else None


def is_supervisor(actor, project) -> bool:
    if not actor.is_authenticated or not actor.has_right(ACT):
        return False
    return SupervisionAssignment.objects.filter(project=project, expert=actor).exists()


def _check_supervisor(actor, project):
    if not is_supervisor(actor, project):
        raise DomainError(_("Only the supervising expert of this project may do this."))


def _parties(project):
    return people.members(project.enterprise.organisation) + people.members(project.provider)


def assign_supervisor(*, project, actor, expert, ip=None) -> SupervisionAssignment:
    """The committee names the supervising expert; two at once: the first one wins."""
    if not actor.is_authenticated or not actor.has_right(ASSIGN):
        raise DomainError(_("Only the expert committee assigns supervisors."))
    if expert is None or not people.committee_experts().filter(pk=expert.pk).exists():
        raise DomainError(_("%(name)s is not an expert of the committee.") % {"name": expert})
    with transaction.atomic():
        locked = _lock_project(project)
        _check_supervised(locked)
        current = SupervisionAssignment.objects.filter(project=locked).select_related("expert").first()
        if current is not None:
            raise ConflictError(_("This project is already supervised by %(who)s.") % {"who": current.expert})
        assignment = SupervisionAssignment.objects.create(project=locked, expert=expert, assigned_by=actor)
        audit.record(
            "projects.supervisionassignment.created",
            actor=actor,
            obj=assignment,
            ip=ip,
            data={"project": locked.pk, "expert": expert.pk},
        )
        notify(
            [expert],
            verb="projects.supervision.assigned",
            title=_("You supervise the project %(project)s") % {"project": locked},
            url=supervision_url(locked),
        )
        notify(
            _parties(locked),
            verb="projects.supervision.assigned",
            title=_("%(who)s supervises the project %(project)s") % {"who": expert, "project": locked},
            url=supervision_url(locked),
        )
    return assignment


def record_supervision_visit(*, project, actor, visited_on, findings, ip=None) -> SupervisionVisit:
    _check_supervisor(actor, project)
    findings = (findings or "").strip()
    if not findings:
        raise DomainError(_("Write down the findings of the visit."))
    if visited_on is None or visited_on > timezone.localdate():
        raise DomainError(_("Give the date of the visit; it cannot be in the future."))
    with transaction.atomic():
        locked = _lock_project(project)
        _check_supervised(locked)
        visit = SupervisionVisit.objects.create(
            project=locked, expert=actor, visited_on=visited_on, findings=findings
        )
        audit.record(
            "projects.supervisionvisit.recorded",
            actor=actor,
            obj=visit,
            ip=ip,
            data={"project": locked.pk, "visited_on": str(visited_on)},
        )
        notify(
            _parties(locked),
            verb="projects.supervision.visited",
            title=_("Supervision visit to %(project)s recorded") % {"project": locked},
            body=findings[:200],
            url=supervision_url(locked),
        )
    return visit


def issue_rectification(*, project, actor, description, deadline, ip=None) -> Rectification:
    _check_supervisor(actor, project)
    description = (description or "").strip()
    if not description:
        raise DomainError(_("Describe what must be rectified."))
    if deadline is None or deadline < timezone.localdate():
        raise DomainError(_("Give a deadline that is not in the past."))
    with transaction.atomic():
        locked = _lock_project(project)
        _check_supervised(locked)
        rectification = Rectification.objects.create(
            project=locked, issued_by=actor, description=description, deadline=deadline
        )
        audit.record(
            "projects.rectification.issued",
            actor=actor,
            obj=rectification,
            ip=ip,
            data={"project": locked.pk, "deadline": str(deadline)},
        )
        notify(
            _parties(locked),
            verb="projects.rectification.issued",
            title=_("Rectification for %(project)s by %(deadline)s")
            % {"project": locked, "deadline": deadline.isoformat()},
            body=description[:200],
            url=supervision_url(locked),
        )
    return rectification


def _lock_rectification(rectification) -> Rectification:
    return (
        Rectification.objects.select_for_update()
        .select_related("project__enterprise", "project__provider", "issued_by")
        .get(pk=rectification.pk)
    )


def mark_rectification_fixed(*, rectification, actor, note, ip=None) -> Rectification:
    """The provider says what it did; the supervising expert then closes it (or leaves it fixed)."""
    if not people.acts_for(actor, rectification.project.provider_id, FIX):
        raise DomainError(_("Only the provider of the project marks a rectification fixed."))
    note = (note or "").strip()
    if not note:
        raise DomainError(_("Say what was done."))
    with transaction.atomic():
        locked = _lock_rectification(rectification)
        if locked.status != Rectification.Status.OPEN:
            raise DomainError(
                _("This rectification is not open: %(status)s.") % {"status": locked.get_status_display()}
            )
        locked.status, locked.fixed_note, locked.fixed_at = Rectification.Status.FIXED, note, timezone.now()
        locked.save(update_fields=["status", "fixed_note", "fixed_at"])
        audit.record("projects.rectification.fixed", actor=actor, obj=locked, ip=ip, data={"note": note})
        notify(
            [supervisor_of(locked.project)] + people.members(locked.project.enterprise.organisation),
            verb="projects.rectification.fixed",
            title=_("%(provider)s fixed a rectification of %(project)s")
            % {"provider": locked.project.provider, "project": locked.project},
            body=note[:200],
            url=supervision_url(locked.project),
        )
    return locked


def close_rectification(*, rectification, actor, ip=None) -> Rectification:
    _check_supervisor(actor, rectification.project)
    with transaction.atomic():
        locked = _lock_rectification(rectification)
        if locked.status != Rectification.Status.FIXED:
            raise DomainError(
                _("Only a rectification marked fixed can be closed: %(status)s.")
                % {"status": locked.get_status_display()}
            )
        locked.status, locked.closed_at, locked.closed_by = Rectification.Status.CLOSED, timezone.now(), actor
        locked.save(update_fields=["status", "closed_at", "closed_by"])
        audit.record("projects.rectification.closed", actor=actor, obj=locked, ip=ip)
        notify(
            _parties(locked.project) + list(people.district_officers(locked.project.enterprise.region)),
            verb="projects.rectification.closed",
            title=_("A rectification of %(project)s was closed") % {"project": locked.project},
            url=supervision_url(locked.project),
        )
    return locked
