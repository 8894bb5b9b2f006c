"""What every journey does on every page: a screenshot, axe-core, and the few gestures they share."""

from __future__ import annotations

import datetime
import io
import json
import re
import shutil
import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

    from tests.e2e.conftest import LiveSystem

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
AXE_PATH = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# What fails a journey; "moderate" and "minor" findings are reported in test-artifacts/axe/.
BLOCKING_IMPACTS = {"serious", "critical"}
# WCAG 2.2 A and AA, and axe's best practices.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
TICKET = re.compile(r"\d{4}/\d{8}/\d{2}")
# Phone widths (WCAG 2.2 reflow is 320 CSS px; 375 px is a common phone): each distinct page is checked once
# at each, axe-core at the first, and a screenshot kept at the last.
NARROW_WIDTHS = (375, 320)
# The pages already checked narrow in this run, by path with its numbers blanked (one ticket's page
# stands for every ticket's).
_narrow_checked: set[str] = set()
_PAGE_WIDTH = "() => [document.scrollingElement.scrollWidth, window.innerWidth]"
# The elements that reach past the right edge (not those inside a region that scrolls on its own).
_TOO_WIDE = """w => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > w + 1 && !e.closest('.table-scroll *'))
  .slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""

_axe_source: str | None = None


def axe_source() -> str:
    global _axe_source
    if _axe_source is None:
        _axe_source = AXE_PATH.read_text(encoding="utf-8")
    return _axe_source


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


class Journey:
    """One user's way through the service, in one browser context."""

    def __init__(self, page: Page, name: str, system: LiveSystem, *, javascript: bool = True) -> None:
        self.page = page
        self.name = name
        self.system = system
        self.javascript = javascript
        self.step = 0
        self.pages_checked: list[dict[str, Any]] = []
        self.console_errors: list[str] = []
        # The page's documents, requested and shown, in order: on a failure, which navigation was under way.
        self.navigations: list[str] = []
        self._started = time.monotonic()
        self.directory = ARTIFACTS / "screenshots" / name
        shutil.rmtree(self.directory, ignore_errors=True)
        self.directory.mkdir(parents=True)
        page.on("console", self._console)
        page.on("request", self._request)
        page.on("framenavigated", self._navigated)

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)

    def _note(self, text: str) -> None:
        self.navigations.append(f"{time.monotonic() - self._started:8.3f} s  {text}")

    def _request(self, request: Any) -> None:
        if request.resource_type == "document" and request.frame == self.page.main_frame:
            self._note(f"request {request.method} {request.url}")

    def _navigated(self, frame: Any) -> None:
        if frame == self.page.main_frame:
            self._note(f"shown {frame.url}")

    # --- on every page ---------------------------------------------------------------------------------

    def shot(self, label: str) -> Path:
        self.step += 1
        path = self.directory / f"{self.step:02d}-{_slug(label)}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def check(self, label: str) -> None:
        """A screenshot, then axe-core on the page as it is: no serious or critical violation, no
        script refused by the Content Security Policy. The first time a page is seen in the run, the
        same again at phone widths (``check_narrow``)."""
        self.shot(label)
        csp = [text for text in self.console_errors if "Content Security Policy" in text]
        assert not csp, f"{label}: the page broke its Content Security Policy: {csp}"
        if self.javascript:
            self._axe(label)
        key = re.sub(r"\d+", "#", urlsplit(self.page.url).path)
        if key not in _narrow_checked:
            _narrow_checked.add(key)
            self.check_narrow(label)

    def check_narrow(self, label: str) -> None:
        """The page at each of NARROW_WIDTHS: nothing scrolls sideways (WCAG 2.2 reflow), axe-core at
        the first width finds nothing serious, a screenshot at the last; then the journey's own width."""
        page = self.page
        wide = page.viewport_size or {"width": 1100, "height": 900}
        try:
            for index, width in enumerate(NARROW_WIDTHS):
                page.set_viewport_size({"width": width, "height": 800})
                scroll_width, inner_width = page.evaluate(_PAGE_WIDTH)
                if scroll_width > inner_width:
                    self.shot(f"{label}-{width}px-too-wide")
                    wide_elements = page.evaluate(_TOO_WIDE, inner_width)
                    raise AssertionError(
                        f"{label} ({page.url}) scrolls sideways at {width} CSS px ({scroll_width} px wide): "
                        f"{wide_elements}"
                    )
                if index == 0 and self.javascript:
                    self._axe(f"{label}-{width}px")
            self.shot(f"{label}-{NARROW_WIDTHS[-1]}px")
        finally:
            page.set_viewport_size(wide)

    def _axe(self, label: str) -> None:
        self.page.evaluate(axe_source())
        result = self.page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
        violations = [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [{"target": n["target"], "why": n.get("failureSummary", "")} for n in v["nodes"]][
                    :10
                ],
            }
            for v in result["violations"]
        ]
        self.pages_checked.append(
            {"step": self.step, "label": label, "url": self.page.url, "violations": violations}
        )
        blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
        assert not blocking, f"{label} ({self.page.url}): axe-core found {json.dumps(blocking, indent=1)}"

    def save_navigations(self) -> Path:
        path = self.directory / "navigations.txt"
        path.write_text("\n".join(self.navigations) + "\n", encoding="utf-8")
        return path

    def save_report(self) -> None:
        if not self.pages_checked:
            return
        folder = ARTIFACTS / "axe"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{self.name}.json").write_text(json.dumps(self.pages_checked, indent=1), encoding="utf-8")

    # --- gestures --------------------------------------------------------------------------------------

    def goto(self, path: str) -> None:
        self.page.goto(self.system.url(path))

    def log_in(self, niss: str, label: str = "login") -> None:
        """On the identity provider's page: eID, the test citizen, PIN 1234."""
        page = self.page
        assert page.url.startswith(self.system.idp_url), page.url
        self.check(f"{label}-means")
        page.locator("a[data-means=eid]").click()
        self.check(f"{label}-eid")
        page.locator("select[name=niss]").select_option(niss)
        page.locator("input[name=pin]").fill("1234")
        page.locator("button[name=action][value=login]").click()
        page.wait_for_url(re.compile(re.escape(self.system.base_url)))

    def fill_date(self, name: str, value: datetime.date | str) -> None:
        day = value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)
        for index, part in enumerate((day.day, day.month, day.year)):
            self.page.locator(f"input[name={name}_{index}]").fill(str(part))

    def radio(self, name: str, value: str) -> Locator:
        return self.page.locator(f"input[type=radio][name={name}][value='{value}']")

    def reload_until(self, locator: Locator, tries: int = 30) -> None:
        """Reload the page until ``locator`` finds something (the task worker delivers in a moment)."""
        for _ in range(tries):
            if locator.count():
                return
            self.page.wait_for_timeout(500)
            self.page.reload()

    def title(self) -> str:
        return self.page.title()

    def pdf_text(self, href: str) -> str:
        """Download the PDF at ``href`` with the browser's session, check it is one, and return its text."""
        from pypdf import PdfReader

        answer = self.page.request.get(self.system.url(href) if href.startswith("/") else href)
        assert answer.status == 200, answer.status
        assert answer.headers["content-type"] == "application/pdf"
        body = answer.body()
        assert body.startswith(b"%PDF-")
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)

    def ebox_message(self, listed: str, *, heading: str, label: str = "ebox-message") -> str:
        """In the eBox: the message ``listed`` once the task worker has delivered it, opened (its heading
        contains ``heading``; checked as ``label``), and its document's text."""
        expect = _expect()
        message = self.page.get_by_role("link", name=listed)
        self.reload_until(message)
        expect(message.first).to_be_visible()
        self.check("ebox")
        message.first.click()
        expect(self.page.get_by_role("heading", level=1)).to_contain_text(heading)
        self.check(label)
        return self.pdf_text(self.page.locator("a[href$='/document']").get_attribute("href") or "")


