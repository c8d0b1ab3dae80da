"""The audit log read as sentences: every code has one, payloads are named, autosaves fold."""

import ast
import re
from pathlib import Path

from django.test import TestCase

from smedx.core import audit, history
from smedx.core.models import AuditEntry
from smedx.testing import PersonaTestCase

ROOT = Path(__file__).resolve().parents[2]


def recorded_codes():
    """(first argument, call, where) of every `record(...)` call in the code, f-strings as patterns."""
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            func = getattr(node, "func", None)
            name = getattr(func, "attr", None) or getattr(func, "id", None)
            if isinstance(node, ast.Call) and name == "record" and node.args:
                found.append((node.args[0], node, f"{path.relative_to(ROOT)}:{node.lineno}"))
    return found


def expand(arg) -> list[str]:
    """The codes a first argument can be: literals, `"a." + ("b" if x else "c")`, f-strings as regexes."""
    if isinstance(arg, ast.Constant):
        return [re.escape(arg.value)]
    if isinstance(arg, ast.BinOp):
        return [left + right for left in expand(arg.left) for right in expand(arg.right)]
    if isinstance(arg, ast.IfExp):
        return expand(arg.body) + expand(arg.orelse)
    if isinstance(arg, ast.JoinedStr):
        return [
            "".join(re.escape(p.value) if isinstance(p, ast.Constant) else r"[a-z_]+" for p in arg.values)
        ]
    return [r"[a-z_]+\.[a-z_]+\.[a-z_]+"]  # a variable: any code (checked by its callers' literals)


class AuditSentenceRegistryTests(TestCase):
    def test_it_has_a_sentence_for_every_audit_code_recorded_in_the_code(self):
        codes = set(history.sentences())
        for arg, _node, where in recorded_codes():
            for pattern in expand(arg):
                with self.subTest(where=where, code=pattern):
                    self.assertTrue(
                        any(re.fullmatch(pattern, code) for code in codes), f"no sentence for {pattern}"
                    )

    def test_it_has_a_sentence_for_every_diagnosis_verb(self):
        source = (ROOT / "assessments/services/diagnosis.py").read_text()
        verbs = set(re.findall(r'_record\(\s*"([a-z_]+)"', source)) | {"answer_accepted", "answer_adjusted"}
        for verb in verbs:
            self.assertIn(f"assessments.diagnosisrequest.{verb}", history.sentences())

    def test_it_names_every_literal_payload_field(self):
        fields = history.frame.merged("audit_fields")
        for _arg, node, where in recorded_codes():
            data = next((kw.value for kw in node.keywords if kw.arg == "data"), None)
            if isinstance(data, ast.Dict):
                for key in data.keys:
                    if isinstance(key, ast.Constant):
                        with self.subTest(where=where, key=key.value):
                            self.assertIn(key.value, fields)


class HistoryLineTests(PersonaTestCase):
    def entry(self, action, actor=None, obj=None, **data):
        return audit.record(
            action, actor=actor or self.enterprise_user, obj=obj or self.enterprise, data=data
        )

    def test_it_reads_an_answer_as_a_sentence(self):
        self.enterprise_user.display_name = "赵建国"
        self.enterprise_user.save()
        line = history.read(self.entry("assessments.answer.saved", item="B7", value="A"))
        self.assertEqual(line.text, "赵建国 saved the answer to B7")
        self.assertEqual(line.details, [("answer", "A")])

    def test_it_names_payload_fields_and_formats_their_values(self):
        line = history.read(self.entry("enterprises.enterprise.signed_up", claimed=False))
        self.assertEqual(line.details, [("an existing case file was claimed", "no")])
        line = history.read(self.entry("enterprises.enterprise.updated", changed=["name", "employees"]))
        self.assertEqual(line.details, [("changed", "enterprise name, employees")])
        self.assertNotIn("claimed", str(line.details))

    def test_it_hides_internal_ids(self):
        line = history.read(self.entry("projects.project.created", plan=17))
        self.assertEqual(line.details, [])

    def test_it_folds_consecutive_autosaves_of_one_assessment_by_one_person(self):
        for item in ["B1", "B2", "B3", "B2", "B4", "B5", "B6"]:
            self.entry("assessments.answer.saved", item=item, value="A")
        self.entry("assessments.assessment.created", period="T0")
        entries = AuditEntry.objects.filter(enterprise_id=self.enterprise.pk)
        lines = history.lines(entries)
        self.assertEqual(len(lines), 2)
        self.assertIn("saved 6 questions", lines[1].text)
        self.assertEqual(lines[1].count, 7)
        self.assertEqual(lines[1].details, [("question", "B1, B2, B3, B4, B5, B6")])

    def test_it_does_not_fold_another_persons_answers(self):
        self.entry("assessments.answer.saved", item="B1", value="A")
        self.entry("assessments.answer.saved", actor=self.enterprise_colleague, item="B2", value="A")
        self.assertEqual(len(history.lines(AuditEntry.objects.all())), 2)

    def test_it_names_the_platform_when_nobody_acted(self):
        entry = audit.record(
            "projects.milestone.flagged_overdue", obj=self.enterprise, data={"due": "2026-01-31"}
        )
        self.assertIn("The platform flagged", history.read(entry).text)
