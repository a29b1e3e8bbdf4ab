"""`python -m skill.review.browser [PACK_DIR]` (`make review-check`): the pack in a real browser.

Opens every page of a written pack in headless Chromium (Debian's `chromium` and
`chromium-driver`, driven by selenium) with a fresh profile and no network features, and checks:

- it renders: the stylesheet applies, the page has its one h1, nothing is laid out wider than
  the window;
- print: Chromium prints it to PDF at the size the page's own CSS asks for (preferCSSPageSize),
  which must be A4 (595 x 842 pt) on every page, and in print media at A4's text width
  nothing overflows sideways;
- 200% zoom: at half the window's width in CSS pixels and twice the pixel density (what browser
  zoom does to a 1280-pixel window) there is no horizontal scrolling;
- contrast: every element with text, its colour against the background it is drawn on (from
  the computed styles, composited up the ancestors), passes WCAG AA: 4.5:1, or 3:1 for large text.

Screenshots (and the PDFs) go to PACK_DIR/screenshots/, with report.json. Exit status 1 when a
check fails, 2 when the browser or the pack cannot be found.
"""

from __future__ import annotations

import argparse
import base64
import json
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["A4_POINTS", "CHROME_FLAGS", "PageReport", "check_pack_in_browser", "main"]

CHROME_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
WINDOW = (1280, 900)
ZOOM = 2  # 200%
A4_POINTS = (595.28, 841.89)
POINT_TOLERANCE = 1.5
A4_TEXT_WIDTH_PX = round((210 - 2 * 14) / 25.4 * 96)  # A4 less the @page margins, in CSS px
MEDIA_BOX = re.compile(rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]")

OVERFLOW_JS = """
const root = document.documentElement;
const wide = [];
for (const e of document.body.querySelectorAll('*')) {
  const box = e.getBoundingClientRect();
  if (box.width > 0 && box.right > root.clientWidth + 1) {
    wide.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + ' ' + Math.round(box.right));
    if (wide.length >= 5) break;
  }
}
return {scroll: root.scrollWidth, client: root.clientWidth, wide: wide};
"""

RENDER_JS = """
const h1 = document.querySelectorAll('h1');
return {
  ready: document.readyState,
  title: document.title,
  h1: h1.length === 1 ? h1[0].textContent.trim() : null,
  styled: getComputedStyle(document.querySelector('header')).borderBottomStyle === 'solid',
  height: document.documentElement.scrollHeight,
  broken_images: [...document.images].filter(i => !i.complete || i.naturalWidth === 0).length,
};
"""

# WCAG 2.x relative luminance and contrast, from computed styles; the background is composited
# from the element up through its ancestors onto the white canvas.
CONTRAST_JS = """
function rgba(text) {
  const m = text.match(/rgba?\\(([^)]+)\\)/);
  if (!m) return [0, 0, 0, 0];
  const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
  return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
}
function over(top, below) {
  const a = top[3] + below[3] * (1 - top[3]);
  if (a === 0) return [255, 255, 255, 1];
  const mix = i => (top[i] * top[3] + below[i] * below[3] * (1 - top[3])) / a;
  return [mix(0), mix(1), mix(2), a];
}
function background(e) {
  const layers = [];
  for (let n = e; n && n.nodeType === 1; n = n.parentElement) {
    layers.push(rgba(getComputedStyle(n).backgroundColor));
  }
  let colour = [255, 255, 255, 1];
  for (const layer of layers.reverse()) colour = over(layer, colour);
  return colour;
}
function luminance(c) {
  const f = v => {
    v /= 255;
    return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
}
const failures = [];
let checked = 0, lowest = 21;
for (const e of document.body.querySelectorAll('*')) {
  const own = [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
  if (!own) continue;
  const style = getComputedStyle(e);
  if (style.visibility !== 'visible' || e.getClientRects().length === 0) continue;
  const box = e.getBoundingClientRect();
  if (box.right <= 0 || box.bottom <= 0 && box.top < 0) continue;  // moved off screen (skip link)
  const bg = background(e);
  const fg = over(rgba(style.color), bg);
  const [l1, l2] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
  const ratio = (l1 + 0.05) / (l2 + 0.05);
  const size = parseFloat(style.fontSize);
  const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
  const needed = large ? 3 : 4.5;
  checked += 1;
  lowest = Math.min(lowest, ratio);
  if (ratio < needed) {
    failures.push(e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') + ' ' +
      ratio.toFixed(2) + ':1 < ' + needed + ' "' + e.textContent.trim().slice(0, 40) + '"');
  }
}
return {checked: checked, lowest: lowest, failures: failures.slice(0, 10)};
"""


@dataclass
class PageReport:
    page: str
    problems: list[str] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)


def _chromium() -> tuple[str, str]:
    browser = next(
        (p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p),
        None,
    )
    driver = shutil.which("chromedriver")
    if browser is None or driver is None:
        raise FileNotFoundError(
            "needs chromium and chromedriver (Debian: apt-get install chromium chromium-driver)"
        )
    return browser, driver


def _driver(profile: Path) -> Any:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    browser, driver = _chromium()
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in CHROME_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument(f"--window-size={WINDOW[0]},{WINDOW[1]}")
    return webdriver.Chrome(options=options, service=Service(executable_path=driver))


