"""Pages that stay live while a board is on its way (the campaign page, the job's Sourcing
tab): their live part asks for itself again with the version it shows
(``selectors.campaigns_live_version``), and an unchanged version gets a 204, which htmx
leaves alone."""


def live_refresh(request, *, target: str) -> bool:
    """Is this the page's own refresh of its live part (the element ``target``), by htmx?"""
    return bool(request.htmx) and request.htmx.target == target
