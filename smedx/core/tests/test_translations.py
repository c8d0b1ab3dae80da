"""The Simplified Chinese catalogue is complete, and the UI speaks Chinese by default and English on request."""

import ast
import re

from django.conf import settings
from django.test import SimpleTestCase, TestCase, override_settings
from django.urls import reverse

CATALOGUE = settings.BASE_DIR / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(\".*\")$")


def parse_po(text):
    """Return the catalogue's entries as dicts: flags, msgid, msgid_plural (if any) and the msgstrs.

    Enough of the PO format for a check: obsolete (#~) entries and the header are left out.
    """
    entries = []
    for block in re.split(r"\n\s*\n", text.strip()):
        entry, key = {"flags": set(), "msgstr": []}, None
        for line in block.splitlines():
            if line.startswith("#~"):
                entry = None
                break
            if line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#"):
                continue
            elif match := KEYWORD.match(line):
                key = match[1]
                if key.startswith("msgstr"):
                    entry["msgstr"].append("")
                entry.setdefault(key, "")
                _append(entry, key, match[2])
            elif line.startswith('"') and key:
                _append(entry, key, line)
        if entry and entry.get("msgid"):
            entries.append(entry)
    return entries


def _append(entry, key, quoted):
    value = ast.literal_eval(quoted)
    if key.startswith("msgstr"):
        entry["msgstr"][-1] += value
    else:
        entry[key] += value


class CatalogueTests(SimpleTestCase):
    def test_it_has_no_untranslated_or_fuzzy_entry(self):
        entries = parse_po(CATALOGUE.read_text(encoding="utf-8"))
        self.assertGreater(len(entries), 100)
        untranslated = [e["msgid"] for e in entries if not e["msgstr"] or not all(e["msgstr"])]
        fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
        self.assertEqual(untranslated, [], f"Untranslated in {CATALOGUE}")
        self.assertEqual(fuzzy, [], f"Fuzzy in {CATALOGUE}")

    def test_it_declares_the_single_chinese_plural_form(self):
        text = CATALOGUE.read_text(encoding="utf-8")
        self.assertIn('"Plural-Forms: nplurals=1; plural=0;\\n"', text)
        plurals = [e for e in parse_po(text) if "msgid_plural" in e]
        self.assertEqual([e["msgid"] for e in plurals if len(e["msgstr"]) != 1], [])

    def test_it_reports_untranslated_and_fuzzy_entries_by_msgid(self):
        sample = (
            'msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=1; plural=0;\\n"\n\n'
            'msgid "Log in"\nmsgstr "登录"\n\n'
            'msgid "Log out"\nmsgstr ""\n\n'
            '#, fuzzy\nmsgid "Password"\nmsgstr "密码"\n\n'
            'msgid "%(n)s file"\nmsgid_plural "%(n)s files"\nmsgstr[0] ""\n\n'
            '#~ msgid "Gone"\n#~ msgstr ""\n'
        )
        entries = parse_po(sample)
        self.assertEqual([e["msgid"] for e in entries if not all(e["msgstr"])], ["Log out", "%(n)s file"])
        self.assertEqual([e["msgid"] for e in entries if "fuzzy" in e["flags"]], ["Password"])


# The test settings use English for the unit tests; the real default is Chinese.
@override_settings(LANGUAGE_CODE="zh-hans")
class LanguageTests(TestCase):
    def test_it_shows_the_login_page_in_chinese_by_default(self):
        response = self.client.get(reverse("login"))
        self.assertContains(response, "登录")
        self.assertContains(response, "中小企业数字化转型服务平台")
        self.assertNotContains(response, "Log in")

    def test_it_switches_the_login_page_to_english(self):
        response = self.client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
        self.assertRedirects(response, reverse("login"), fetch_redirect_response=False)
        response = self.client.get(reverse("login"))
        self.assertContains(response, "Log in")
        self.assertNotContains(response, "登录")


class StockMessageTests(SimpleTestCase):
    """Django's own form and validator messages read in the project's wording, not Django's 该变量/确保."""

    STOCK_WORDS = ("该变量", "确保", "确认", "null", "这个字段")

    def stock_messages(self):
        from django import forms
        from django.core import validators

        fields = [
            forms.Field,
            forms.CharField,
            forms.IntegerField,
            forms.DecimalField,
            forms.DateField,
            forms.DateTimeField,
            forms.ChoiceField,
            forms.MultipleChoiceField,
            forms.ModelChoiceField,
            forms.EmailField,
            forms.URLField,
            forms.FileField,
        ]
        for field in fields:
            for cls in field.__mro__:
                yield from getattr(cls, "default_error_messages", {}).values()
        for validator in (
            validators.MaxValueValidator,
            validators.MinValueValidator,
            validators.StepValueValidator,
            validators.EmailValidator,
            validators.URLValidator,
        ):
            yield validator.message
        yield from validators.DecimalValidator.messages.values()

    def test_every_stock_message_has_project_wording_in_chinese(self):
        from django.utils import translation

        with translation.override("zh-hans"):
            texts = {str(message) for message in self.stock_messages()} - {""}
        self.assertGreater(len(texts), 15)
        stock = [t for t in texts if any(word in t for word in self.STOCK_WORDS)]
        self.assertEqual(stock, [])
        self.assertEqual([t for t in texts if not re.search(r"[\u4e00-\u9fff]", t)], [])

    def test_a_form_speaks_the_project_wording(self):
        from django import forms
        from django.utils import translation

        class Sample(forms.Form):
            name = forms.CharField(max_length=5)
            employees = forms.IntegerField(max_value=100)
            when = forms.DateField()

        with translation.override("zh-hans"):
            errors = Sample({"name": "一二三四五六", "employees": "101", "when": "明天"}).errors
            blank = Sample({}).errors
            self.assertEqual(errors["name"], ["最多 5 个字（现有 6 个）。"])
            self.assertEqual(errors["employees"], ["不能大于 100。"])
            self.assertEqual(errors["when"], ["请输入有效的日期，例如 2026-06-30。"])
            self.assertEqual(blank["name"], ["请填写此项。"])
