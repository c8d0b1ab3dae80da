"""Logins, logouts and failed logins are security events: Django announces them as signals only."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from smedx.core import audit


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    audit.record("accounts.user.logged_in", actor=user, obj=user, ip=audit.client_ip(request))


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        audit.record("accounts.user.logged_out", actor=user, obj=user, ip=audit.client_ip(request))


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs):
    audit.record(
        "accounts.user.login_failed",
        ip=audit.client_ip(request),
        data={"username": str(credentials.get("username", ""))[:150]},
    )
