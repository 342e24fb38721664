"""The installable app's routes: the manifest, its icons and the service worker."""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from PIL import Image

from backcoach.web import pages_app
from backcoach.web.security import SIGNED_OUT_PATHS


def test_the_manifest_names_the_app_its_start_page_colours_and_icons(api: TestClient) -> None:
    answer = api.get("/manifest.webmanifest")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/manifest+json")
    manifest = json.loads(answer.text)
    assert manifest["name"] and manifest["short_name"] == "backcoach"
    assert manifest["start_url"] == "/today" and manifest["display"] == "standalone"
    css = (pages_app.STATIC / "app.css").read_text()
    assert f"--bg: {manifest['background_color']};" in css
    assert f"--surface: {manifest['theme_color']};" in css
    page = api.get("/welcome").text
    assert f'<meta name="theme-color" content="{manifest["theme_color"]}">' in page

    sizes: dict[str, set[str]] = {}
    for icon in manifest["icons"]:
        got = api.get(icon["src"])
        assert got.status_code == 200, icon["src"]
        assert got.headers["content-type"] == icon["type"] == "image/png"
        image = Image.open(io.BytesIO(got.content))
        width, height = (int(n) for n in icon["sizes"].split("x"))
        assert image.format == "PNG" and image.size == (width, height), icon["src"]
        sizes.setdefault(icon.get("purpose", "any"), set()).add(icon["sizes"])
    assert {"192x192", "512x512"} <= sizes["any"]
    assert sizes["maskable"] == {"512x512"}


def test_every_page_links_the_manifest_icon_and_worker_script(api: TestClient) -> None:
    page = api.get("/welcome").text
    assert '<link rel="manifest" href="/manifest.webmanifest"' in page
    touch = re.search(r'<link rel="apple-touch-icon" href="([^"]+)">', page)
    assert touch is not None
    image = Image.open(io.BytesIO(api.get(touch[1]).content))
    assert image.size == (180, 180)
    assert '<script type="module" src="/static/install.js"></script>' in page


def test_the_committed_icons_are_the_ones_drawn_from_the_app_icon(tmp_path: Path) -> None:
    """Change icon.svg and forget to redraw (`python -m backcoach.web.pages_app`): this fails."""
    for drawn in pages_app.draw_icons(tmp_path):
        committed = pages_app.ICONS / drawn.name
        assert committed.exists(), f"{committed} is missing: redraw the icons"
        with Image.open(drawn) as new, Image.open(committed) as old:
            assert new.size == old.size and new.tobytes() == old.tobytes(), drawn.name
    maskable = Image.open(pages_app.ICONS / "maskable-512.png").convert("RGBA")
    corner = maskable.getpixel((0, 0))
    assert isinstance(corner, tuple) and corner[3] == 255  # full bleed: no transparent corners


def test_the_service_worker_is_served_from_the_root_allowed_and_never_stored(
    api: TestClient,
) -> None:
    answer = api.get("/sw.js")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/javascript")
    assert answer.headers["service-worker-allowed"] == "/"
    assert answer.headers["cache-control"] == "no-store"  # a new release is seen at once
    csp = answer.headers["content-security-policy"]
    assert "worker-src 'self'" in csp and "manifest-src 'self'" in csp
    page_csp = api.get("/welcome").headers["content-security-policy"]
    assert "worker-src 'self'" in page_csp


def test_the_worker_precaches_every_static_file_under_a_version_of_their_contents(
    api: TestClient, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    source = api.get("/sw.js").text
    version = re.search(r'const VERSION = "([0-9a-f]{16})";', source)
    listed = re.search(r"const PRECACHE = (\[.*\]);", source)
    assert version is not None and listed is not None
    precache = json.loads(listed[1])
    assert "/static/app.css" in precache and "/static/player/main.js" in precache
    assert "/static/icons/icon-192.png" in precache and "/static/sw.js" not in precache
    for url in precache:
        assert api.get(url).status_code == 200, url

    # Another release (any static file changed): another version, so the caches are replaced.
    copy = tmp_path / "static"
    shutil.copytree(pages_app.STATIC, copy)
    (copy / "app.css").write_text((copy / "app.css").read_text() + "\n/* changed */\n")
    monkeypatch.setattr(pages_app, "STATIC", copy)
    monkeypatch.setattr(pages_app, "SW_SOURCE", copy / "sw.js")
    pages_app.worker_source.cache_clear()
    try:
        changed = re.search(r'const VERSION = "([0-9a-f]{16})";', pages_app.worker_source())
    finally:
        pages_app.worker_source.cache_clear()
    assert changed is not None and changed[1] != version[1]


def test_the_worker_keeps_only_todays_plan_of_what_is_personal(api: TestClient) -> None:
    """What sw.js may store, read off its source: today's page and GET /api/plan, the static
    files and the pictures; sign-out clears it all."""
    source = api.get("/sw.js").text
    assert 'const PLAN_PATHS = new Set(["/today", "/api/plan"]);' in source
    assert source.count("cache.put(") == 2  # the plan, and a picture
    assert "/api/auth/logout" in source and "/signout" in source and "clearAll" in source


def test_clinic_mode_answers_manifest_and_worker_without_a_sign_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from backcoach.clinic import Clinic
    from backcoach.clinic.settings import ClinicSettings
    from backcoach.records.db import open_database
    from tests.clinic.conftest import PUBLIC
    from tests.clinic.webapp import BASE, clinic_app
    from tests.dbfixtures import pg_schema_url

    assert {"/manifest.webmanifest", "/sw.js"} <= SIGNED_OUT_PATHS
    for pg_url in pg_schema_url():
        clinic = Clinic(open_database(pg_url), settings=ClinicSettings(public_url=PUBLIC))
        app: FastAPI = clinic_app(tmp_path, pg_url, clinic, monkeypatch)
        client = TestClient(app, base_url=BASE, follow_redirects=False)
        assert client.get("/manifest.webmanifest").status_code == 200
        assert client.get("/sw.js").status_code == 200
        assert client.get("/static/icons/icon-192.png").status_code == 200
        assert client.get("/today").status_code == 303  # the plan itself needs a sign-in
