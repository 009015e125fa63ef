"""A workspace: one folder holding config, templates, inbox, outputs and the ledger.

All state refers to files by paths relative to the workspace, so the folder can be
copied to a USB stick or another laptop and keeps working.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import config as config_mod
from . import guide
from .errors import OperatorError

# anggaran/: the regency's SIPD downloads `masterplan pantau` reads (and never changes)
BUDGET_DOCS_DIR = "anggaran"
FOLDERS = ("templates_xlsx", "inbox", "output", BUDGET_DOCS_DIR)
STATE_DIR = ".masterplan"


@dataclass(frozen=True)
class Workspace:
    root: Path

    @property
    def config_path(self) -> Path:
        return self.root / config_mod.CONFIG_NAME

    @property
    def templates(self) -> Path:
        return self.root / "templates_xlsx"

    @property
    def inbox(self) -> Path:
        return self.root / "inbox"

    @property
    def budget_docs(self) -> Path:
        """anggaran/: the SIPD downloads `masterplan pantau` reads (never changed)."""
        return self.root / BUDGET_DOCS_DIR

    @property
    def output(self) -> Path:
        return self.root / "output"

    @property
    def state(self) -> Path:
        return self.root / STATE_DIR

    @property
    def archive(self) -> Path:
        return self.state / "arsip"

    @property
    def ledger_path(self) -> Path:
        return self.state / "ledger.sqlite3"


class WorkspaceExists(OperatorError):
    """`init` found a config and was not told to overwrite it."""

    def __init__(self, config_path: Path):
        super().__init__(f"{config_path} sudah ada dan tidak ditimpa. Gunakan --force untuk "
                         "menimpanya dengan konfigurasi bawaan.")


def init(root: Path, force: bool = False, config_text: str | None = None) -> Workspace:
    """Write the default config, the folders and the operator's guide (an offline page).
    Refuses to overwrite a config unless force."""
    ws = Workspace(root)
    if ws.config_path.exists() and not force:
        raise WorkspaceExists(ws.config_path)
    root.mkdir(parents=True, exist_ok=True)
    for name in FOLDERS:
        (root / name).mkdir(exist_ok=True)
    ws.config_path.write_text(config_text or config_mod.default_text(), "utf-8")
    guide.install(root)
    return ws
