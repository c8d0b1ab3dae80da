"""The workbench's own entry in the navigation."""

from django.utils.translation import gettext_lazy as _

from smedx.core.frame import Hooks, NavEntry

HOOKS = Hooks(nav=(NavEntry(_("Workbench"), "workbench:home", stage=0, order=-1),))
