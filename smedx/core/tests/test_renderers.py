"""The form renderer writes selects and inputs exactly as Django's own widget templates do."""

import datetime
import tempfile
from pathlib import Path

from django import forms
from django.forms import renderers
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.test import SimpleTestCase, override_settings
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from smedx.core.renderers import FormRenderer

CHOICES = [("", _("All")), ("a&b", 'A "quoted" <b>'), (3, 3000), ("safe", mark_safe("<i>safe</i>"))]
GROUPS = [("", "-"), (_("District"), [("1", "一"), ("2", "二")]), ("Group <2>", [("3", "三")])]


class Everything(forms.Form):
    text = forms.CharField(max_length=20, widget=forms.TextInput(attrs={"placeholder": 'say "hi" & <go>'}))
    number = forms.IntegerField(min_value=0, disabled=True)
    amount = forms.DecimalField(max_digits=12, decimal_places=2, required=False)
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    mail = forms.EmailField(required=False)
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True))
    hidden = forms.CharField(widget=forms.HiddenInput)
    when = forms.TimeField(required=False)
    pick = forms.ChoiceField(choices=CHOICES, required=False)
    grouped = forms.ChoiceField(choices=GROUPS, widget=forms.Select(attrs={"data-x": True, "data-y": False}))
    many = forms.MultipleChoiceField(choices=GROUPS[1:], required=False)
    flag = forms.BooleanField(required=False)
    note = forms.CharField(widget=forms.Textarea, required=False)


DATA = [
    {},
    {
        "text": 'x"<y>&',
        "number": "0",
        "amount": "1234.50",
        "day": "2026-12-04",
        "secret": "p<w>",
        "hidden": "h&",
        "pick": "a&b",
        "grouped": "3",
        "many": ["1", "3"],
        "flag": "on",
    },
    {"pick": "3", "grouped": "nope", "day": "not a date", "text": "x" * 30},
]


class RendererTests(SimpleTestCase):
    def rendered(self, renderer, data, initial=None):
        form = Everything(data=data or None, initial=initial, renderer=renderer)
        if data:
            form.is_valid()  # errors add aria-invalid to the attributes
        return {name: str(form[name]) for name in form.fields}

    def test_every_widget_matches_djangos_templates(self):
        initial = {"day": datetime.date(2026, 1, 2), "number": 5, "pick": 3, "many": ["2"]}
        for data in DATA:
            with self.subTest(data=data):
                self.assertEqual(
                    self.rendered(FormRenderer(), data, initial),
                    self.rendered(DjangoTemplates(), data, initial),
                )

    def test_it_is_the_platforms_renderer(self):
        self.assertIsInstance(get_default_renderer(), FormRenderer)

    def test_a_project_template_replacing_a_widget_is_still_used(self):
        with tempfile.TemporaryDirectory() as root:
            path = Path(root) / "django/forms/widgets/select.html"
            path.parent.mkdir(parents=True)
            path.write_text("<select data-own>{{ widget.name }}</select>")

            class Overridden(FormRenderer):
                @cached_property
                def engine(self):
                    return self.backend(
                        {
                            "APP_DIRS": True,
                            "DIRS": [root, Path(renderers.__file__).parent / "templates"],
                            "NAME": "f",
                            "OPTIONS": {},
                        }
                    )

            self.assertEqual(str(Everything(renderer=Overridden())["pick"]), "<select data-own>pick</select>")
            self.assertIn('<input type="text"', str(Everything(renderer=Overridden())["text"]))

    @override_settings(USE_THOUSAND_SEPARATOR=True)
    def test_numbers_in_labels_are_localised_as_in_a_template(self):
        self.assertIn(">3,000</option>", self.rendered(DjangoTemplates(), {})["pick"])
        self.assertEqual(
            self.rendered(FormRenderer(), {})["pick"], self.rendered(DjangoTemplates(), {})["pick"]
        )
