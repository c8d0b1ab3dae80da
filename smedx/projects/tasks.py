"""Background work of stage 4: once a day, warn about milestones past their due date.

Run daily by the scheduler of the deployment (cron or a systemd timer):
`manage.py flag_overdue_milestones`, which queues `flag_overdue` for the task worker.
"""

from django.tasks import task

from smedx.projects.services import filing


@task
def flag_overdue() -> int:
    """Flag (once each) the milestones past due and not confirmed; returns how many were flagged."""
    return filing.flag_overdue_milestones()