def _expect() -> Any:
    """Playwright's ``expect``, imported when a journey runs (the journeys are skipped without it)."""
    from playwright.sync_api import expect

    return expect


# After a Tab: mark the focused element, and say whether its focus shows (None once the focus leaves
# the page's controls).
_TAB_STOP = """() => {
  const e = document.activeElement;
  if (!e || e === document.body || e.hasAttribute('data-tab-reached')) return null;
  e.setAttribute('data-tab-reached', '');
  const s = getComputedStyle(e);
  const visible = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none';
  return {visible, what: e.outerHTML.slice(0, 120), style: [s.outlineStyle, s.outlineWidth, s.boxShadow]};
}"""
# The visible controls that no Tab reached (a radio group counts as reached when one of its radios was).
_NOT_REACHED = """() => {
  const controls = [...document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])'
  )].filter(e => !e.disabled && e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden');
  const reachedGroups = new Set(controls.filter(e => e.type === 'radio' && e.hasAttribute('data-tab-reached'))
    .map(e => e.name));
  return controls.filter(e => !e.hasAttribute('data-tab-reached'))
    .filter(e => !(e.type === 'radio' && reachedGroups.has(e.name)))
    .map(e => e.outerHTML.slice(0, 120));
}"""

# Whether Enter on the focused control loads another document: a link elsewhere than into this page (no
# download, no new window), or a submit button of a form (not one that app.js sends by fetch).
_LEADS_AWAY = """() => {
  const e = document.activeElement;
  if (!e) return false;
  if (e.matches('a[href]')) {
    if (e.hasAttribute('download') || (e.target && e.target !== '_self')) return false;
    const [to, here] = [e.href, location.href].map(url => url.split('#')[0]);
    return !(e.hash && to === here);
  }
  return e.matches('button, input') && ['submit', 'image'].includes(e.type) && !!e.form
    && !e.form.hasAttribute('data-keepalive');
}"""


