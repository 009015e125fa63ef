"""Shared fixtures: the default config, a fresh workspace, and LibreOffice as a real client."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from pipeline import config as config_mod
from pipeline import workspace as workspace_mod

LIBREOFFICE_TIMEOUT = 120  # seconds; a first start with a fresh profile takes a while


@pytest.fixture(scope="session")
def cfg() -> config_mod.Config:
    """The shipped default config (Kabupaten Tapanuli Tengah)."""
    import tomllib

    return config_mod.parse(tomllib.loads(config_mod.default_text()))


@pytest.fixture
def workspace(tmp_path: Path) -> workspace_mod.Workspace:
    """A fresh workspace with the default config, as `masterplan init` makes it."""
    return workspace_mod.init(tmp_path / "ws")


def find_soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture(scope="session")
def soffice() -> str:
    """Path of the LibreOffice binary; skips the test when it is not installed."""
    binary = find_soffice()
    if not binary:
        pytest.skip("LibreOffice (soffice) is not installed")
    return binary


_profile: Path | None = None


def convert(path: Path, fmt: str, outdir: Path, binary: str | None = None) -> Path:
    """Convert path with headless LibreOffice (e.g. fmt "pdf", "xlsx"); return the output.

    One throwaway user profile per test session: a private profile never clashes with a
    LibreOffice the developer has open, and reusing it saves the slow first start.
    """
    global _profile
    binary = binary or find_soffice()
    if not binary:
        pytest.skip("LibreOffice (soffice) is not installed")
    if _profile is None:
        _profile = Path(tempfile.mkdtemp(prefix="lo_profile_"))
    outdir.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [binary, "--headless", "--norestore", f"-env:UserInstallation={_profile.as_uri()}",
         "--convert-to", fmt, "--outdir", str(outdir), str(path)],
        capture_output=True, text=True, timeout=LIBREOFFICE_TIMEOUT, check=False,
    )
    out = outdir / f"{path.stem}.{fmt.split(':')[0]}"
    if result.returncode != 0 or not out.exists():
        raise AssertionError(f"LibreOffice could not convert {path.name} to {fmt}: "
                             f"rc={result.returncode}\n{result.stdout}\n{result.stderr}")
    return out


def pytest_sessionfinish(session, exitstatus) -> None:
    if _profile is not None:
        shutil.rmtree(_profile, ignore_errors=True)


CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    """The system's headless Chromium, driven by Playwright (which never downloads one)."""
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if not binary:
        pytest.skip("headless Chromium (Debian package `chromium`) is not installed; "
                    ".ci/run installs it")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=binary, headless=True,
                                             args=CHROMIUM_FLAGS)
        yield browser
        browser.close()
