"""Accessibility, measured (issue 23): the pages of the four journeys — a school coordinator,
a curator, regional and municipal staff — at a desktop (1366×900) and a phone (390×844) size.

On every page: axe-core finds no violation of impact «serious» or «critical» (WCAG 2.1 A/AA
rules: names and labels, contrast, structure), the document is ``lang="ru"`` with a skip link
to ``#main``; at the phone size no element sticks out past the right edge of the viewport
unless it sits inside a region made to scroll sideways (``.table-wrap`` or any box with
``overflow-x: auto|scroll``), and no table but a matrix (``table--matrix``, which keeps a
sticky first column and a scroll cue) scrolls sideways — the others have become cards
(static/js/tables.js), so no column and no action button is cut off unseen. One page checks
that keyboard focus is visible on the skip link, a link and a button.

axe-core is the npm package pinned in tests/assets/package-lock.json (``make test`` runs
scripts/ensure-node-deps.sh); its file is injected from node_modules, nothing is fetched.
The contexts bypass CSP only so that the injected script may run (tests/e2e/test_csp.py
checks the policy itself).
"""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .conftest import login, shot

pytestmark = pytest.mark.e2e

AXE = Path(__file__).resolve().parents[1] / "assets" / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"

#: Each role's key pages: its lists and boards (opened by path) …
PAGES = {
    "pervomayskaya.school": [
        "/", "/notifications/", "/profile/", "/profile/password/", "/schools/", "/risks/",
        "/documents/", "/documents/plans/", "/documents/plans/overdue/", "/training/",
        "/training/routes/", "/training/staff/", "/contests/", "/contests/bank/",
    ],
    "lastovyrya": [
        "/", "/notifications/", "/profile/", "/schools/", "/risks/", "/risks/matrix/",
        "/documents/", "/curators/queue/", "/documents/plans/", "/documents/plans/overdue/",
        "/curators/log/", "/curators/expertise/", "/curators/report/", "/methodists/",
        "/training/",
    ],
    "rostov.region": [
        "/", "/profile/", "/schools/", "/monitoring/", "/curators/", "/risks/",
        "/risks/distribution/", "/risks/matrix/", "/documents/", "/curators/queue/",
        "/documents/plans/", "/documents/plans/overdue/", "/documents/plans/schedule/",
        "/curators/log/", "/curators/expertise/", "/methodists/", "/training/coverage/",
        "/contests/", "/schools/imports/", "/audit/",
    ],
    "shakhty.mun": [
        "/", "/profile/", "/schools/", "/monitoring/", "/curators/assignments/", "/risks/",
        "/documents/", "/documents/plans/", "/documents/plans/overdue/", "/methodists/",
        "/training/", "/contests/",
    ],
}
#: … and the first object page of each kind linked from them (a school, its checklist, a
#: document, a risk profile, a plan and its measure, an expertise sheet, a person).
DETAILS = [
    rf"^/schools/{UUID}/$",
    rf"^/documents/schools/{UUID}/\d{{4}}/$",
    rf"^/documents/{UUID}/$",
    rf"^/risks/{UUID}/$",
    rf"^/documents/plans/{UUID}/$",
    rf"^/documents/plans/items/{UUID}/$",
    rf"^/curators/expertise/{UUID}/\d{{4}}/$",
    rf"^/curators/people/{UUID}/$",
    rf"^/training/staff/{UUID}/$",
]
MAX_PAGES = 25

AXE_JS = """async tags => {
  const r = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                     resultTypes: ['violations']});
  return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => `${v.impact} ${v.id} (${v.help}): ` +
              v.nodes.slice(0, 4).map(n => n.target.join(' ')).join(' | ') +
              (v.nodes.length > 4 ? ` … ${v.nodes.length} nodes` : ''));
}"""

#: Elements whose right edge passes the viewport, outside a sideways-scrolling region
#: (outermost offender only, named by a short selector path).
OVERFLOW_JS = """vw => {
  const body = document.body, found = [];
  const scrolls = el => el.classList.contains('table-wrap')
      || ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
  const inScroller = el => {
    for (let a = el.parentElement; a && a !== body; a = a.parentElement) {
      if (scrolls(a)) return true;
    }
    return false;
  };
  const sticks = el => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.right > vw + 1 && !inScroller(el)
        && el.checkVisibility({visibilityProperty: true, opacityProperty: true});
  };
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
      [...el.classList].slice(0, 2).map(c => '.' + c).join('');
  for (const el of body.querySelectorAll('*')) {
    if (!sticks(el)) continue;
    const p = el.parentElement;
    if (p !== body && sticks(p)) continue;  // the parent is reported instead
    const path = [p && p.parentElement, p, el].filter(a => a && a !== body && body.contains(a));
    const right = Math.round(el.getBoundingClientRect().right);
    found.push(`${path.map(name).join(' > ')} (right ${right}px)`);
  }
  return found;
}"""

