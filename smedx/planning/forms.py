"""Input of the planning pages: validation only; the services decide."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from smedx.accounts.models import Organisation, Region
from smedx.assessments.levels import LEVEL_LABELS
from smedx.core import uploads
from smedx.enterprises.models import SizeClass
from smedx.enterprises.reference import division_choices
from smedx.planning import files
from smedx.planning.models import Document, PlanningRequest, Target
from smedx.planning.rules import known_tags
from smedx.planning.services.library import levels_for
from smedx.planning.services.support import active_providers

# The 16 digital business scenes of the 2024 assessment (数字化经营应用场景), as tag choices.
SCENES = [
    ("S01", "产品设计"),
    ("S02", "工艺设计"),
    ("S03", "营销管理"),
    ("S04", "售后服务"),
    ("S05", "计划排程"),
    ("S06", "生产管控"),
    ("S07", "质量管理"),
    ("S08", "设备管理"),
    ("S09", "安全生产"),
    ("S10", "能耗管理"),
    ("S11", "采购管理"),
    ("S12", "仓储物流"),
    ("S13", "财务管理"),
    ("S14", "人力资源"),
    ("S15", "协同办公"),
    ("S16", "决策支持"),
]
SCENE_NAMES = dict(SCENES)


def scene_choices():
    return [(code, f"{code} {name}") for code, name in SCENES]


def level_choices(blank=None):
    return [("", blank or _("Any")), *((str(n), label) for n, label in enumerate(LEVEL_LABELS))]


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Document.Kind.choices)
    level = forms.ChoiceField(label=_("Level"), choices=())
    issuer = forms.CharField(
        label=_("Issued by"), max_length=200, required=False, help_text=_("Leave empty for your authority.")
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 12}),
        required=False,
        help_text=_("Plain text; an empty line starts a new paragraph."),
    )
    industries = forms.MultipleChoiceField(
        label=_("Industries"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("None selected: the document is for all industries."),
    )
    scenes = forms.MultipleChoiceField(
        label=_("Scenes"), choices=scene_choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    attachment = forms.FileField(
        label=_("Add an attachment"), required=False, help_text=_("PDF, DOCX or XLSX, at most 20 MB.")
    )

    def __init__(self, *args, user, document=None, **kwargs):
        if document is not None:
            kwargs.setdefault(
                "initial",
                {
                    **{
                        f: getattr(document, f)
                        for f in ("kind", "level", "issuer", "title", "summary", "body")
                    },
                    "industries": document.industry_list,
                    "scenes": document.scene_list,
                },
            )
        super().__init__(*args, **kwargs)
        allowed = levels_for(user.organisation)
        self.fields["level"].choices = [(v, label) for v, label in Document.Level.choices if v in allowed]
        self.fields["industries"].choices = division_choices()

    def clean_attachment(self):
        return uploads.clean(
            self.cleaned_data.get("attachment"), kinds=files.KINDS, max_bytes=files.MAX_BYTES
        )

    def data_for_service(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "attachment"}


class LibraryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All")), *Document.Kind.choices], required=False
    )
    level = forms.ChoiceField(
        label=_("Level"), choices=[("", _("All")), *Document.Level.choices], required=False
    )
    industry = forms.ChoiceField(label=_("Industry"), required=False)
    scene = forms.ChoiceField(label=_("Scene"), choices=[("", _("All")), *scene_choices()], required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *Document.Status.choices], required=False
    )
    read = forms.ChoiceField(
        label=_("Read"), choices=[("", _("All")), ("0", _("Not yet read")), ("1", _("Read"))], required=False
    )
    versions = forms.BooleanField(label=_("Show earlier versions"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["industry"].choices = [("", _("All")), *division_choices()]
        if not user.has_right("planning.document:read"):
            del self.fields["read"]
        if not user.has_right("planning.document:manage"):
            del self.fields["status"]
        self.org = user.organisation

    def apply(self, qs):
        if not self.is_bound or not self.is_valid():
            return qs.filter(superseded_at__isnull=True)
        data = self.cleaned_data
        if text := data["q"].strip():
            qs = qs.filter(Q(title__icontains=text) | Q(summary__icontains=text))
        for name in ("kind", "level", "status"):
            if data.get(name):
                qs = qs.filter(**{name: data[name]})
        if data["industry"]:
            qs = qs.filter(industries__contains=f",{data['industry']},")
        if data["scene"]:
            qs = qs.filter(scenes__contains=f",{data['scene']},")
        if data.get("read") in ("0", "1"):
            read = qs.filter(read_marks__organisation_id=self.org.pk).values("pk")
            qs = qs.filter(pk__in=read) if data["read"] == "1" else qs.exclude(pk__in=read)
        if not data["versions"]:
            qs = qs.filter(superseded_at__isnull=True)
        return qs


class StandardForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)


class TierForm(forms.Form):
    """A tier and its rule; the rule's conditions are picked from lists, never typed as JSON."""

    order = forms.IntegerField(label=_("Order"), min_value=1, max_value=99, initial=1)
    code = forms.SlugField(label=_("Code"), max_length=20)
    name = forms.CharField(label=_("Name"), max_length=50)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    size_class = forms.MultipleChoiceField(
        label=_("Size"), choices=SizeClass.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    above_scale = forms.ChoiceField(
        label=_("规上"),
        choices=[("", _("Any")), ("1", _("Above designated size")), ("0", _("Below"))],
        required=False,
    )
    industry_division = forms.MultipleChoiceField(
        label=_("Industries"), required=False, widget=forms.SelectMultiple(attrs={"size": 8})
    )
    region = forms.MultipleChoiceField(label=_("Districts"), required=False, widget=forms.SelectMultiple)
    level_min = forms.ChoiceField(label=_("Current level at least"), required=False)
    level_max = forms.ChoiceField(label=_("Current level at most"), required=False)
    level_in = forms.MultipleChoiceField(
        label=_("Current level is one of"), required=False, widget=forms.CheckboxSelectMultiple
    )
    tags = forms.MultipleChoiceField(
        label=_("Any of the tags"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, standard, tier=None, **kwargs):
        if tier is not None:
            rule = tier.rule or {}
            above = rule.get("above_scale")
            kwargs.setdefault(
                "initial",
                {
                    "order": tier.order,
                    "code": tier.code,
                    "name": tier.name,
                    "description": tier.description,
                    **{k: rule.get(k, []) for k in ("size_class", "industry_division", "region", "tags")},
                    "above_scale": "" if above is None else str(int(above)),
                    "level_min": "" if rule.get("level_min") is None else str(rule["level_min"]),
                    "level_max": "" if rule.get("level_max") is None else str(rule["level_max"]),
                    "level_in": [str(n) for n in rule.get("level_in", [])],
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["industry_division"].choices = division_choices()
        self.fields["level_min"].choices = level_choices()
        self.fields["level_max"].choices = level_choices()
        self.fields["level_in"].choices = level_choices()[1:]
        self.fields["tags"].choices = [(name, name) for name in known_tags()]
        if standard.region.parent_id is None:  # a city standard may pick districts
            districts = Region.objects.filter(parent__isnull=False)
            self.fields["region"].choices = [(r.code, r.name) for r in districts]
        else:
            del self.fields["region"]

    def clean(self):
        data = super().clean()
        low, high = data.get("level_min"), data.get("level_max")
        if low and high and int(low) > int(high):
            self.add_error("level_max", _("The upper level is below the lower one."))
        return data

    def rule(self) -> dict:
        data = self.cleaned_data
        rule = {k: data[k] for k in ("size_class", "industry_division", "region", "tags") if data.get(k)}
        if data["above_scale"] in ("0", "1"):
            rule["above_scale"] = data["above_scale"] == "1"
        for key in ("level_min", "level_max"):
            if data[key] != "":
                rule[key] = int(data[key])
        if data["level_in"]:
            rule["level_in"] = [int(n) for n in data["level_in"]]
        return rule

    def tier_data(self) -> dict:
        data = self.cleaned_data
        return {
            "order": data["order"],
            "code": data["code"],
            "name": data["name"],
            "description": data["description"],
            "rule": self.rule(),
        }


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    period_start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))
    document = forms.FileField(
        label=_("Plan document"), required=False, help_text=_("PDF, DOCX or XLSX, at most 20 MB.")
    )

    def clean_document(self):
        return uploads.clean(self.cleaned_data.get("document"), kinds=files.KINDS, max_bytes=files.MAX_BYTES)

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The plan ends before it starts."))
        return data


class TargetForm(forms.Form):
    division = forms.ChoiceField(label=_("Industry"), required=False)
    metric = forms.ChoiceField(label=_("Measure"), choices=Target.Metric.choices)
    level = forms.TypedChoiceField(label=_("Level"), coerce=int, empty_value=None, required=False)
    value = forms.DecimalField(label=_("Target value"), min_value=0, max_digits=10, decimal_places=1)
    due_date = forms.DateField(label=_("Due"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division"].choices = [("", _("All industries")), *division_choices()]
        self.fields["level"].choices = level_choices(blank="—")

    def clean(self):
        data = super().clean()
        metric = data.get("metric")
        if metric and metric != Target.Metric.TRANSFORMED and data.get("level") is None:
            self.add_error("level", _("A target on levels needs the level."))
        if metric == Target.Metric.SHARE_AT_LEVEL and (data.get("value") or 0) > 100:
            self.add_error("value", _("A share is at most 100%."))
        return data


TargetFormSet = forms.formset_factory(TargetForm, extra=2, max_num=30, validate_max=True)


def target_rows(formset) -> list[dict]:
    """The filled-in target rows of a valid formset (empty extra rows are skipped)."""
    return [form.cleaned_data for form in formset if form.has_changed() and form.cleaned_data]


class RequestForm(forms.Form):
    route = forms.ChoiceField(
        label=_("Who helps with the plan"), choices=PlanningRequest.Route.choices, widget=forms.RadioSelect
    )
    provider = forms.ModelChoiceField(
        label=_("Service provider"), queryset=Organisation.objects.none(), required=False
    )
    need = forms.CharField(label=_("What do you need"), widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = active_providers()

    def clean(self):
        data = super().clean()
        if data.get("route") == PlanningRequest.Route.PROVIDER and not data.get("provider"):
            self.add_error("provider", _("Choose the provider."))
        if data.get("route") == PlanningRequest.Route.DISTRICT:
            data["provider"] = None
        return data


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 6}))
    document = forms.FileField(
        label=_("Plan document"), required=False, help_text=_("PDF, DOCX or XLSX, at most 20 MB.")
    )

    def clean_document(self):
        return uploads.clean(self.cleaned_data.get("document"), kinds=files.KINDS, max_bytes=files.MAX_BYTES)
