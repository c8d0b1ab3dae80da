"""The state questions import and case-file pages ask, answered by the models."""

from django.test import SimpleTestCase

from smedx.enterprises.journey import StageView
from smedx.enterprises.models import ImportJob


class ImportJobStateTests(SimpleTestCase):
    def test_it_shows_no_row_count_before_checking_and_while_writing(self):
        S = ImportJob.Status
        busy = {s for s in S if ImportJob(status=s).progress_is_indeterminate}
        self.assertEqual(busy, {S.UPLOADED, S.COMMITTING})

    def test_it_colours_a_file_with_errors_as_danger_and_an_imported_one_as_success(self):
        tones = [
            ImportJob(status=s).status_tone for s in (ImportJob.Status.INVALID, ImportJob.Status.COMMITTED)
        ]
        self.assertEqual(tones, ["danger", "success"])

    def test_it_tells_a_done_stage_from_one_in_progress(self):
        answers = [
            (v.is_done, v.is_in_progress)
            for v in (StageView(1, "", s) for s in ("done", "in_progress", "not_started"))
        ]
        self.assertEqual(answers, [(True, False), (False, True), (False, False)])
