"""What every paged list shares: the query string its pager links keep, and a bounded count.

A list over a province (1,000,000 enterprises, 3,000,000 assessments) must cost the same on its
first and its last page and whatever the province's size: `BoundedPaginator` counts at most
`BOUND` rows (`SELECT count(*) FROM (… LIMIT BOUND + 1)`), offers only the pages within them, and
says "more than 10,000" beyond — people narrow a list that long with its filters, and the exact
totals are on the figures (workbench, charts) that are kept as pre-aggregates.
"""

from functools import cached_property

from django.core.paginator import Paginator

BOUND = 10_000


class BoundedPaginator(Paginator):
    def __init__(self, object_list, per_page, *, bound: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.bound = BOUND if bound is None else bound

    @cached_property
    def count(self) -> int:
        """How many rows, up to `bound`; `more` says whether there are more than that."""
        counted = self.object_list.values("pk")[: self.bound + 1].count()
        self._more = counted > self.bound
        return min(counted, self.bound)

    @property
    def more(self) -> bool:
        return self.count == self.bound and self._more


def page_query(request, *drop: str) -> str:
    """The current query string without the page number (and the `drop` keys), for the pager's links."""
    query = request.GET.copy()
    for key in ("page", *drop):
        query.pop(key, None)
    return query.urlencode()