#: On a phone only a matrix may scroll sideways: any other table that does not fit has become
#: cards (static/js/tables.js), so no column — nor its action buttons — is cut off unseen.
SCROLLING_TABLES_JS = """vw => [...document.querySelectorAll('table')]
  .filter(t => t.getBoundingClientRect().width > 0 && !t.classList.contains('table--matrix'))
  .filter(t => t.getBoundingClientRect().right > vw + 1
               || (t.parentElement.scrollWidth > t.parentElement.clientWidth + 1))
  .map(t => 'table' + [...t.classList].map(c => '.' + c).join('') + ' under ' +
            (t.closest('[aria-label]') || t.parentElement).getAttribute('aria-label'))"""

SHELL_JS = """() => ({
  lang: document.documentElement.lang,
  skip: !!document.querySelector('a.skip-link[href="#main"]') && !!document.getElementById('main'),
})"""


def _context(browser, viewport, base_url, username):
    phone = viewport["width"] < 600
    context = browser.new_context(locale="ru-RU", viewport=viewport, is_mobile=phone,
                                  has_touch=phone, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    login(page, base_url, username)
    page.wait_for_url(f"{base_url}/")
    return page


def _links(page):
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(a => a.href)")
    return [urlsplit(h).path for h in hrefs]


def _audit(page, url, *, phone):
    response = page.goto(url, wait_until="load")
    assert response is not None and response.status == 200, (url, response and response.status)
    problems = []
    shell = page.evaluate(SHELL_JS)
    if shell["lang"] != "ru":
        problems.append(f'<html lang="{shell["lang"]}">, not "ru"')
    if not shell["skip"]:
        problems.append("no skip link to #main")
    page.add_script_tag(path=str(AXE))
    problems += [f"axe {v}" for v in page.evaluate(AXE_JS, AXE_TAGS)]
    if phone:
        problems += [f"overflow {o}" for o in page.evaluate(OVERFLOW_JS, PHONE["width"])]
        problems += [f"scrolls sideways, not a matrix: {t}"
                     for t in page.evaluate(SCROLLING_TABLES_JS, PHONE["width"])]
    return problems


def _journey(browser, base_url, username):
    """Every problem found on the role's pages, by page and size; and the paths opened."""
    desk = _context(browser, DESKTOP, base_url, username)
    phone = _context(browser, PHONE, base_url, username)
    queue, seen, found = list(PAGES[username]), [], {}
    details = list(DETAILS)
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.append(path)
        for label, page, is_phone in (("1366", desk, False), ("390", phone, True)):
            problems = _audit(page, base_url + path, phone=is_phone)
            if problems:
                found[f"{username} {path} at {label}px"] = problems
        for link in _links(desk):
            for pattern in details:
                if re.match(pattern, link):
                    details.remove(pattern)
                    queue.append(link)
                    break
    slug = username.split(".")[0]
    for label, page in (("desktop", desk), ("phone", phone)):
        page.goto(base_url + "/")
        shot(page, f"a11y-{slug}-home-{label}")
    desk.context.close()
    phone.context.close()
    return found, seen


def test_journey_pages_pass_axe_and_fit_a_phone(demo_site, browser):
    """One demo load for the four roles (it is the slow part); every failure is listed."""
    found, views = {}, 0
    for username in PAGES:
        problems, seen = _journey(browser, demo_site.url, username)
        found.update(problems)
        views += 2 * len(seen)
        # the object pages were found and opened, not only the lists
        assert len(seen) >= len(PAGES[username]) + 2, (username, seen)
    report = "\n".join(f"{where}:\n  " + "\n  ".join(p) for where, p in found.items())
    assert not found, f"{len(found)} of {views} page views fail:\n{report}"


def test_keyboard_focus_is_visible_on_links_and_buttons(demo_site, browser):
    page = _context(browser, DESKTOP, demo_site.url, "lastovyrya")
    page.goto(demo_site.url + "/curators/log/")  # the filter form has a button near the top
    outlines = {}
    for _ in range(120):
        page.keyboard.press("Tab")
        info = page.evaluate("""() => {
          const el = document.activeElement, s = getComputedStyle(el);
          return {tag: el.tagName.toLowerCase(), skip: el.classList.contains('skip-link'),
                  visible: el.matches(':focus-visible'), style: s.outlineStyle,
                  width: parseFloat(s.outlineWidth) || 0};
        }""")
        kind = "skip link" if info["skip"] else info["tag"]
        if kind in ("skip link", "a", "button") and kind not in outlines:
            outlines[kind] = info
        if {"skip link", "a", "button"} <= outlines.keys():
            break
    page.context.close()
    assert {"skip link", "a", "button"} <= outlines.keys(), outlines
    for kind, info in outlines.items():
        assert info["visible"] and info["style"] != "none" and info["width"] >= 2, (kind, info)