class Keyboard:
    """Only the keys a keyboard user presses: Tab to move, Enter and Space to act, arrows in groups."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def _active(self, locator: Locator) -> bool:
        return bool(locator.evaluate("element => element === document.activeElement"))

    def focus(self, locator: Locator, *, max_tabs: int = 80) -> None:
        """Tab until ``locator`` has the focus, which must be visible."""
        self._tab_to(locator, "Tab", max_tabs)

    def _tab_to(self, locator: Locator, key: str, max_tabs: int) -> None:
        locator.wait_for(state="attached")
        # The page's stylesheet applied (its focus style among it), as a person sees the page before acting.
        self.page.wait_for_load_state("load")
        for _ in range(max_tabs):
            self.page.keyboard.press(key)
            if self._active(locator):
                self.assert_focus_visible(locator)
                return
        raise AssertionError(f"{key} never reached {locator}")

    def assert_focus_visible(self, locator: Locator) -> None:
        style = locator.evaluate(
            "e => { const s = getComputedStyle(e); return [s.outlineStyle, s.outlineWidth, s.boxShadow]; }"
        )
        outline, width, shadow = style
        assert (outline != "none" and float(width.rstrip("px") or 0) >= 2) or shadow != "none", (
            f"no visible focus on {locator}: {style}"
        )

    def tab_through(self, label: str, *, max_tabs: int = 200) -> int:
        """Tab from where the focus is to the end of the page: every visible control must get the focus
        (a radio group once), each time with a visible focus style. Returns how many stops there were."""
        self.page.evaluate(
            "() => document.querySelectorAll('[data-tab-reached]')"
            ".forEach(e => e.removeAttribute('data-tab-reached'))"
        )
        stops = 0
        for _ in range(max_tabs):
            self.page.keyboard.press("Tab")
            state = self.page.evaluate(_TAB_STOP)
            if state is None:
                break
            stops += 1
            assert state["visible"], f"{label}: no visible focus on {state['what']}: {state['style']}"
        else:
            raise AssertionError(f"{label}: more than {max_tabs} Tab stops")
        assert stops > 1, f"{label}: Tab reached {stops} control(s)"
        missed = self.page.evaluate(_NOT_REACHED)
        assert not missed, f"{label}: Tab never reached {missed}"
        return stops

    def press(self, locator: Locator) -> None:
        """Tab to ``locator`` and press Enter on it (``enter``)."""
        self.focus(locator)
        self.enter()

    def enter(self) -> None:
        """Enter on the control that has the focus; when it leads to another document (a link, a form's
        submit button), only once that document is loaded: the next gesture must not reach the page
        being left (a second submission of its form, a Tab or a check on a document about to go)."""
        if self.page.evaluate(_LEADS_AWAY):
            with self.page.expect_navigation():
                self.page.keyboard.press("Enter")
        else:
            self.page.keyboard.press("Enter")

    def type(self, locator: Locator, text: str) -> None:
        self.focus(locator)
        self.page.keyboard.press("Control+A")
        self.page.keyboard.type(text)

    def date(self, name: str, value: str) -> None:
        day = datetime.date.fromisoformat(value)
        for index, part in enumerate((day.day, day.month, day.year)):
            self.type(self.page.locator(f"input[name={name}_{index}]"), str(part))

    def focus_back(self, locator: Locator, *, max_tabs: int = 80) -> None:
        """Shift+Tab until ``locator`` has the focus, which must be visible."""
        self._tab_to(locator, "Shift+Tab", max_tabs)

    def choose(self, radio: Locator) -> None:
        """Tab into the radio group (unless the focus is in it already, as after an error summary's
        link), arrow to the choice, Space to be sure it is checked."""
        name = radio.get_attribute("name")
        group = self.page.locator(f"input[type=radio][name='{name}']")
        for _ in range(80):
            if group.evaluate_all("(els) => els.includes(document.activeElement)"):
                break
            self.page.keyboard.press("Tab")
        for _ in range(group.count()):
            if self._active(radio):
                break
            self.page.keyboard.press("ArrowDown")
        assert self._active(radio), f"arrows never reached {radio}"
        self.assert_focus_visible(radio)
        self.page.keyboard.press("Space")
        _expect()(radio).to_be_checked()

    def select(self, select: Locator, value: str) -> None:
        self.focus(select)
        for _ in range(select.locator("option").count()):
            if select.input_value() == value:
                return
            self.page.keyboard.press("ArrowDown")
        assert select.input_value() == value, f"arrows never selected {value} in {select}"

    def tick(self, checkbox: Locator) -> None:
        self.focus(checkbox)
        self.page.keyboard.press("Space")
        _expect()(checkbox).to_be_checked()


def axe_summary() -> list[str]:
    """One line per journey: how many pages axe-core checked, and the non-blocking findings."""
    folder = ARTIFACTS / "axe"
    lines = []
    for report in sorted(folder.glob("*.json")) if folder.exists() else []:
        pages = json.loads(report.read_text(encoding="utf-8"))
        counts: Counter[str] = Counter()
        for page in pages:
            for violation in page["violations"]:
                counts[f"{violation['id']} ({violation['impact']})"] += 1
        found = ", ".join(f"{k} ×{n}" for k, n in counts.most_common()) or "nothing"
        lines.append(f"axe-core, {report.stem}: {len(pages)} pages checked; found {found}")
    return lines
