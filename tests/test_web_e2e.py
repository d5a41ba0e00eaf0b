"""The real page in headless Chromium (Debian's), served by waitress, driven by Playwright."""

import os
import threading
from pathlib import Path

import pytest
import waitress
from playwright.sync_api import expect, sync_playwright

from indexer.store.indexing import run_index
from search.web import create_app

from .helpers import CORPUS

CHROMIUM = os.environ.get("NEWS_SEARCH_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    index = tmp_path_factory.mktemp("index")
    assert run_index([CORPUS], index).failed == 0
    server = waitress.create_server(create_app(index), host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: apt-get install chromium"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


def shown(page) -> list[str]:
    return sorted(i[:3] for i in page.locator("li.hit").evaluate_all("els => els.map(e => e.dataset.id)"))


def test_search_facet_month_and_chip(server, browser, capsys, tmp_path):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server + "/")
    page.get_by_label("Search the archive").fill("Kremlin")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/?q=Kremlin")
    assert shown(page) == ["000", "002", "004"]

    page.locator("aside a[data-facet=actor]", has_text="Vladimir Putin").click()
    expect(page.locator(".chip", has_text="Vladimir Putin")).to_be_visible()
    assert shown(page) == ["002", "004"]

    page.locator("svg.chart a.bar[data-value='2023-09']").click()
    expect(page.locator(".chip", has_text="2023-09")).to_be_visible()
    assert shown(page) == ["004"]

    page.get_by_role("link", name="Remove filter Vladimir Putin").click()
    expect(page.locator(".chip", has_text="Vladimir Putin")).to_have_count(0)
    assert shown(page) == ["000", "004"]
    assert "actor=" not in page.url and "since=2023-09" in page.url

    page.go_back()
    expect(page.locator(".chip", has_text="Vladimir Putin")).to_be_visible()
    assert shown(page) == ["004"]

    path = tmp_path / "search-page.png"
    page.screenshot(path=str(path), full_page=True)
    with capsys.disabled():
        print(f"\nscreenshot of the search page: {path}")
    assert path.stat().st_size > 10_000


def test_article_page_and_phone_width(server, browser):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(server + "/?q=Peskov")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the search page scrolls sideways on a phone ({width}px)"
    expect(page.get_by_role("link", name="Refine ↓")).to_be_visible()  # facets follow the results
    page.locator("li.hit h2 a").first.click()
    expect(page.locator("article h1")).to_be_visible()
    expect(page.locator("article mark").first).to_have_text("Peskov")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the article page scrolls sideways on a phone ({width}px)"
    page.get_by_role("link", name="Back to the search").click()
    page.wait_for_url("**/?q=Peskov")


def test_script_in_query_stays_text(server, browser):
    page = browser.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(server + "/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    expect(page.get_by_label("Search the archive")).to_have_value("<script>alert(1)</script>")
    assert dialogs == []
