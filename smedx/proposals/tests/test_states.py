"""The state questions need and invitation pages ask, answered by the models."""

from django.test import SimpleTestCase

from smedx.proposals.models import Invitation, Need


class NeedStateTests(SimpleTestCase):
    def test_it_lets_a_draft_or_published_need_be_closed(self):
        closable = {s for s in Need.Status if Need(status=s).can_be_closed}
        self.assertEqual(closable, {Need.Status.DRAFT, Need.Status.PUBLISHED})

    def test_it_lets_an_invitation_be_answered_only_while_awaited_and_the_need_is_open(self):
        cases = [
            (Invitation.Status.INVITED, Need.Status.PUBLISHED, True),
            (Invitation.Status.INVITED, Need.Status.CLOSED, False),
            (Invitation.Status.DECLINED, Need.Status.PUBLISHED, False),
            (Invitation.Status.PROPOSED, Need.Status.PUBLISHED, False),
        ]
        for invitation, need, expected in cases:
            with self.subTest(invitation=invitation, need=need):
                self.assertIs(Invitation(status=invitation, need=Need(status=need)).can_be_answered, expected)
