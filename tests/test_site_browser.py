"""Every page of the built site, opened in Debian's chromium: no request leaves 127.0.0.1."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from .test_site import pages

pytestmark = pytest.mark.browser


def test_every_page_requests_only_its_own_host(sites, served_site, browser):
    site = sites["default"]
    context = browser.new_context()
    foreign: list[str] = []
    seen: list[str] = []

    def watch(request):
        seen.append(request.url)
        host = urlparse(request.url).hostname
        if urlparse(request.url).scheme in ("http", "https", "ws", "wss") and host != "127.0.0.1":
            foreign.append(request.url)

    context.on("request", watch)
    page = context.new_page()
    opened = 0
    for path in pages(site):
        response = page.goto(served_site + str(path.relative_to(site)), wait_until="networkidle")
        assert response is not None and response.ok, path
        opened += 1
    context.close()
    assert opened == len(pages(site)) >= 10
    assert len(seen) > opened  # pages loaded their scripts and styles, all watched
    assert foreign == []
