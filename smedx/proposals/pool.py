"""What the projects app needs of the provider pool: who is listed, and their profiles."""

from smedx.accounts.models import Organisation
from smedx.providers.models import ProviderProfile


def listed_providers():
    """Provider organisations listed (or warned) in the pool: they may be invited and recommended."""
    return Organisation.objects.filter(
        kind=Organisation.Kind.PROVIDER,
        status=Organisation.Status.ACTIVE,
        provider_profile__status__in=ProviderProfile.PUBLIC,
    )


def profile_id(provider) -> int | None:
    return ProviderProfile.objects.filter(organisation=provider).values_list("pk", flat=True).first()
