"""Background work of planning: applying a classification standard is written by the task worker.

The officer's press creates a waiting application (`standards.apply_standard`); the worker writes its
enterprise tiers with one INSERT … SELECT per tier in one transaction (`standards.classify_enterprises`)
and the application's page polls its status.
"""

from django.tasks import task

from smedx.planning.models import Application
from smedx.planning.services import standards


@task
def classify(application_id: int) -> int:
    """Write one application's enterprise tiers; returns how many enterprises it classified."""
    return standards.classify_enterprises(Application.objects.get(pk=application_id)).enterprises


def run_application(*, standard, actor, seen=None, ip=None) -> Application:
    """Ask for the standard to be applied (refused twice at once), then queue its classification."""
    application = standards.apply_standard(standard=standard, actor=actor, seen=seen, ip=ip)
    classify.enqueue(application.pk)
    application.refresh_from_db()  # the inline test backend has already written it
    return application
