"""The workbench (`/`): what every app's hooks give this user — to-dos, panels and shortcuts."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from smedx.accounts.rights import role_of
from smedx.core import frame
from smedx.core.models import Notification
from smedx.core.todos import next_step, panels_for, todos_for
from smedx.enterprises.journey import journey


def role_label(role, org) -> str:
    labels = {"city": _("City authority"), "district": _("District authority"), "expert": _("Expert")}
    return labels.get(role) or org.get_kind_display()


def shortcuts_for(user) -> list:
    shortcuts = sorted(frame.collect("shortcuts"), key=lambda shortcut: shortcut.order)
    return [card for shortcut in shortcuts if (card := shortcut.card(user))]


def journey_of(org) -> dict:
    """The enterprise's 8 stages and the one action that moves it forward (None: others act next)."""
    enterprise = getattr(org, "enterprise", None) if org is not None else None
    if enterprise is None:
        return {}
    return {
        "enterprise": enterprise,
        "stages": journey(enterprise, details=False),
        "next_step": next_step(enterprise),
    }


@login_required
def home(request):
    user = request.user
    org = user.organisation
    role = role_of(user)
    context = {
        "role": role,
        "todos": todos_for(user),
        "notifications": Notification.objects.visible_to(user).unread()[:5],
        "panels": panels_for(user),
    }
    # A pending or rejected organisation has no rights yet: its people see why, not an empty workbench.
    if org is None or not org.is_active:
        return render(request, "workbench/none.html", context)
    context.update(role_label=role_label(role, org), shortcuts=shortcuts_for(user))
    if role == "enterprise":
        context["journey"] = journey_of(org)
    return render(request, "workbench/home.html", context)
