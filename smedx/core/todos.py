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
