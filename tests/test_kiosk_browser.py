"""The kiosk in a real Chromium (Debian's chromium, driven by Playwright), as a resident uses it.

Run on their own with `python3 -m pytest -m browser`. Screenshots go to build/screenshots/.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import axe_playwright_python
import material
import pytest
from browser import LANDSCAPE, PORTRAIT, tap, type_keys
from conftest import ROOT

from kiosk.site import stylesheet

pytestmark = pytest.mark.browser
AXE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text("utf-8")
SHOTS = ROOT / "build" / "screenshots"


@pytest.fixture
def page(browser, site_url):
    p = browser.page(PORTRAIT)
    yield p
    assert p.errors == [], p.errors
    p.context.close()


def results(page) -> list[str]:
    return [a.get_attribute("href") for a in page.locator("#kiosk-results a").all()]


def test_tap_through_home_topic_matter_and_back(page, site_url):
    page.goto(site_url)
    start = page.evaluate("history.length")
    tap(page, 'a.k-tile:has-text("社会救助")')
    assert page.url == site_url + "topics/shehui-jiuzhu/"
    tap(page, 'a.k-card:has-text("最低生活保障审核确认")')
    assert page.url == site_url + "matters/dibao-apply/"
    assert page.locator("h1").inner_text() == "最低生活保障审核确认"
    assert page.locator(".n-phone").inner_text() == "0745-0000103"
    tap(page, '[data-kiosk="back"]')
    assert page.url == site_url + "topics/shehui-jiuzhu/"
    tap(page, '[data-kiosk="home"]')
    assert page.url == site_url
    assert page.evaluate("history.length") == start, "kiosk navigation leaves no history behind"


@pytest.mark.parametrize(
    "letters, matter",
    [
        ("db", "dibao-apply"),  # initials of 低保
        ("dibao", "dibao-apply"),  # full pinyin
        ("gaifangzi", "zhaijidi-apply"),  # 俗称 盖房子
        ("kzm", "juzhu-zhengming"),  # 俗称 开证明, initials
        ("kaizhengming", "juzhu-zhengming"),
        ("wubao", "tekun-apply"),  # 五保
        ("yanglaojin", "yanglao-daiyu"),  # 养老金
        ("zhunshengzheng", "shengyu-dengji"),  # 准生证
    ],
)
def test_keyboard_finds_a_matter_in_the_first_three(page, site_url, letters, matter):
    page.goto(site_url + "search/")
    type_keys(page, letters)
    assert page.locator("#kiosk-query").input_value() == letters
    found = results(page)[:3]
    assert f"../matters/{matter}/" in found, found
    tap(page, f'#kiosk-results a[href="../matters/{matter}/"]')
    assert page.url == site_url + f"matters/{matter}/"


def test_candidates_update_with_each_key_and_back_and_clear_keys(page, site_url):
    page.goto(site_url + "search/")
    type_keys(page, "d")
    after_one = results(page)
    type_keys(page, "b")
    assert results(page) != after_one
    page.locator('[data-key="back"]').tap()
    assert page.locator("#kiosk-query").input_value() == "d"
    page.locator('[data-key="clear"]').tap()
    assert page.locator("#kiosk-query").input_value() == ""
    assert results(page) == []


def test_common_word_chip_and_typed_chinese(page, site_url):
    page.goto(site_url + "search/")
    page.locator('.k-chip:has-text("低保")').tap()
    assert "../matters/dibao-apply/" in results(page)[:3]
    page.goto(site_url + "search/")
    found = page.evaluate("kiosk.search(KIOSK_INDEX, '盖房子').map(e => e.id)")
    assert "zhaijidi-apply" in found[:3]


def test_no_result_offers_staff_and_12345(page, site_url):
    page.goto(site_url + "search/")
    type_keys(page, "qqqx")
    assert results(page) == []
    none = page.locator("#kiosk-noresult")
    assert none.is_visible()
    assert none.locator("text=找工作人员").is_visible()
    assert none.locator("text=12345").is_visible()


def test_typed_chinese_from_a_hardware_keyboard_and_input_method(page, site_url):
    """Staff with a keyboard and an input method type into the same box; the on-screen keys still work."""
    page.goto(site_url + "search/")
    box = page.locator("#kiosk-query")
    assert box.get_attribute("inputmode") == "none", "a tap does not pop up the system keyboard"
    box.fill("宅基地")
    assert "../matters/zhaijidi-apply/" in results(page)[:3]
    page.locator('[data-key="back"]').tap()
    assert box.input_value() == "宅基"


def test_idle_countdown_then_back_home_with_nothing_left(browser, site_url):
    page = browser.page(PORTRAIT)
    page.clock.install()
    page.goto(site_url + "matters/dibao-apply/")
    start = page.evaluate("history.length")
    page.locator('[data-kiosk="large"]').tap()
    page.goto(site_url + "search/")
    type_keys(page, "db")
    # the kiosk's listener (capture, on window) has seen the scroll once this one (bubbling) has: only then is
    # time moved on
    page.evaluate("window.__scrolled = false; addEventListener('scroll', () => { window.__scrolled = true; })")
    page.evaluate("window.scrollTo(0, 400)")
    page.wait_for_function("window.scrollY > 0 && window.__scrolled")
    overlay = page.locator("#kiosk-idle")
    page.clock.fast_forward(119_000)
    assert overlay.is_hidden()
    page.clock.fast_forward(2_000)
    assert overlay.is_visible()
    assert int(page.locator("#kiosk-countdown").inner_text()) >= 20
    assert page.locator('[data-kiosk="continue"]').bounding_box()["height"] >= 60
    page.locator('[data-kiosk="continue"]').tap()
    assert overlay.is_hidden()
    assert page.locator("#kiosk-query").input_value() == "db", "继续使用 keeps the visitor's state"
    page.clock.fast_forward(121_000)
    assert overlay.is_visible()
    for _ in range(31):
        page.clock.fast_forward(1_000)
    page.wait_for_url(site_url)
    page.wait_for_load_state()
    assert page.evaluate("sessionStorage.length + localStorage.length") == 0
    assert page.evaluate("window.scrollY") == 0
    assert not page.evaluate("document.documentElement.classList.contains('k-large')")
    assert page.evaluate("history.length") <= start + 1  # the one page.goto of the test itself
    page.goto(site_url + "search/")
    assert page.locator("#kiosk-query").input_value() == ""
    page.context.close()


def test_qr_codes_on_a_matter_page_scan_to_their_captions(page, site_url, tmp_path):
    """What a phone held to the screen reads: each code decoded (zbarimg) from a screenshot."""
    page.goto(site_url + "matters/dibao-apply/")
    figures = page.locator(".k-qr-list figure")
    assert figures.count() == 4
    rows = {round(figures.nth(i).bounding_box()["y"]) for i in range(4)}
    assert len(rows) <= 2, "the codes sit side by side, not in one long column"
    read = {}
    for i in range(4):
        figure = figures.nth(i)
        shot = tmp_path / f"qr{i}.png"
        box = figure.locator(".qr").bounding_box()
        assert box["width"] >= 120, "big enough to scan from the screen"
        figure.locator(".qr").screenshot(path=str(shot))
        out = subprocess.run(
            ["zbarimg", "-q", "--raw", "-Sdisable", "-Sqrcode.enable", str(shot)], capture_output=True, text=True
        )
        read[figure.locator("figcaption").inner_text()] = out.stdout.strip()
    assert read == {
        "这个事项（带回家看）": "https://bmfw.example.org/dahepingxiang/matters/dibao-apply/",
        "12345 热线": "https://12345.example.org/",
        "投诉渠道": "https://bmfw.example.org/dahepingxiang/complaints/",
        "政务服务好差评": "https://hcp.example.org/",
    }


def test_outside_link_shows_a_qr_and_a_phone_number_is_to_call(page, site_url, browser):
    page.goto(site_url + "complaints/")
    outside_before = len(browser.outside)
    page.locator('a:has-text("网上投诉")').tap()
    qr = page.locator("#kiosk-qr")
    assert qr.is_visible()
    assert page.locator("#kiosk-qr-title").inner_text() == "请用手机扫码打开"
    assert qr.locator("img.qr-big").count() == 1
    assert qr.locator("img.qr-big").bounding_box()["width"] >= 200, "big enough to scan from a phone"
    assert "https://12345.example.org/" in qr.inner_text()
    assert page.url == site_url + "complaints/"
    page.locator('[data-kiosk="close"]').tap()
    assert qr.is_hidden()
    page.locator('.k-helpbar [data-kiosk="hotline"]').tap()  # 12345: a number to call, and its web channel
    assert qr.is_visible() and page.locator("#kiosk-qr-title").inner_text() == "请用手机拨打"
    assert qr.locator(".k-call").inner_text() == "12345"
    assert qr.inner_text().count("拨打") == 1, "said once, in the title"
    assert qr.locator("img.qr-big").count() == 1, "the 12345 web channel to scan"
    page.locator('[data-kiosk="close"]').tap()
    page.locator('a[href^="tel:0745"]').first.tap()  # a phone number on a page: to call, never to scan
    assert page.locator("#kiosk-qr-title").inner_text() == "请用手机拨打"
    assert qr.locator("img.qr-big").count() == 0
    assert page.url == site_url + "complaints/"
    assert len(browser.outside) == outside_before


def all_pages(built_site) -> list[str]:
    return sorted(p.parent.relative_to(built_site).as_posix() + "/" for p in built_site.rglob("index.html"))


def test_no_request_leaves_127_0_0_1_on_any_page(browser, built_site, site_url):
    page = browser.page(LANDSCAPE)
    before = len(browser.outside)
    for path in all_pages(built_site):
        path = "" if path == "./" else path
        page.goto(site_url + path)
        page.wait_for_load_state("networkidle")
        assert page.locator('[data-kiosk="large"]').count() == 1, f"{path}: no large-text switch"
        assert page.locator(".k-helpbar").inner_text().split() == ["返回", "回首页", "找工作人员", "12345", "大字"]
    assert browser.outside[before:] == []
    assert page.errors == []
    page.context.close()


A11Y_PAGES = ["", "topics/shehui-jiuzhu/", "matters/dibao-apply/", "search/", "complaints/", "unresolved/"]


@pytest.mark.parametrize("path", A11Y_PAGES)
def test_axe_finds_no_serious_violation(page, site_url, path):
    page.goto(site_url + path)
    if path == "search/":
        type_keys(page, "db")
    page.add_script_tag(content=AXE)
    report = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    bad = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in report["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert bad == []
    enhanced = page.evaluate("axe.run(document.querySelector('article'), {runOnly: ['color-contrast-enhanced']})")
    assert [v["nodes"][0]["target"] for v in enhanced["violations"]] == [], "body text under 7:1"


@pytest.mark.parametrize(
    "path",
    ["", "matters/dibao-apply/", "search/", "complaints/", "rules/", "help/", "proxy/", "unresolved/", "lists/all/"],
)
def test_touch_targets_are_at_least_60_px(page, site_url, path):
    page.goto(site_url + path)
    small = page.evaluate("""() => [...document.querySelectorAll(
        'article a, article button, article summary, .k-helpbar a, .k-helpbar button, .md-header a, .md-header label')]
      .filter(e => e.offsetParent !== null)
      .map(e => [e.textContent.trim().slice(0, 20), e.getBoundingClientRect()])
      .filter(([, r]) => r.width < 60 || r.height < 60)
      .map(([t, r]) => `${t} ${Math.round(r.width)}x${Math.round(r.height)}`)""")
    assert small == []


TEXT_SIZES = """() => {
  const shown = [...document.querySelectorAll('article *')].filter(e => e.offsetParent !== null
    && [...e.childNodes].some(n => n.nodeType === Node.TEXT_NODE && n.textContent.trim()));
  const size = e => parseFloat(getComputedStyle(e).fontSize);
  const said = e => `${e.tagName.toLowerCase()}.${e.className} ${size(e)}px ${e.textContent.trim().slice(0, 16)}`;
  const body = e => e.matches('p, li, dd, td') && !e.closest('.n-badges, figcaption');
  return {
    small: shown.filter(e => size(e) < 20).map(said),
    body: shown.filter(e => body(e) && size(e) < 24).map(said),
  };
}"""


@pytest.mark.parametrize("viewport", [PORTRAIT, LANDSCAPE], ids=["portrait", "landscape"])
def test_no_text_is_small_and_body_text_is_18_pt(browser, site_url, viewport):
    """The elderly-friendly rule (body text at least 18 pt, 24 px), on every kind of kiosk page with every
    fold opened: body text (paragraphs, list items, definitions, table cells) at least 24 px, and nothing
    (labels, badges, captions, the plain word's legal term) under 20 px."""
    page = browser.page(viewport)
    for path in [*A11Y_PAGES, "matters/xiangcun-guihua/", "help/", "proxy/", "rules/", "lists/all/"]:
        page.goto(site_url + path)
        for fold in page.locator("article details summary").all():
            fold.tap()
        found = page.evaluate(TEXT_SIZES)
        assert found == {"small": [], "body": []}, path
    page.context.close()


@pytest.mark.parametrize("viewport", [PORTRAIT, LANDSCAPE], ids=["portrait", "landscape"])
@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
def test_no_horizontal_scrolling(browser, site_url, viewport, large):
    page = browser.page(viewport)
    for path in ["", "topics/jianfang/", "matters/zhaijidi-apply/", "search/", "help/", "complaints/"]:
        page.goto(site_url + path)
        if large:
            page.locator('[data-kiosk="large"]').tap()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
    page.context.close()


def test_large_text_switch_makes_text_larger(page, site_url):
    page.goto(site_url + "matters/dibao-apply/")
    size = "parseFloat(getComputedStyle(document.querySelector('.n-summary')).fontSize)"
    normal = page.evaluate(size)
    assert normal >= 24  # 18 pt
    page.locator('[data-kiosk="large"]').tap()
    assert page.evaluate(size) >= normal * 1.25
    assert page.locator('[data-kiosk="large"]').get_attribute("aria-pressed") == "true"
    tap(page, '.k-helpbar a:has-text("回首页")')
    assert page.evaluate("document.documentElement.classList.contains('k-large')"), "kept while the visitor stays"


@pytest.mark.parametrize("viewport", [PORTRAIT, LANDSCAPE], ids=["portrait", "landscape"])
def test_screenshots_for_a_person_to_look_at(browser, site_url, viewport):
    SHOTS.mkdir(parents=True, exist_ok=True)
    name = "portrait" if viewport == PORTRAIT else "landscape"
    page = browser.page(viewport)
    for path, stem in [("", "home"), ("matters/dibao-apply/", "matter"), ("search/", "search")]:
        page.goto(site_url + path)
        if stem == "search":
            type_keys(page, "db")
        page.wait_for_load_state("networkidle")
        shot = SHOTS / f"{stem}-{name}.png"
        page.screenshot(path=str(shot))
        assert shot.stat().st_size > 20_000
    page.context.close()


GUIDE_ELEMENTS = [  # (page, part of the notice, what it shows)
    ("matters/dibao-apply/", ".n-where", "own-phones"),
    ("matters/dibao-apply/", ".n-time", "stage-limits"),
    ("matters/xiangcun-guihua/", ".n-materials", "material-sets"),
    ("matters/xiangcun-guihua/", ".n-time", "limits-by-applicant"),
    ("matters/gaoling-jintie/", ".n-standards", "benefit-table"),
    ("matters/bingyi-dengji/", ".n-online", "online-qr"),
    ("matters/linmu-caifa/", ".n-time", "unstated"),
]


@pytest.mark.parametrize("viewport", [PORTRAIT, LANDSCAPE], ids=["portrait", "landscape"])
def test_screenshots_of_what_real_guides_say(browser, site_url, viewport):
    """The elements of real guides as a resident sees them: build/screenshots/guide-<element>-<orientation>.png."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    name = "portrait" if viewport == PORTRAIT else "landscape"
    page = browser.page(viewport)
    for path, part, stem in GUIDE_ELEMENTS:
        page.goto(site_url + path)
        section = page.locator(part)
        assert section.count() == 1, (path, part)
        shot = SHOTS / f"guide-{stem}-{name}.png"
        section.screenshot(path=str(shot))
        assert shot.stat().st_size > 5_000
    page.context.close()


# ---------------------------------------------------------------- a lighter page: what the theme's files did


THEME_CSS = next((Path(material.__file__).parent / "templates" / "assets" / "stylesheets").glob("main.*.min.css"))
# the parts below the first screen are laid out as they come near it (content-visibility: auto), which takes a
# few frames to settle after a page loads or changes: compare once the page's height has stood for three frames
SETTLED = """() => new Promise(done => {
  let last = -1, same = 0;
  const frame = () => {
    const h = document.documentElement.scrollHeight;
    same = h === last ? same + 1 : 0;
    last = h;
    if (same >= 3) done(); else requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
})"""
STYLES = """() => [...document.querySelectorAll('html, body, body *')].flatMap((e, i) => [null, '::before', '::after'].map(p => {
  const s = getComputedStyle(e, p), own = {};
  for (const name of s) if (!name.startsWith('--')) own[name] = s.getPropertyValue(name);  // what shows
  return [i + ' ' + e.tagName + '.' + e.className + (p || ''), JSON.stringify(own)];
}))"""
EVERYTHING_SHOWN = """() => {
  const still = document.createElement('style');  // what changes now is compared where it ends, not half way
  still.textContent = '*, ::before, ::after { transition: none !important; }';
  document.head.appendChild(still);
  document.querySelector('[data-kiosk="large"]').click();
  document.querySelectorAll('[hidden]').forEach(e => { e.hidden = false; });  // dialogs, the attract screen
  document.querySelectorAll('details').forEach(d => { d.open = true; });
}"""


@pytest.mark.parametrize("path", ["", "matters/dibao-apply/", "search/", "no-such-page/"])
def test_the_cut_stylesheet_styles_every_element_as_the_themes_whole_one(browser, site_url, path):
    """Every element (and its ::before and ::after) of a page, as loaded and with everything shown (大字, every
    dialog, folded parts open), has the same computed style with the stylesheet the build cut from the
    theme's (kiosk.site.stylesheet) as with the theme's whole stylesheet in its place."""
    whole = THEME_CSS.read_text("utf-8")
    seen = {}
    for theirs in (False, True):
        page = browser.page(PORTRAIT, reduced_motion="reduce")  # the attract screen's slow breath stands still
        if theirs:
            page.route("**/" + stylesheet.NAME, lambda r: r.fulfill(status=200, content_type="text/css", body=whole))
        page.goto(site_url + path)
        if path == "search/":
            type_keys(page, "db")
            # a tapped key stays :active a moment (Blink holds it at least 0.15 s after a tap): compare at rest
            page.wait_for_function("() => document.querySelector(':active') === null")
        page.wait_for_load_state("networkidle")  # the search page asks whether handwriting is read here
        page.evaluate(SETTLED)
        seen[theirs, "loaded"] = page.evaluate(STYLES)
        page.evaluate(EVERYTHING_SHOWN)
        page.evaluate(SETTLED)
        seen[theirs, "shown"] = page.evaluate(STYLES)
        assert page.errors == []
        page.context.close()
    for state in ("loaded", "shown"):
        ours, theirs = dict(seen[False, state]), dict(seen[True, state])
        assert ours.keys() == theirs.keys()
        differ = [name for name in ours if ours[name] != theirs[name]]
        assert differ == [], f"{state}: {differ[:5]}"
