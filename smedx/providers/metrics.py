"""Read-only figures of the provider pool, for the pool managers' list and the cockpit."""

from django.db.models import Count

from smedx.providers.models import ProviderProfile


def status_counts(user) -> dict[str, int]:
    """How many profiles the user sees in each status, in one grouped query; absent statuses are 0."""
    rows = ProviderProfile.objects.visible_to(user).order_by().values_list("status").annotate(n=Count("pk"))
    return dict.fromkeys(ProviderProfile.Status.values, 0) | dict(rows)
