"""Input of the self-assessment wizard. Whether an answer is valid is the scoring engine's to say."""

from django import forms
from django.utils.translation import gettext_lazy as _

from smedx.assessments.spec import EXPERT, MULTIPLE, NUMERIC, SCENE_LEVELS, SINGLE, TEXT

FIGURE_MAX_LENGTH = 30
OFFICIAL_SCENE_LEVELS = range(1, SCENE_LEVELS + 1)  # 一级–四级, as on the official form


class StartForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Period"),
        help_text=_("T0 before the transformation, T1 after it, T2 and later for further rounds."),
    )

    def __init__(self, *args, periods=("T0",), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(p, p) for p in periods]
        self.fields["period"].initial = periods[0]


def open_periods(taken) -> list[str]:
    """The periods a new self-assessment may take: T0 first, then the one after the last taken."""
    numbers = sorted(int(p[1:]) for p in taken)
    nxt = numbers[-1] + 1 if numbers else 0
    return [f"T{n}" for n in range(nxt + 1) if n not in numbers]


class ItemAnswerForm(forms.Form):
    """One item (or scene) as posted by its block: option letters, figures by key, a level or a text.

    `seen` carries the version of the answer the page showed, to notice someone else's change.
    """

    seen = forms.CharField(required=False, max_length=40)

    def __init__(self, *args, item=None, scene=None, levels=OFFICIAL_SCENE_LEVELS, **kwargs):
        """`levels`: the scene levels the instrument offers (`InstrumentSpec.scene_levels`)."""
        super().__init__(*args, **kwargs)
        self.item, self.scene = item, scene
        if scene is not None:
            choices = [(str(n), str(n)) for n in levels]
            self.fields["level"] = forms.ChoiceField(choices=choices, required=False)
            return
        if item.kind in (SINGLE, MULTIPLE, NUMERIC):
            letters = [(o.code, o.code) for o in item.options]
            self.fields["options"] = forms.MultipleChoiceField(choices=letters, required=False)
        for field in item.fields:
            self.fields[f"f_{field.key}"] = forms.CharField(required=False, max_length=FIGURE_MAX_LENGTH)
        if item.kind == TEXT:
            self.fields["text"] = forms.CharField(required=False, max_length=5000)
        if item.kind == EXPERT:
            self.fields["points"] = forms.CharField(required=False, max_length=FIGURE_MAX_LENGTH)
            self.fields["comment"] = forms.CharField(required=False, max_length=2000)

    def value(self):
        """The answer in the scoring format (see scoring.py); figures stay text for the engine to read."""
        data = self.cleaned_data
        if self.scene is not None:
            return int(data["level"]) if data["level"] != "" else None
        item = self.item
        if item.kind == TEXT:
            return data["text"]
        if item.kind == EXPERT:
            if not data["points"].strip():
                return None
            return {"points": data["points"].strip(), "comment": data["comment"]}
        figures = {f.key: data[f"f_{f.key}"].strip() for f in item.fields}
        if any(figures.values()):
            return {"options": data["options"], **figures}
        return data["options"]

    def error_text(self) -> str:
        return " ".join(str(e) for errors in self.errors.values() for e in errors)


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Evidence file"))


class SubmitForm(forms.Form):
    declared = forms.BooleanField(
        label=_(
            "We declare that the answers and the evidence are true and complete, and accept responsibility "
            "for them (truthfulness declaration)."
        ),
        error_messages={"required": _("Confirm the truthfulness declaration to submit.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
