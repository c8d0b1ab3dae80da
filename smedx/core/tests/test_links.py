"""Links the platform shows never 404: every internal link on every page the access matrix's personas open.

The crawl opens, as each persona, every page of the matrix that persona may see (200), gathers the links
(`<a href>`) to the platform on it and follows each once: a 404 (or a crash) is a link that should not be
shown to that persona. Links to POST-only views (405) and static files are not followed.
"""

from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

from django.conf import settings
from django.urls import reverse

from smedx.core.tests.test_url_access import MATRIX
from smedx.testing.access import PERSONAS, AccessMatrixCase


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a" and (href := dict(attrs).get("href")):
            self.hrefs.append(href)


def is_html(response) -> bool:
    return not response.streaming and response.get("Content-Type", "").startswith("text/html")


def internal_links(response, base) -> set[str]:
    """The platform's own links on a page, without fragments, resolved against the page's path."""
    parser = _Links()
    parser.feed(response.content.decode())
    links = set()
    for href in parser.hrefs:
        href, _fragment = urldefrag(href)
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not href or href.startswith(("mailto:", "tel:", "javascript:")):
            continue
        if href.startswith("?"):
            href = base + href
        if not href.startswith("/") or href.startswith((settings.STATIC_URL, settings.MEDIA_URL)):
            continue
        links.add(href)
    return links


# Pages left out of the crawl, each with its reason (none today).
NOT_CRAWLED: set[str] = set()  # every page of the matrix is crawled


class LinkCrawlTests(AccessMatrixCase):
    def pages_of(self, persona) -> list[str]:
        return [
            reverse(name, kwargs=kwargs(self, persona))
            for name, (kwargs, expected) in MATRIX.items()
            if expected[PERSONAS.index(persona)] == 200 and name not in NOT_CRAWLED
        ]

    def fetch(self, url):
        try:
            return self.client.get(url)
        except Exception as exc:  # a crash is a broken link too
            return exc

    def test_it_shows_no_link_that_answers_404(self):
        broken = []
        for persona in PERSONAS:
            self.client.logout()
            if persona != "anonymous":
                self.client.force_login(getattr(self, persona))
            followed = set()
            for page in self.pages_of(persona):
                response = self.fetch(page)
                if isinstance(response, Exception) or response.status_code != 200 or not is_html(response):
                    continue
                for link in sorted(internal_links(response, page) - followed):
                    followed.add(link)
                    answer = self.fetch(link)
                    status = f"raised {answer!r}" if isinstance(answer, Exception) else answer.status_code
                    if status == 404 or not isinstance(status, int) or status >= 500:
                        broken.append(f"{persona}: {page} links to {link} ({status})")
        self.assertFalse(broken, "\n" + "\n".join(broken))
