"""Print an HTML report to PDF with headless Chromium, driven by Playwright.

The browser is the system's Chromium (Debian: ``apt-get install chromium``), or the one named
by ``$VALUECRM_CHROMIUM``; Playwright never downloads one. Playwright itself comes with the
``pdf`` extra: ``pip install 'valuecrm[pdf]'``. A report in Simplified Chinese also needs a font
with Chinese characters (Debian: ``apt-get install fonts-noto-cjk``); without one Chromium would
print empty boxes, so printing stops and says which package to install.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from valuecrm.errors import ValueCRMError

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
VIEWPORT_WIDTH = 1000  # CSS pixels the charts are drawn at, then scaled to the paper
PRINT_SCALE = 0.75
TIMEOUT_MS = 120_000
CJK_FONT_PACKAGE = "fonts-noto-cjk"


class PDFUnavailableError(ValueCRMError):
    """Printing to PDF needs Playwright and a Chromium browser, and one of them is missing."""

    status = 503
    code = "pdf_unavailable"


def find_chromium() -> str:
    """The Chromium executable: ``$VALUECRM_CHROMIUM``, else the first one on the PATH."""
    wanted = os.environ.get("VALUECRM_CHROMIUM")
    if wanted:
        if not Path(wanted).is_file():
            raise PDFUnavailableError(
                f"VALUECRM_CHROMIUM names {wanted!r}, which does not exist.",
                hint="Point it at a Chromium executable, or unset it to use 'chromium' from "
                     "the PATH.")
        return wanted
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise PDFUnavailableError(
        "Printing to PDF needs a Chromium browser, and none was found.",
        hint="Install Debian's: apt-get install chromium (or set VALUECRM_CHROMIUM to a "
             "Chromium executable). The HTML report was written anyway.")


def cjk_fonts() -> list[str] | None:
    """The installed fonts with Chinese characters (``fc-list :lang=zh``), or None when there is
    no fontconfig to ask (macOS and Windows bring their own CJK fonts)."""
    found = shutil.which("fc-list")
    if found is None:
        return None
    try:
        listed = subprocess.run([found, ":lang=zh", "family"], capture_output=True, text=True,
                                timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return [line.strip() for line in listed.stdout.splitlines() if line.strip()]


def check_cjk_font() -> None:
    """Raise PDFUnavailableError naming the font package when no font can print Chinese."""
    if cjk_fonts() == []:
        raise PDFUnavailableError(
            "The report in Simplified Chinese (--lang zh-CN) needs a font with Chinese "
            "characters to print, and none is installed.",
            hint=f"Install one: apt-get install {CJK_FONT_PACKAGE} (Debian and Ubuntu; "
                 "other systems: any Noto Sans CJK SC font). The HTML report was written "
                 "anyway and shows Chinese in any browser that has such a font.")


def write_pdf(html_path: str | Path, pdf_path: str | Path, *, lang: str = "en") -> Path:
    """Open ``html_path`` in headless Chromium, wait for every chart, print it to ``pdf_path``.
    A report in ``zh-CN`` is printed only when a font with Chinese characters is installed."""
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise PDFUnavailableError(
            "Printing to PDF needs the Python package playwright, which is not installed.",
            hint="Install it: pip install 'valuecrm[pdf]' (never 'playwright install': the "
                 "system Chromium is used). The HTML report was written anyway.") from None
    executable = find_chromium()
    if lang == "zh-CN":
        check_cjk_font()
    target = Path(pdf_path)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": VIEWPORT_WIDTH, "height": 1200})
                page.goto(Path(html_path).resolve().as_uri(), wait_until="load",
                          timeout=TIMEOUT_MS)
                page.wait_for_function(
                    "() => [...document.querySelectorAll('.plotly-graph-div')]"
                    ".every(d => d.querySelector('.main-svg'))", timeout=TIMEOUT_MS)
                page.pdf(path=str(target), format="A4", print_background=True,
                         scale=PRINT_SCALE, margin={"top": "8mm", "bottom": "8mm",
                                                    "left": "6mm", "right": "6mm"})
            finally:
                browser.close()
    except PlaywrightError as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else "no detail"
        raise PDFUnavailableError(
            f"Chromium ({executable}) could not print the report: {first_line}",
            hint="Check that this Chromium starts (chromium --headless --version); the HTML "
                 "report was written anyway.") from None
    return target
