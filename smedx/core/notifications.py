"""In-app notifications, always sent after the transaction that caused them commits."""

from django.db import transaction
from django.utils import timezone

from smedx.core.models import Notification


def notify(recipients, *, verb: str, title: str, body: str = "", url: str = ""):
    recipients = [user for user in recipients if user is not None]

    def send():
        Notification.objects.bulk_create(
            Notification(recipient=user, verb=verb, title=str(title), body=str(body), url=url)
            for user in recipients
        )

    transaction.on_commit(send)


def mark_read(*, user, notification_id=None):
    qs = Notification.objects.visible_to(user).unread()
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=timezone.now())