def _metrics(chrome: Any, width: int, height: int, scale: float, media: str = "") -> None:
    chrome.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": scale, "mobile": False},
    )
    chrome.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": media})


def _overflow(chrome: Any, report: PageReport, label: str) -> None:
    found = chrome.execute_script(OVERFLOW_JS)
    report.facts[f"{label}_width"] = [found["scroll"], found["client"]]
    if found["scroll"] > found["client"] + 1:
        wide = ", ".join(found["wide"])
        report.problems.append(
            f"{label}: {found['scroll']}px of content in {found['client']}px ({wide})"
        )


def _a4(pdf: bytes, report: PageReport) -> None:
    boxes = [tuple(float(v) for v in m.groups()) for m in MEDIA_BOX.finditer(pdf)]
    report.facts["print_pages"] = len(boxes)
    if not boxes:
        report.problems.append("print: the PDF has no pages")
        return
    sizes = {(round(x1 - x0, 1), round(y1 - y0, 1)) for x0, y0, x1, y1 in boxes}
    report.facts["print_size_pt"] = sorted(sizes)
    for width, height in sizes:
        if abs(width - A4_POINTS[0]) > POINT_TOLERANCE or abs(height - A4_POINTS[1]) > (
            POINT_TOLERANCE
        ):
            report.problems.append(f"print: a page of {width} x {height} pt, not A4")


def check_page(chrome: Any, folder: Path, name: str, shots: Path) -> PageReport:
    report = PageReport(name)
    stem = name.removesuffix(".html")
    _metrics(chrome, WINDOW[0], WINDOW[1], 1)
    chrome.get((folder / name).resolve().as_uri())
    rendered = chrome.execute_script(RENDER_JS)
    report.facts["height"] = rendered["height"]
    if rendered["ready"] != "complete" or not rendered["title"] or not rendered["h1"]:
        report.problems.append(f"render: {rendered}")
    if not rendered["styled"]:
        report.problems.append("render: the stylesheet did not apply")
    if rendered["broken_images"]:
        report.problems.append(f"render: {rendered['broken_images']} broken image(s)")
    _overflow(chrome, report, "window")
    contrast = chrome.execute_script(CONTRAST_JS)
    report.facts["contrast_checked"] = contrast["checked"]
    report.facts["contrast_lowest"] = round(contrast["lowest"], 2)
    report.problems += [f"contrast: {failure}" for failure in contrast["failures"]]
    chrome.save_screenshot(str(shots / f"{stem}.png"))

    _metrics(chrome, WINDOW[0] // ZOOM, WINDOW[1] // ZOOM, ZOOM)
    _overflow(chrome, report, "zoom 200%")
    zoomed = chrome.execute_script(CONTRAST_JS)
    report.problems += [f"contrast at 200%: {failure}" for failure in zoomed["failures"]]
    if name == "index.html" or name == "rules.html":
        chrome.save_screenshot(str(shots / f"{stem}-zoom200.png"))

    _metrics(chrome, A4_TEXT_WIDTH_PX, WINDOW[1], 1, media="print")
    _overflow(chrome, report, "print width")
    printed = chrome.execute_cdp_cmd(
        "Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True}
    )
    pdf = base64.b64decode(printed["data"])
    (shots / f"{stem}.pdf").write_bytes(pdf)
    _a4(pdf, report)
    chrome.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    chrome.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    return report


def check_pack_in_browser(folder: Path) -> list[PageReport]:
    shots = folder / "screenshots"
    shots.mkdir(exist_ok=True)
    pages = sorted(path.name for path in folder.glob("*.html"))
    if not pages:
        raise FileNotFoundError(f"{folder}: no pages (run make review-pack first)")
    with tempfile.TemporaryDirectory(prefix="review-check-profile-") as profile:
        chrome = _driver(Path(profile))
        try:
            reports = [check_page(chrome, folder, name, shots) for name in pages]
        finally:
            chrome.quit()
    data = [{"page": r.page, "problems": r.problems, **r.facts} for r in reports]
    (shots / "report.json").write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    return reports


def _line(report: PageReport) -> str:
    facts = report.facts
    sizes = " ".join(f"{w:g}x{h:g}" for w, h in facts.get("print_size_pt", []))
    return (
        f"{'ok  ' if not report.problems else 'FAIL'} {report.page}: renders; "
        f"print {facts.get('print_pages', 0)} page(s) of {sizes or '?'} pt; "
        f"200% zoom {facts.get('zoom 200%_width', ['?', '?'])[0]}px in "
        f"{facts.get('zoom 200%_width', ['?', '?'])[1]}px; "
        f"contrast {facts.get('contrast_checked', 0)} texts, lowest "
        f"{facts.get('contrast_lowest', 0)}:1"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m skill.review.browser", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("folder", nargs="?", type=Path, default=Path("dist/review"))
    args = parser.parse_args(argv)
    try:
        reports = check_pack_in_browser(args.folder)
    except (FileNotFoundError, ModuleNotFoundError) as error:
        print(f"review-check: {error}", file=sys.stderr)
        return 2
    failed = 0
    for report in reports:
        print(_line(report))
        for problem in report.problems:
            print(f"     {problem}")
        failed += bool(report.problems)
    print(
        f"{len(reports)} page(s), {failed} with problems; screenshots and PDFs in "
        f"{args.folder / 'screenshots'}"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
