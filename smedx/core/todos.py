"""To-dos (待办) and panels shown on every workbench, contributed by each app's hooks.

A to-do is derived from the current state (e.g. enterprise sign-ups awaiting this district), never
stored, so it disappears by itself once the work is done. A panel is a small block (template +
context) an app adds to the workbench, e.g. the region summary of an authority; its function returns
None when it has nothing for the user.
"""

from dataclasses import dataclass

from smedx.core import frame


@dataclass(frozen=True)
class Todo:
    title: str
    url: str
    count: int = 1
    stage: int = 0  # the journey stage it belongs to (0 the frame): to-dos are listed in journey order


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict


def todos_for(user) -> list[Todo]:
    """Every to-do of `user` with something waiting, by journey stage (then in the order the apps give)."""
    todos = [todo for provider in frame.collect("todos") for todo in provider(user) if todo.count]
    return sorted(todos, key=lambda todo: todo.stage)


def next_step(enterprise) -> Todo | None:
    """The one action that moves `enterprise` forward: the first the apps offer, in journey order."""
    steps = (step for provider in frame.collect("next_steps") if (step := provider(enterprise)) is not None)
    return min(steps, key=lambda step: step.stage, default=None)


def panels_for(user) -> list[Panel]:
    return [panel for provider in frame.collect("panels") if (panel := provider(user)) is not None]
