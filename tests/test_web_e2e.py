"""The real page in headless Chromium (Debian's), served by waitress, driven by Playwright;
axe-core (npm, ``npm install`` beside pyproject.toml) checks every kind of page."""

import json
import os
import threading
from pathlib import Path

import pytest
import waitress
from playwright.sync_api import expect, sync_playwright

from indexer.store.indexing import run_index
from search.web import create_app

from .helpers import CORPUS, repeated_corpus, without_stories

CHROMIUM = os.environ.get("NEWS_SEARCH_CHROMIUM", "/usr/bin/chromium")
AXE = Path(os.environ.get("NEWS_SEARCH_AXE", Path(__file__).parent.parent / "node_modules/axe-core/axe.min.js"))
#: A URL of 400 characters without a space or hyphen, as scraped snippets and titles hold.
LONG_URL = "https://example.org/news?" + "&".join(f"segment{i:03d}=withoutanybreak{i}" for i in range(16))


def serve(index: Path):
    server = waitress.create_server(create_app(index), host="127.0.0.1", port=0, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    index = tmp_path_factory.mktemp("index")
    assert run_index([CORPUS], index).failed == 0
    server = serve(index)
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()


@pytest.fixture(scope="module")
def wide(tmp_path_factory):
    """Three pages of results, and an article whose title and text are a long URL."""
    tmp = tmp_path_factory.mktemp("wide")
    corpus = repeated_corpus(tmp)
    record = {"id": "long-url", "title": LONG_URL, "date": "2023-09-21"}
    record["text"] = f"Kremlin statement: the full text is at {LONG_URL}&ref=Kremlin and nowhere else."
    (corpus / "long-url.jsonl").write_text(json.dumps(record) + "\n")
    with without_stories():
        assert run_index([corpus], tmp / "index").failed == 0
    server = serve(tmp / "index")
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
    expect(page.locator(".chip", has_text="Date: 2023-09")).to_be_visible()
    assert shown(page) == ["004"]

    page.get_by_role("link", name="Remove filter Person: Vladimir Putin").click()
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


def test_toggle_off_a_date_range_and_page_numbers(wide, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(wide + "/?q=Kremlin")
    putin = page.locator("aside a[data-facet=actor]", has_text="Vladimir Putin")
    putin.click()
    expect(page.locator(".chip", has_text="Person: Vladimir Putin")).to_be_visible()
    expect(putin).to_have_attribute("aria-current", "true")
    putin.click()  # a second click turns the filter off
    expect(page.locator(".chip")).to_have_count(0)
    assert "actor=" not in page.url

    page.get_by_label("Since").fill("2023-09")
    page.get_by_label("Until").fill("2023-09-20")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator(".chip", has_text="Since 2023-09")).to_be_visible()
    expect(page.locator(".chip", has_text="Until 2023-09-20")).to_be_visible()
    assert "q=Kremlin" in page.url
    expect(page.locator("#time-heading")).to_have_text("By day")
    assert all(d <= "2023-09-20" for d in page.locator("li.hit time").evaluate_all("els => els.map(e => e.dateTime)"))

    page.goto(wide + "/?actor=Armenia")
    page.get_by_role("link", name="Page 3").click()
    page.wait_for_url("**/?actor=Armenia&page=3")
    expect(page.locator("nav.pager [aria-current=page]")).to_have_text("3")
    assert page.locator("li.hit").count() == 45 - 40


#: Every kind of page: home, results, filtered, article, empty, 400, 404 and an actor list.
PAGES = [
    "/",
    "/?q=Kremlin",
    "/?q=Kremlin&actor=Vladimir+Putin&lang=fr&since=2023-09",
    "/article/0-004_fcc0568d9e52dacc.txt?q=Kremlin",
    "/?q=zzzzqx",
    "/?q=Kremlin&sort=foo",
    "/nowhere",
    "/actors/people?q=Kremlin&name=put",
]


@pytest.mark.parametrize("width", [1280, 390])
def test_no_serious_accessibility_violation_and_no_sideways_scrolling(wide, browser, width):
    assert AXE.exists(), f"{AXE} is missing: run npm install beside pyproject.toml"
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    page = context.new_page()
    found = []
    for path in PAGES:
        page.goto(wide + path)
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate("async () => (await axe.run()).violations")
        found += [
            f"{path} at {width}px: {v['id']} ({v['impact']}): {v['nodes'][0]['target']}"
            for v in violations
            if v["impact"] in ("serious", "critical")
        ]
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            found.append(f"{path} at {width}px scrolls sideways ({scroll}px)")
    context.close()
    assert not found, "\n".join(found)


def test_a_long_url_stays_in_its_column(wide, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(wide + "/?q=" + "segment007")
    title = page.locator("li.hit h2").first
    assert title.evaluate("e => e.scrollWidth <= e.clientWidth"), "the title runs out of its column"
    assert title.bounding_box()["x"] + title.bounding_box()["width"] <= page.locator("aside.facets").bounding_box()["x"]
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_skip_to_filters_is_the_second_tab_stop(server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server + "/?q=Kremlin")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Skip to filters")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#refine') !== null")
    bar = page.evaluate("getComputedStyle(document.activeElement.querySelector('.hit-area')).stroke")
    assert bar == "rgb(194, 65, 12)"  # a focused bar is outlined in the focus colour
    for _ in range(200):  # on to the first link of a list
        if page.evaluate("document.activeElement.matches('.facet li a')"):
            break
        page.keyboard.press("Tab")
    ring = page.evaluate("getComputedStyle(document.activeElement).outlineColor")
    assert ring == "rgb(194, 65, 12)"  # the focus ring colour, 5:1 on white
