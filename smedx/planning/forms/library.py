"""Input of the guide and policy library pages: validation only; the services decide."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from smedx.core import uploads
from smedx.enterprises.reference import division_choices
from smedx.planning import files
from smedx.planning.models import Document
from smedx.planning.services.library import levels_for

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
