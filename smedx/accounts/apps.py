from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "smedx.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from smedx.accounts import signals, todos  # noqa: F401  (connects login auditing, to-dos)
