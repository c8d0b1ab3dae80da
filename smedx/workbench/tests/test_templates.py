"""Templates ask models state questions instead of comparing status codes, and show every status one way."""

import re

from django.apps import apps
from django.conf import settings
from django.template.loader import render_to_string
from django.test import SimpleTestCase
from django.utils import translation

from smedx.core.status import TONES

TEMPLATES = settings.BASE_DIR / "smedx"

# A status code compared in a template: `x.status == "draft"`, `status != 'a'`, `"a" == x.status`,
# `x.status in ...`, or a status code handed to a partial to compare (`status=x.status`).
LITERAL_STATUS = re.compile(
    r"\.status\s*(==|!=|in\s|not\s+in\s)"
    r"|\bstatus\s*(==|!=)\s*['\"]"
    r"|['\"]\s*(==|!=)\s*[\w.]*\bstatus\b"
    r"|\bstatus\s+(not\s+)?in\s"
    r"|\bstatus=[\w.]+\.status\b"
)
# A badge that prints a status itself instead of including _status_badge.html.
OWN_BADGE = re.compile(r"<span class=\"badge[^>]*>\s*\{\{\s*[\w.]+\.get_status_display\s*\}\}")

# Known exceptions, each listed exactly so that a new one still fails (none today).
KNOWN: set[tuple[str, str]] = set()


def template_lines():
    for path in sorted(TEMPLATES.rglob("templates/**/*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            yield name, number, line


def offences(pattern):
    return [
        f"{name}:{number}: {line.strip()}"
        for name, number, line in template_lines()
        if pattern.search(line) and not any(name == k and snippet in line for k, snippet in KNOWN)
    ]


class StatusInTemplatesTests(SimpleTestCase):
    def test_it_finds_the_comparisons_it_forbids_and_lets_filters_pass(self):
        for text in [
            '{% if project.status == "registered" %}',
            "{% if p.status != 'draft' and p.status != 'returned' %}",
            "{% if s == 'draft' or status == 'applied' %}",
            "{% if 'draft' == need.status %}",
            "{% if a.status in wanted %}",
            '{% include "x.html" with status=doc.status %}',
        ]:
            with self.subTest(text=text):
                self.assertRegex(text, LITERAL_STATUS)
        for text in [
            "{% if status == value %} active{% endif %}",
            "{% if code == status %} selected{% endif %}",
            "{% for value, label in statuses %}",
            "{% if project.is_filed %}",
        ]:
            with self.subTest(text=text):
                self.assertNotRegex(text, LITERAL_STATUS)

    def test_it_finds_no_status_code_in_any_template(self):
        self.assertEqual(offences(LITERAL_STATUS), [])

    def test_it_finds_no_status_badge_outside_the_shared_include(self):
        self.assertRegex('<span class="badge text-bg-info">{{ m.get_status_display }}</span>', OWN_BADGE)
        shared = "templates/_status_badge.html:"
        self.assertEqual([o for o in offences(OWN_BADGE) if not o.startswith(shared)], [])


def models_with_status():
    for model in apps.get_models():
        if not model.__module__.startswith("smedx."):
            continue
        field = next((f for f in model._meta.fields if f.name == "status"), None)
        if field is not None and field.choices:
            yield model, field


class StatusToneTests(SimpleTestCase):
    def test_it_gives_every_status_of_every_model_a_known_tone(self):
        found = list(models_with_status())
        self.assertGreater(len(found), 10)
        for model, field in found:
            for value, _label in field.choices:
                with self.subTest(model=model.__name__, status=value):
                    self.assertIn(model.STATUS_TONES.get(value), TONES)

    def test_it_renders_the_label_in_the_tone_of_the_status(self):
        from smedx.projects.models import Project

        with translation.override("en"):
            html = render_to_string(
                "_status_badge.html",
                {"obj": Project(status=Project.Status.FAILED), "testid": "project-status"},
            )
        self.assertInHTML(
            '<span class="badge text-bg-danger" data-testid="project-status">Failed acceptance</span>', html
        )

    def test_it_names_the_badge_status_when_no_test_id_is_given(self):
        from smedx.proposals.models import Need

        with translation.override("en"):
            html = render_to_string("_status_badge.html", {"obj": Need(status=Need.Status.DRAFT)})
        self.assertInHTML('<span class="badge text-bg-secondary" data-testid="status">Draft</span>', html)
