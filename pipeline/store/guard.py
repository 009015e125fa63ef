"""The config guard: a changed config that would drop accepted plans stops the run.

When the config differs from the one the counted plans were judged under, those files are
judged again in memory; any that would no longer be accepted is named, and nothing is
written until the operator confirms (`masterplan run --terima-konfigurasi`).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..catalogue import why_rejected
from ..config import Config
from ..errors import OperatorError
from ..results import ITEM_MARK, FileState, opd_line
from ..rules.judge import judge_files
from ..workspace import Workspace
from .config_key import config_key, config_part
from .holdings import files_by_opd
from .ledger import Ledger


@dataclass
class Drop:
    opd: str
    file: str
    why: str
    name: str  # the OPD's short name, or its code when the config no longer has it


class ConfigWouldDrop(OperatorError):
    """A changed config would drop accepted plans: nothing is written until confirmed.
    The message sums them up in one sentence, lists one line per plan, then says what to
    do, so the operator finds an OPD without reading a paragraph."""

    def __init__(self, drops: list[Drop]):
        self.drops = drops

    def __str__(self) -> str:
        listed = "\n".join(f"{ITEM_MARK}{opd_line(d.name, d.opd, f'{d.file}: {d.why}')}"
                           for d in self.drops)
        return (f"Konfigurasi (masterplan.toml atau berkas [rujukan]) berubah sejak proses "
                f"terakhir dan akan menggugurkan {len(self.drops)} rencana yang sudah "
                f"diterima; tidak ada yang ditulis. Rencana yang akan gugur:\n{listed}\n"
                "Pilihan: kembalikan masterplan.toml seperti semula; atau, bila perubahan ini "
                "disengaja, buat template baru (masterplan templates), bagikan ulang ke OPD, "
                "lalu jalankan: masterplan run --terima-konfigurasi")


def refuse_config_drops(ws: Workspace, cfg: Config, ledger: Ledger) -> None:
    """Raise ConfigWouldDrop when the current config would drop accepted plans."""
    drops = config_drops(ws, cfg, ledger)
    if drops:
        raise ConfigWouldDrop(drops)


def config_drops(ws: Workspace, cfg: Config, ledger: Ledger) -> list[Drop]:
    """Accepted plans `cfg` (the config in use) would drop, when it differs from the one
    they were judged under. Judges those files again without recording anything."""
    key_now = config_key(cfg)
    # Every code in the ledger, configured or not: a removed OPD's plan drops too.
    counted = {opd: files.accepted_plans[-1] for opd, files in files_by_opd(ledger.files()).items()
               if files.accepted_plans}
    stale = {opd: record for opd, record in counted.items()
             if config_part(ledger.blob(record.sha256).config_key) != key_now}
    if not stale:
        return []
    drops = [Drop(opd, record.path, f"kode OPD {opd} tidak ada lagi di daftar [[opd]]", opd)
             for opd, record in stale.items() if opd not in cfg.opd_by_code]
    to_judge = {opd: record for opd, record in stale.items() if opd in cfg.opd_by_code}
    if to_judge:
        paths = [ws.root / record.archive for record in to_judge.values()]
        for (opd, record), judgement in zip(to_judge.items(), judge_files(paths, cfg),
                                            strict=True):
            if judgement.status != FileState.ACCEPTED:
                drops.append(Drop(opd, record.path, why_rejected(judgement.problems),
                                  cfg.opd_by_code[opd].singkatan))
    return drops
