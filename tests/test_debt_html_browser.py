"""The HTML debt report in a real headless Chromium (Debian's ``chromium``, which ``.ci/run``
installs): the page renders its headings and pictures, a screenshot is not blank and shows the
grade badge and the chart's bars, and the page makes no network request.

No network request is checked twice: statically (the page has no external ``src``, ``href``,
``url()`` or script, see ``tests/test_debt_report.py``) and in the browser, which runs with every
host name mapped to "not found" and verbose network logging; every URL request Chromium logs
must be one of the browser's own background calls, never the page's. A control page with an
external image proves the log check sees page requests. Without Chromium the tests are skipped,
unless ``CFGLINT_REQUIRE_CORPORA=1`` (as in CI), where its absence is a failure.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from cfglint.commands.debt_command import debt_assessment
from cfglint.reports import render
from cfglint.reports.html import GRADE_COLOURS, SECTIONS
from cfglint.reports.svg import FAMILY_COLOURS
from tests.conftest import FIXTURES

ACME = FIXTURES / "acme-sfdx"
TIMEOUT = 120

#: Requests Chromium makes for itself (clock, sign-in, component updates), which the page has
#: nothing to do with; the host rules make them fail before they leave the machine.
BROWSER_OWN = (
    "http://clients2.google.com/time/",
    "https://accounts.google.com/ListAccounts",
    "http://update.googleapis.com/service/update2/",
    "https://update.googleapis.com/service/update2/",
)
REQUEST_LINE = re.compile(r"NotifyBeforeURLRequest: (\S+)")


def chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    message = "chromium is not installed (apt-get install chromium)"
    if os.environ.get("CFGLINT_REQUIRE_CORPORA") == "1":
        pytest.fail(message + "; CFGLINT_REQUIRE_CORPORA=1 makes this a failure")
    pytest.skip(message)


def run_chromium(page: Path, profile: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    command = [
        chromium(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--no-default-browser-check", f"--user-data-dir={profile}",
        "--host-resolver-rules=MAP * ~NOTFOUND", "--enable-logging=stderr", "--v=1",
        *arguments, page.as_uri(),
    ]
    environment = {**os.environ, "HOME": str(profile)}
    return subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT,
                          check=False, env=environment)


def page_requests(log: str) -> list[str]:
    """URL requests in Chromium's verbose log that are not the browser's own."""
    return [url for url in REQUEST_LINE.findall(log) if not url.startswith(BROWSER_OWN)]


@pytest.fixture(scope="module")
def report_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    page = tmp_path_factory.mktemp("report") / "debt.html"
    page.write_text(render(debt_assessment(ACME), "html"), encoding="utf-8")
    return page


# --- reading a PNG with the standard library -----------------------------------------------------


def png_rows(data: bytes) -> tuple[int, Iterator[bytes]]:
    """Pixel bytes per row (RGB or RGBA, 8 bits, not interlaced: what Chromium writes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    position, compressed = 8, []
    header = b""
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            compressed.append(body)
        position += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and colour in (2, 6) and interlace == 0, (depth, colour, interlace)
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(compressed))
    return channels, _unfiltered(raw, width * channels, height, channels)


def _unfiltered(raw: bytes, stride: int, height: int, step: int) -> Iterator[bytes]:
    previous = bytearray(stride)
    for row in range(height):
        start = row * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for index in range(stride):
            left = line[index - step] if index >= step else 0
            up = previous[index]
            corner = previous[index - step] if index >= step else 0
            if kind == 1:
                line[index] = (line[index] + left) & 0xFF
            elif kind == 2:
                line[index] = (line[index] + up) & 0xFF
            elif kind == 3:
                line[index] = (line[index] + (left + up) // 2) & 0xFF
            elif kind == 4:
                line[index] = (line[index] + _paeth(left, up, corner)) & 0xFF
        yield bytes(line)
        previous = line


def _paeth(left: int, up: int, corner: int) -> int:
    estimate = left + up - corner
    distances = (abs(estimate - left), abs(estimate - up), abs(estimate - corner))
    if distances[0] <= distances[1] and distances[0] <= distances[2]:
        return left
    return up if distances[1] <= distances[2] else corner


def pixel_colours(data: bytes) -> tuple[int, int, set[tuple[int, int, int]]]:
    """(pixels, non-white pixels, distinct colours) of a screenshot."""
    channels, rows = png_rows(data)
    pixels = non_white = 0
    colours: set[tuple[int, int, int]] = set()
    for line in rows:
        for start in range(0, len(line), channels):
            rgb = (line[start], line[start + 1], line[start + 2])
            pixels += 1
            if rgb != (255, 255, 255):
                non_white += 1
                colours.add(rgb)
    return pixels, non_white, colours


def rgb(hex_colour: str) -> tuple[int, int, int]:
    value = int(hex_colour.lstrip("#"), 16)
    return value >> 16, (value >> 8) & 0xFF, value & 0xFF


# --- the tests -----------------------------------------------------------------------------------


def test_page_renders_headings_and_pictures(report_page: Path, tmp_path: Path) -> None:
    result = run_chromium(report_page, tmp_path / "profile", "--dump-dom")
    dom = result.stdout
    assert "<h1>Customization debt report</h1>" in dom, result.stderr[-2000:]
    for anchor, heading in SECTIONS:
        assert f'<h2 id="{anchor}">{heading}</h2>' in dom
    assert dom.count('<svg class="chart"') == 1
    assert dom.count('<svg class="diagram"') == 3
    assert dom.count("<rect") > 5 and dom.count("<circle") > 10


def test_page_makes_no_network_request(report_page: Path, tmp_path: Path) -> None:
    result = run_chromium(report_page, tmp_path / "profile", "--dump-dom")
    assert "Customization debt report" in result.stdout
    assert "VERBOSE1" in result.stderr, "Chromium wrote no verbose log to check"
    assert page_requests(result.stderr) == []


def test_the_request_check_sees_a_page_request(tmp_path: Path) -> None:
    control = tmp_path / "control.html"
    control.write_text('<!DOCTYPE html><html><body><h1>control</h1>'
                       '<img src="http://example.invalid/pixel.png"></body></html>',
                       encoding="utf-8")
    result = run_chromium(control, tmp_path / "profile", "--dump-dom")
    assert page_requests(result.stderr) == ["http://example.invalid/pixel.png"]


def test_screenshot_is_not_blank(report_page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "debt.png"
    result = run_chromium(report_page, tmp_path / "profile", f"--screenshot={shot}",
                          "--window-size=1280,2000", "--hide-scrollbars")
    assert shot.is_file(), result.stderr[-2000:]
    pixels, non_white, colours = pixel_colours(shot.read_bytes())
    assert pixels == 1280 * 2000
    assert non_white > pixels // 50, "the page looks blank"
    assert len(colours) > 50, "the page has almost no colours: text and pictures did not render"
    assert rgb(GRADE_COLOURS["E"]) in colours, "the grade badge is not drawn"
    assert rgb(FAMILY_COLOURS["DEBT"]) in colours, "the bar chart's bars are not drawn"
