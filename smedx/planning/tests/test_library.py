"""The guide and policy library: issuing, versions, who sees what, read marks and readers."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from smedx.core.errors import DomainError
from smedx.core.models import AuditEntry
from smedx.planning.models import Attachment, Document, ReadMark
from smedx.planning.services import library
from smedx.testing import PersonaTestCase, make_enterprise, make_org, make_user
from smedx.testing.planning import make_document, pdf

LIBRARY = reverse("planning:library")


def data(**extra):
    values = {
        "kind": "guide",
        "level": "district",
        "issuer": "",
        "title": "渝北区机械行业数字化转型指南",
        "summary": "摘要",
        "body": "第一段<script>\n\n第二段",
        "industries": ["34"],
        "scenes": ["S05", "S06"],
    }
    values.update(extra)
    return values


class DocumentServiceTests(PersonaTestCase):
    def test_it_lets_a_district_issue_a_district_document(self):
        document = library.create_document(actor=self.district, data=data())
        self.assertEqual(document.status, Document.Status.DRAFT)
        self.assertEqual(document.region, self.home_region)
        self.assertEqual(document.industries, ",34,")
        self.assertEqual(document.scene_list, ["S05", "S06"])
        self.assertEqual(document.issuer, self.district.organisation.name)
        self.assertTrue(AuditEntry.objects.filter(action="planning.document.created").exists())

    def test_it_lets_the_city_issue_national_and_city_documents_only(self):
        library.create_document(actor=self.city, data=data(level="national"))
        library.create_document(actor=self.city, data=data(level="city"))
        with self.assertRaises(DomainError):
            library.create_document(actor=self.city, data=data(level="district"))
        with self.assertRaises(DomainError):
            library.create_document(actor=self.district, data=data(level="city"))

    def test_it_refuses_everybody_but_authorities(self):
        for user in (self.expert, self.provider, self.platform, self.enterprise_user, self.outsider):
            with self.subTest(user=user.username), self.assertRaises(DomainError):
                library.create_document(actor=user, data=data())
        self.assertFalse(Document.objects.exists())

    def test_it_lets_only_the_issuing_authority_change_or_publish(self):
        document = library.create_document(actor=self.district, data=data())
        for user in (self.other_district, self.city, self.enterprise_user):
            with self.subTest(user=user.username), self.assertRaises(DomainError):
                library.publish_document(document=document, actor=user)
        library.publish_document(document=document, actor=self.district)
        document.refresh_from_db()
        self.assertEqual(document.status, Document.Status.PUBLISHED)
        self.assertIsNotNone(document.published_at)

    def test_it_refuses_to_edit_or_republish_a_published_document(self):
        document = make_document(self.district)
        with self.assertRaises(DomainError):
            library.update_document(document=document, actor=self.district, data=data(title="新"))
        with self.assertRaises(DomainError):
            library.publish_document(document=document, actor=self.district)

    def test_it_keeps_the_old_version_readable_and_marks_it_superseded(self):
        old = make_document(self.district, industries=",34,")
        Attachment.objects.create(document=old, file="planning/x.pdf", name="x.pdf", size=10)
        new = library.new_document_version(document=old, actor=self.district)
        self.assertEqual((new.version, new.supersedes, new.status), (2, old, Document.Status.DRAFT))
        self.assertEqual(new.attachments.count(), 1)
        with self.assertRaises(DomainError):  # one new version at a time
            library.new_document_version(document=old, actor=self.district)
        library.publish_document(document=new, actor=self.district)
        old.refresh_from_db()
        self.assertTrue(old.is_superseded)
        self.assertEqual(old.status, Document.Status.PUBLISHED)
        self.assertEqual(list(Document.objects.current()), [new])
        with self.assertRaises(DomainError):
            library.new_document_version(document=old, actor=self.district)

    def test_it_withdraws_only_published_documents(self):
        draft = library.create_document(actor=self.district, data=data())
        with self.assertRaises(DomainError):
            library.withdraw_document(document=draft, actor=self.district)
        published = make_document(self.district)
        library.withdraw_document(document=published, actor=self.district)
        published.refresh_from_db()
        self.assertEqual(published.status, Document.Status.WITHDRAWN)

    def test_it_accepts_pdf_attachments_and_refuses_other_files(self):
        document = library.create_document(actor=self.district, data=data())
        attachment = library.add_attachment(document=document, actor=self.district, file=pdf())
        self.assertEqual(attachment.name, "guide.pdf")
        self.assertTrue(attachment.file.name.endswith(".pdf"))
        self.assertNotIn("guide", attachment.file.name)
        with self.assertRaises(DomainError):
            library.add_attachment(document=document, actor=self.district, file=pdf("a.pdf", b"not a pdf"))
        with self.assertRaises(DomainError):
            library.add_attachment(document=document, actor=self.district, file=pdf("a.exe"))
        self.assertEqual(document.attachments.count(), 1)


class VisibilityTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # The persona enterprises are in 渝北区, division 34.
        cls.city_all = make_document(cls.city, title="全市通用")
        cls.city_34 = make_document(cls.city, title="机械", industries=",34,")
        cls.city_39 = make_document(cls.city, title="电子", industries=",39,")
        cls.national = make_document(cls.city, level="national", title="国家")
        cls.home = make_document(cls.district, title="渝北")
        cls.other = make_document(cls.other_district, title="江北")
        cls.draft = make_document(cls.district, status=Document.Status.DRAFT, title="草稿")
        cls.withdrawn = make_document(cls.district, status=Document.Status.WITHDRAWN, title="撤回")

    def titles(self, user):
        return set(Document.objects.visible_to(user).values_list("title", flat=True))

    def test_it_shows_an_enterprise_the_published_documents_that_fit_it(self):
        self.assertEqual(self.titles(self.enterprise_user), {"全市通用", "机械", "国家", "渝北"})

    def test_it_shows_an_authority_everything_published_and_its_own_drafts(self):
        published = {"全市通用", "机械", "电子", "国家", "渝北", "江北"}
        self.assertEqual(self.titles(self.district), published | {"草稿", "撤回"})
        self.assertEqual(self.titles(self.other_district), published)
        self.assertEqual(self.titles(self.expert), published)
        self.assertEqual(self.titles(self.outsider), set())

    def test_it_lists_the_fitting_enterprises_of_a_document(self):
        self.assertEqual(set(self.home.fitting_enterprises()), {self.enterprise, self.other_enterprise})
        self.assertIn(self.far_enterprise, set(self.city_34.fitting_enterprises()))
        self.assertFalse(self.city_39.fitting_enterprises().exists())

    def test_it_filters_the_library_page(self):
        self.login(self.enterprise_user)
        response = self.client.get(LIBRARY + "?industry=34")
        self.assertEqual([d.title for d in response.context["page"]], ["机械"])
        response = self.client.get(LIBRARY + "?level=national")
        self.assertEqual([d.title for d in response.context["page"]], ["国家"])
        response = self.client.get(LIBRARY + "?q=渝北")
        self.assertEqual([d.title for d in response.context["page"]], ["渝北"])

    def test_it_runs_as_many_queries_for_many_documents_as_for_few(self):
        self.login(self.district)
        self.client.get(LIBRARY)
        with CaptureQueriesContext(connection) as few:
            self.client.get(LIBRARY)
        for n in range(15):
            make_document(self.city, title=f"批量{n}")
        with self.assertNumQueries(len(few.captured_queries)):
            response = self.client.get(LIBRARY)
        self.assertEqual(len(response.context["page"]), 20)

    def test_it_hides_a_draft_from_the_enterprise_with_404(self):
        self.login(self.enterprise_user)
        self.assertEqual(
            self.client.get(reverse("planning:document_detail", args=[self.draft.pk])).status_code, 404
        )
        self.assertEqual(
            self.client.get(reverse("planning:document_detail", args=[self.other.pk])).status_code, 404
        )
        response = self.client.get(reverse("planning:document_detail", args=[self.home.pk]))
        self.assertContains(response, "<p>第一段</p>", html=True)


class ReadMarkTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.document = make_document(cls.district, industries=",34,")
        # A third enterprise of 渝北区 with a login, and one of another industry that the guide does not fit.
        cls.third_org = make_org("enterprise", "测试企业丙", cls.home_region)
        cls.third = make_enterprise(cls.home_region, "测试企业丙", cls.third_org)
        cls.third_user = make_user("third", cls.third_org)
        cls.food = make_enterprise(
            cls.home_region,
            "食品企业",
            make_org("enterprise", "食品企业", cls.home_region),
            industry_division="14",
        )

    def test_it_marks_a_document_read_once_per_enterprise(self):
        library.mark_read(document=self.document, actor=self.enterprise_user)
        library.mark_read(document=self.document, actor=self.enterprise_colleague)
        mark = ReadMark.objects.get()
        self.assertEqual(
            (mark.organisation, mark.user), (self.enterprise_user.organisation, self.enterprise_user)
        )
        entry = AuditEntry.objects.get(action="planning.document.read")
        self.assertEqual(entry.enterprise_id, self.enterprise.pk)

    def test_it_refuses_read_marks_from_others_and_for_documents_that_do_not_fit(self):
        with self.assertRaises(DomainError):
            library.mark_read(document=self.document, actor=self.district)
        far = make_document(self.other_district)
        with self.assertRaises(DomainError):
            library.mark_read(document=far, actor=self.enterprise_user)
        self.assertFalse(ReadMark.objects.exists())

    def test_it_marks_read_through_the_page_by_post_only(self):
        url = reverse("planning:document_read", args=[self.document.pk])
        self.login(self.enterprise_user)
        self.assertEqual(self.client.get(url).status_code, 405)
        response = self.client.post(url, follow=True)
        self.assertContains(response, 'data-testid="read-mark"')
        self.login(self.district)
        self.assertEqual(self.client.post(url).status_code, 403)

    def test_it_shows_the_authority_who_read_and_who_has_not(self):
        library.mark_read(document=self.document, actor=self.enterprise_user)
        self.login(self.district)
        url = reverse("planning:document_readers", args=[self.document.pk])
        response = self.client.get(url)
        self.assertEqual(response.context["fitting_count"], 3)
        self.assertEqual(response.context["read_count"], 1)
        self.assertEqual(response.context["unread_count"], 2)
        self.assertEqual({e.name for e in response.context["page"]}, {"测试企业乙", "测试企业丙"})
        response = self.client.get(url + "?show=read")
        self.assertEqual([m.organisation.enterprise for m in response.context["page"]], [self.enterprise])
        # Another district sees the document but none of these enterprises.
        self.login(self.other_district)
        response = self.client.get(url)
        self.assertEqual((response.context["read_count"], response.context["unread_count"]), (0, 0))

    def test_it_counts_unread_guides_as_an_enterprise_to_do(self):
        from smedx.core.todos import todos_for

        def unread():
            return [t.count for t in todos_for(self.enterprise_user) if "read" in str(t.title)]

        self.assertEqual(unread(), [1])
        library.mark_read(document=self.document, actor=self.enterprise_user)
        self.assertEqual(unread(), [])


class DocumentPageTests(PersonaTestCase):
    def post_data(self, **extra):
        values = data(**extra)
        return values

    def test_it_creates_a_draft_with_an_attachment(self):
        self.login(self.district)
        response = self.client.post(
            reverse("planning:document_create"), {**self.post_data(), "attachment": pdf()}
        )
        document = Document.objects.get()
        self.assertRedirects(response, reverse("planning:document_detail", args=[document.pk]))
        self.assertEqual(document.attachments.get().name, "guide.pdf")
        detail = self.client.get(response["Location"])
        self.assertContains(detail, "第一段&lt;script&gt;")
        self.assertNotContains(detail, "第一段<script>")

    def test_it_saves_nothing_on_bad_input(self):
        self.login(self.district)
        url = reverse("planning:document_create")
        response = self.client.post(url, self.post_data(title="", level="national"))
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors)
        response = self.client.post(url, {**self.post_data(), "attachment": pdf("x.pdf", b"MZ not pdf")})
        self.assertIn("attachment", response.context["form"].errors)
        self.assertFalse(Document.objects.exists())

    def test_it_publishes_and_versions_through_the_page(self):
        document = library.create_document(actor=self.district, data=data())
        self.login(self.district)
        publish = reverse("planning:document_publish", args=[document.pk])
        self.assertEqual(self.client.get(publish).status_code, 405)
        self.client.post(publish)
        response = self.client.post(reverse("planning:document_new_version", args=[document.pk]))
        new = Document.objects.get(supersedes=document)
        self.assertRedirects(response, reverse("planning:document_detail", args=[new.pk]))

    def test_it_gives_others_404_on_the_edit_page(self):
        document = library.create_document(actor=self.district, data=data())
        url = reverse("planning:document_edit", args=[document.pk])
        self.login(self.other_district)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.login(self.district)
        response = self.client.post(url, data(title="改过的标题"))
        self.assertEqual(response.status_code, 302)
        document.refresh_from_db()
        self.assertEqual(document.title, "改过的标题")

    def test_it_serves_attachments_only_to_those_who_see_the_document(self):
        document = library.create_document(actor=self.district, data=data())
        attachment = library.add_attachment(document=document, actor=self.district, file=pdf())
        url = reverse("planning:attachment_download", args=[attachment.pk])
        self.login(self.enterprise_user)  # still a draft
        self.assertEqual(self.client.get(url).status_code, 404)
        library.publish_document(document=document, actor=self.district)
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(b"".join(response.streaming_content), pdf().read())
