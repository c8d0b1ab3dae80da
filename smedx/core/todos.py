"""To-dos (待办) shown on every workbench, contributed by each domain app.

A to-do is derived from the current state (e.g. enterprise sign-ups awaiting this district), never
stored, so it disappears by itself once the work is done. Apps register a provider in `ready()`.
"""

from dataclasses import dataclass

_providers = []


@dataclass(frozen=True)
class Todo:
    title: str
    url: str
    count: int = 1


def register(provider):
    if provider not in _providers:
        _providers.append(provider)
    return provider


def todos_for(user) -> list[Todo]:
    items = []
    for provider in _providers:
        items.extend(todo for todo in provider(user) if todo.count)
    return items


# Workbench panels: a domain app may add a small block (template + context) to the workbench,
# e.g. the region summary of an authority. A provider returns None when it has nothing for `user`.


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict


_panels = []


def register_panel(provider):
    if provider not in _panels:
        _panels.append(provider)
    return provider


def panels_for(user) -> list[Panel]:
    return [panel for provider in _panels if (panel := provider(user)) is not None]
