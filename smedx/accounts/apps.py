from django.utils.translation import gettext_lazy as _

from smedx.core import frame


class AccountsConfig(frame.HookedAppConfig):
    name = "smedx.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from smedx.accounts import signals  # noqa: F401  (Django announces logins only as signals)

        super().ready()
