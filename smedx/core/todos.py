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
    stage: int = 0  # the journey stage of an enterprise's next step (`next_step` takes the lowest)


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict


def todos_for(user) -> list[Todo]:
    """Every to-do of `user` with something waiting, in journey order: the apps' order (INSTALLED_APPS
    lists them by stage), each app giving its own in the order of its stage's steps."""
    return [todo for provider in frame.collect("todos") for todo in provider(user) if todo.count]


def next_step(enterprise) -> Todo | None:
    """The one action that moves `enterprise` forward: the first the apps offer, in journey order."""
    steps = (step for provider in frame.collect("next_steps") if (step := provider(enterprise)) is not None)
    return min(steps, key=lambda step: step.stage, default=None)


def panels_for(user) -> list[Panel]:
    return [panel for provider in frame.collect("panels") if (panel := provider(user)) is not None]
