"""Every page of the access matrix reads in Chinese: rendered in zh-hans for every persona that may see it,
no page shows Django's or the project's stock English strings, the word "None", or a bare code where a name
belongs (a level rule's code, a scene or item code without its name, an audit code).
"""

import re
from datetime import date, datetime
from html.parser import HTMLParser

from django.db.models.utils import get_blank_choice_label
from django.template import Context, Template
from django.test import SimpleTestCase, override_settings
from django.urls import reverse
from django.utils import translation

from smedx.core.tests.test_url_access import MATRIX
from smedx.testing.access import PERSONAS, AccessMatrixCase

# Stock strings of Django and of the project that show a page was not translated, matched as words.
ENGLISH = (
    "Select an option",
    "This field is required",
    "Enter a valid",
    "Ensure this value",
    "Submit",
    "Save",
    "Cancel",
    "Delete",
    "Edit",
    "Search",
    "Filter",
    "Back",
    "Next",
    "Previous",
    "Yes",
    "No",
    "Unknown",
    "Download",
    "Upload",
    "Log in",
    "Log out",
    "Password",
    "Username",
    "Email",
    "Currently",
    "Change",
    "Clear",
    "True",
    "False",
    "None",
)
ENGLISH_PATTERN = re.compile(r"(?<![\w.-])(?:" + "|".join(map(re.escape, ENGLISH)) + r")(?![\w-])")

# Codes that must be shown with (or as) their names.
CODES = {
    "level rule code": re.compile(r"miit-\d{4}-"),
    "audit code": re.compile(r"\b[a-z]+\.[a-z_]+\.[a-z_]+ed\b"),
    "Django's blank choice": re.compile(r"-{5,}"),
}
# A scene (S05) or an item (B7) is followed by its name, e.g. "S05 计划调度", never shown alone.
BARE_CODE = re.compile(r"(?<![\w.-])([SBME]\d{1,2})(?![\w.-])(?!\s*[\u4e00-\u9fff（(])")

# Findings to skip, by page, each with its reason; none today (the audit log and the case file's
# history read as sentences).
IGNORED: dict[str, tuple[str, ...]] = {}  # page → kinds of finding to skip (none today)

# Attributes whose values a person reads.
READ_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt"}


class _Text(HTMLParser):
    """The text a person reads: data outside <script>/<style>, readable attributes, button values."""

    def __init__(self):
        super().__init__()
        self.parts, self._hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style", "template"}:
            self._hidden += 1
        attrs = dict(attrs)
        self.parts += [attrs[name] for name in READ_ATTRIBUTES if attrs.get(name)]
        if tag == "input" and attrs.get("type") in {"submit", "button"} and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in {"script", "style", "template"} and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.parts.append(data.strip())


def page_text(html):
    parser = _Text()
    parser.feed(html)
    return "\n".join(parser.parts)


def findings(text):
    """What is wrong with a page's text, as short descriptions."""
    found = [f"English {m!r}" for m in sorted(set(ENGLISH_PATTERN.findall(text)))]
    for label, pattern in CODES.items():
        found += [f"{label} {m!r}" for m in sorted(set(pattern.findall(text)))]
    found += [f"bare code {m!r}" for m in sorted(set(BARE_CODE.findall(text)))]
    return found


@override_settings(LANGUAGE_CODE="zh-hans")
class PageTextTests(AccessMatrixCase):
    def test_it_shows_every_page_of_the_access_matrix_in_chinese(self):
        problems = []
        for name, (kwargs, expected) in MATRIX.items():
            for persona, want in zip(PERSONAS, expected, strict=True):
                if want != 200:
                    continue
                url = reverse(name, kwargs=kwargs(self, persona))
                for finding in self._read(persona, url):
                    if finding.startswith(IGNORED.get(name, ())):
                        continue
                    problems.append(f"{name} as {persona} ({url}): {finding}")
        self.assertFalse(problems, "\n" + "\n".join(problems))

    def _read(self, persona, url):
        self.client.logout()
        if persona != "anonymous":
            self.client.force_login(getattr(self, persona))
        response = self.client.get(url, headers={"accept-language": "zh-hans"})
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            return []
        return findings(page_text(response.content.decode()))

    def test_it_finds_what_it_looks_for(self):
        html = (
            "<p>真实性承诺 None</p><select><option>- Select an option -</option><option>---------</option>"
            "</select><p>miit-2024-default 1</p><p>S05</p><p>assessments.answer.saved</p>"
            "<input type='submit' value='Save'><script>var x = None;</script>"
        )
        self.assertEqual(
            findings(page_text(html)),
            [
                "English 'None'",
                "English 'Save'",
                "English 'Select an option'",
                "level rule code 'miit-2024-'",
                "audit code 'assessments.answer.saved'",
                "Django's blank choice '---------'",
                "bare code 'S05'",
            ],
        )

    def test_it_accepts_codes_with_their_names(self):
        self.assertEqual(
            findings(page_text("<p>S05 计划调度</p><p>B7（数据采集）</p><p>34 通用设备制造业</p>")), []
        )


class FormatTests(SimpleTestCase):
    def test_it_writes_every_date_in_one_format(self):
        template = Template("{{ day }} | {{ moment }}")
        with translation.override("zh-hans"):
            text = template.render(Context({"day": date(2024, 5, 1), "moment": datetime(2024, 5, 1, 14, 30)}))
        self.assertEqual(text, "2024-05-01 | 2024-05-01 14:30")

    def test_it_translates_the_blank_choice_of_every_select(self):
        with translation.override("zh-hans"):
            self.assertEqual(str(get_blank_choice_label()), "- 请选择 -")
