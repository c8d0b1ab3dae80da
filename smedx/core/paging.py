"""What every paged list shares: the query string its pager links keep."""


def page_query(request, *drop: str) -> str:
    """The current query string without the page number (and the `drop` keys), for the pager's links."""
    query = request.GET.copy()
    for key in ("page", *drop):
        query.pop(key, None)
    return query.urlencode()
