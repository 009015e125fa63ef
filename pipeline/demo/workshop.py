"""`masterplan demo`: a workspace filled the way the OPDs' planners fill it, then run.

`make_demo(root)` writes a workspace with the default config (or `config_text`),
generates the templates, and fills them as each configured OPD's planner would: programs
that fit the OPD's mandate (`content.toml`, read by `ideas`), across the six dimensions,
with one or two Quick Wins each. Round 1 drops the files into `inbox/` the way they
arrive at a workshop (renamed, in `whatsapp/` and `email/` subfolders, an Office lock
file, a file downloaded twice; written by `files`) with the mistakes participants really
make (`mistakes.SCENARIOS`), some accepted as written and some rejected; a few OPDs send
nothing. Round 2 adds the corrected file of one rejected OPD. The pipeline runs after
each round.

Decisions:
- Content is deterministic for a seed: every OPD's rows come from its own
  `random.Random(f"{seed}:{kode}")`, the rest (names, folders, who stays silent) from
  `random.Random(seed)`. xlsx bytes still differ between runs (timestamps inside).
- A non-empty folder is refused without `force`. With `force` only a previous demo is
  cleared (it carries `DEMO_MARKER`): a real workspace or any other folder is refused even
  with `force`, so `masterplan demo --workspace . --force` can never wipe real
  submissions. Clearing removes only the workspace's own entries (config, templates_xlsx,
  inbox, output, .masterplan and the marker), never follows a link, never leaves `root`.
- Every planted mistake is recorded as a `Planted` (file, cell, expected code or
  normalised value), so tests and the echo tell the same story.
"""

from __future__ import annotations

import copy
import random
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .. import config as config_mod
from .. import layout
from .. import workspace as workspace_mod
from ..catalogue import Code
from ..config import Config, Opd
from ..errors import OperatorError
from ..results import ITEM_MARK, FileState, PlanStatus
from ..store import access
from . import references as demo_references
from .files import find_soffice, write_correction, write_round_one
from .ideas import PLANNERS, plan_rows, planner_identity
from .mistakes import SCENARIOS, Planted, Scenario, Submission

if TYPE_CHECKING:
    from ..pantau import PantauResult
    from ..results import RunReport as RunSummary
    from .budget import DemoBudget

DEMO_MARKER = "BACA_SAYA_DEMO.txt"


# --- the demo's result ---------------------------------------------------------------------

class DemoFolderNotEmpty(OperatorError):
    """The demo folder holds something the demo must not overwrite (its message says
    what and how to go on)."""


@dataclass
class DemoResult:
    workspace: workspace_mod.Workspace
    summary: RunSummary  # of the last run (round 2)
    first_summary: RunSummary  # of round 1
    silent: list[str]  # names of the OPDs that sent nothing
    silent_codes: list[str]
    mistakes: list[tuple[str, str]]  # (file in inbox/, description)
    planted: list[Planted]
    corrected: list[str]  # OPD codes rejected in round 1, corrected in round 2
    still_rejected: list[str]  # OPD codes still "perlu revisi"
    libreoffice_file: str | None  # file re-saved through LibreOffice, if any
    seed: int
    budget: DemoBudget | None = None  # the fictional APBD in anggaran/ (pantau)
    pantau: PantauResult | None = None


# The flagship Quick Win (Disdukcapil's birth certificates) always arrives.
_ALWAYS_SUBMITS = {"Disdukcapil"}

# How the other files arrive: mostly as handed out, sometimes renamed or via WhatsApp.
NAME_PATTERNS = (
    "{template}", "{template}", "{template}", "{template_stem}_isi.xlsx",
    "Masterplan Smart City {singkatan}.xlsx", "{singkatan} - Rencana Program SC.xlsx",
    "FINAL {upper}.xlsx",
)
SUBFOLDERS = ("", "", "", "whatsapp/", "email/")


# --- the plan: who sends what ------------------------------------------------------------

def _random_pattern(rng: random.Random) -> str:
    return rng.choice(SUBFOLDERS) + rng.choice(NAME_PATTERNS)


@dataclass
class DemoPlan:
    submissions: list[Submission]
    silent: list[Opd]


def _file_name(pattern: str, opd: Opd, cfg: Config) -> str:

    template = layout.template_filename(opd)
    short = re.sub(r'[\\/:*?"<>|]+', "-", opd.singkatan).strip()
    return pattern.format(template=template, template_stem=Path(template).stem,
                          singkatan=short, upper=short.upper(),
                          lower=re.sub(r"[^a-z0-9]+", "_", short.lower()).strip("_"),
                          year=cfg.first_year)


def _unique(name: str, used: set[str]) -> str:
    candidate, number = name, 2
    while candidate.casefold() in used:
        path = Path(name)
        candidate = str(path.with_name(f"{path.stem} ({number}){path.suffix}").as_posix())
        number += 1
    used.add(candidate.casefold())
    return candidate


def build_plan(cfg: Config, seed: int) -> DemoPlan:
    """Decide who sends what (no files written): deterministic for a seed and config."""
    rng = random.Random(seed)
    opds = list(cfg.opds)

    # A few OPDs send nothing; never the ones the story needs, when there are enough.
    n_silent = min(rng.randint(3, 5), len(opds) // 6)
    story = {s.prefer for s in SCENARIOS} | _ALWAYS_SUBMITS
    pool = [o for o in opds if o.singkatan not in story]
    if len(pool) < n_silent:
        pool = opds[len(opds) - n_silent:]
    chosen = rng.sample(pool, n_silent)
    silent = [o for o in opds if o in chosen]

    # Scenarios go to their preferred OPD when configured, else to the next free OPD.
    free = [o for o in opds if o not in silent]
    assigned: dict[str, Scenario] = {}
    for scenario in SCENARIOS:
        opd = next((o for o in free if o.singkatan == scenario.prefer), None)
        if opd and opd.kode not in assigned:
            assigned[opd.kode] = scenario
    for scenario in SCENARIOS:
        if scenario in assigned.values():
            continue
        opd = next((o for o in free if o.kode not in assigned
                    and o.singkatan not in _ALWAYS_SUBMITS), None)
        if opd is None:
            break  # fewer OPDs than scenarios: the later scenarios are left out
        assigned[opd.kode] = scenario

    planners = list(PLANNERS)
    rng.shuffle(planners)
    doc = "RPD" if "RPD" in cfg.reference_docs else cfg.reference_docs[0]
    used: set[str] = set()
    submissions = []
    for number, opd in enumerate(free):
        rows = plan_rows(cfg, opd, random.Random(f"{seed}:{opd.kode}"), doc)
        scenario = assigned.get(opd.kode)
        pattern = scenario.name if scenario else _random_pattern(rng)
        identity = planner_identity(rng, planners[number % len(planners)], cfg)
        sub = Submission(opd, _unique(_file_name(pattern, opd, cfg), used), rows, identity)
        if scenario:
            _apply(scenario, sub, cfg, used)
        submissions.append(sub)
    return DemoPlan(submissions, silent)


def _apply(scenario: Scenario, sub: Submission, cfg: Config, used: set[str]) -> None:
    if scenario.correction:
        sub.clean_rows = copy.deepcopy(sub.rows)
        sub.correction = _unique(_file_name(scenario.correction, sub.opd, cfg), used)
    for plant in scenario.plants:
        plant(sub, cfg)
    sub.libreoffice = scenario.libreoffice
    if scenario.lock_file:
        sub.lock_file = True
        lock = str(Path(sub.name).with_name("~$" + Path(sub.name).name).as_posix())
        sub.planted.append(Planted(sub.opd.kode, lock, "Berkas kunci Office (~$...) ikut "
                                   "tersalin karena berkas masih terbuka di Excel",
                                   FileState.IGNORED, Code.BERKAS_KUNCI))
    if scenario.duplicate:
        sub.duplicate = _unique(_file_name(scenario.duplicate, sub.opd, cfg), used)
        sub.planted.append(Planted(sub.opd.kode, sub.duplicate, "Berkas yang sama terunduh dua "
                                   "kali dari WhatsApp", FileState.IGNORED, Code.BERKAS_SAMA))


# --- the demo ----------------------------------------------------------------------------

_WORKSPACE_ENTRIES = (*workspace_mod.FOLDERS, workspace_mod.STATE_DIR, config_mod.CONFIG_NAME,
                      DEMO_MARKER, *demo_references.FILES)


def _prepare_folder(root: Path, force: bool) -> None:
    """Refuse a non-empty folder; with force, clear a previous demo (and only a demo)."""
    if root.exists() and not root.is_dir():
        raise DemoFolderNotEmpty(f"{root} adalah berkas, bukan folder. Pilih folder lain "
                                 "dengan --workspace.")
    if not root.exists() or not any(root.iterdir()):
        return
    if not force:
        raise DemoFolderNotEmpty(
            f"Folder {root} tidak kosong. Pilih folder lain dengan --workspace, atau tambahkan "
            "--force untuk menimpa demo sebelumnya di folder ini.")
    marker = root / DEMO_MARKER
    if marker.is_symlink() or not marker.is_file():
        raise DemoFolderNotEmpty(
            f"Folder {root} tidak kosong dan bukan folder demo (tidak ada {DEMO_MARKER}); "
            "isinya tidak dihapus, juga dengan --force, agar berkas sungguhan tidak hilang. "
            "Pilih folder kosong lain dengan --workspace.")
    for name in _WORKSPACE_ENTRIES:
        path = root / name
        if path.is_symlink() or path.is_file():
            path.unlink()  # a link is removed, never followed
        elif path.is_dir():
            shutil.rmtree(path)


def _marker_text(seed: int) -> str:
    return (
        "Folder ini dibuat oleh perintah `masterplan demo` sebagai contoh; isinya bukan data "
        "sungguhan.\n"
        f"Seed: {seed}. Perintah yang sama dengan seed yang sama menghasilkan isian yang "
        "sama.\n\n"
        "- templates_xlsx/  template per OPD\n"
        "- inbox/           berkas isian contoh, termasuk kesalahan yang biasa dibuat peserta\n"
        "- output/          rekap, laporan validasi dan umpan balik hasil proses\n"
        "- anggaran/        APBD fiktif tahun pertama (unduhan SIPD) untuk masterplan pantau\n\n"
        "`masterplan demo --force` boleh menghapus dan membuat ulang folder ini. Jangan "
        "menyimpan berkas sungguhan di sini.\n"
    )


def make_demo(root: Path, seed: int = 2024, force: bool = False,
              echo: Callable[[str], None] = print, use_libreoffice: bool | None = None,
              config_text: str | None = None) -> DemoResult:
    """Make a demo workspace in `root`, fill it as the OPDs would, run it twice.

    use_libreoffice: None uses LibreOffice when installed, False never, True insists
    (falling back with a note when it is missing or fails). config_text replaces the
    default config (another period, another OPD list). Raises DemoFolderNotEmpty.
    """
    from .. import workflow
    from ..write.templates import write_plan_templates

    root = Path(root)
    from ..read.references import load_config

    _prepare_folder(root, force)
    if config_text is None:  # the default config: with the demo's [rujukan] lists
        root.mkdir(parents=True, exist_ok=True)
        demo_references.copy_lists(root, config_mod.default_text())
        config_text = demo_references.config_with_lists(config_mod.default_text())
    ws = workspace_mod.init(root, force=True, config_text=config_text)
    (root / DEMO_MARKER).write_text(_marker_text(seed), "utf-8")
    cfg = load_config(ws)
    echo(f"Membuat workspace demo di {root.resolve()} (seed {seed})")
    echo(f"  {cfg.region_name}, periode {cfg.period_label}, {len(cfg.opds)} OPD, Quick Win "
         f"{cfg.quick_win_year}")

    # The demo's access codes follow its seed, so the same seed gives the same templates.
    picker = random.Random(f"akses-{seed}")
    codes = {o.kode: "".join(picker.choice(access.ALPHABET) for _ in range(access.LENGTH))
             for o in cfg.opds}
    access.AccessCodes(ws.state).save(codes)
    paths = write_plan_templates(cfg, ws.templates, access_codes={
        kode: access.shown(code) for kode, code in codes.items()})
    echo(f"  {len(paths)} template ditulis ke templates_xlsx/")

    soffice = None
    if use_libreoffice is not False:
        soffice = find_soffice()
        if soffice is None and use_libreoffice:
            echo("  Catatan: LibreOffice tidak ditemukan; semua berkas disimpan seperti dari "
                 "Excel.")
    plan = build_plan(cfg, seed)
    echo(f"  Putaran 1: {len(plan.submissions)} OPD mengirim berkas ke inbox/, "
         f"{len(plan.silent)} OPD belum mengirim")
    libreoffice_file = write_round_one(plan.submissions, ws, soffice, echo)
    echo("  Menjalankan pipeline (putaran 1) ...")
    first = workflow.run(ws)

    corrected, notes = [], []
    for sub in plan.submissions:
        if sub.correction:
            how = write_correction(sub, ws)
            sub.planted.append(Planted(sub.opd.kode, sub.correction, f"Perbaikan dikirim ulang "
                                       f"setelah {how}", FileState.ACCEPTED))
            corrected.append(sub.opd.kode)
            notes.append(f"{sub.opd.singkatan} mengirim perbaikan {sub.correction}")
    if notes:
        echo(f"  Putaran 2: {'; '.join(notes)}")
        echo("  Menjalankan pipeline (putaran 2) ...")
        last = workflow.run(ws)
    else:
        last = first

    planted = [p for sub in plan.submissions for p in sub.planted]
    status = {s.kode: s.status for s in last.statuses}
    result = DemoResult(
        workspace=ws, summary=last, first_summary=first,
        silent=[o.nama for o in plan.silent], silent_codes=[o.kode for o in plan.silent],
        mistakes=[(p.file, p.description) for p in planted], planted=planted,
        corrected=corrected,
        still_rejected=[s.opd.kode for s in plan.submissions
                        if status.get(s.opd.kode) == PlanStatus.REVISE],
        libreoffice_file=libreoffice_file, seed=seed,
    )
    result.budget, result.pantau = _monitor(ws, cfg, seed, echo)
    _tell(echo, result, root)
    return result


def _monitor(ws, cfg: Config, seed: int, echo: Callable[[str], None]):
    """The year after the book: the first year's APBD in anggaran/, then `pantau`."""
    from ..pantau import accepted_programs, pantau
    from .budget import write_demo_apbd

    wide, _ = accepted_programs(ws, cfg, 30.0)
    if wide.empty:
        return None, None
    budget = write_demo_apbd(ws.budget_docs / str(cfg.first_year), cfg, wide, seed)
    echo(f"  APBD {cfg.first_year} fiktif (rekap SIPD) di anggaran/; menjalankan "
         "`masterplan pantau` ...")
    result = pantau(ws)
    if result.monitoring is not None:
        for row in result.monitoring.summary.itertuples(index=False):
            echo(f"    {result.monitoring.headline(row)}")
    return budget, result




def _tell(echo: Callable[[str], None], result: DemoResult, root: Path) -> None:
    """A short Indonesian account: what was planted, who is missing, where to look."""
    echo("")
    echo("Kesalahan dan kebiasaan peserta yang sengaja ditanam:")
    by_file: dict[str, list[Planted]] = {}
    for p in result.planted:
        by_file.setdefault(p.file, []).append(p)
    for file, found in by_file.items():
        outcome = found[0].outcome.label
        echo(f"  [{outcome}] {file}")
        for p in found:
            where = f" (sel {p.cell})" if p.cell else ""
            echo(f"      - {p.description}{where}")
    if result.silent:
        echo(f"Belum mengumpulkan ({len(result.silent)} OPD):")
        for name in result.silent:
            echo(f"{ITEM_MARK}{name}")
    counts: dict[str, int] = {}
    for s in result.summary.statuses:
        counts[s.status] = counts.get(s.status, 0) + 1
    echo("Status OPD: " + ", ".join(f"{n} {status}" for status, n in counts.items()))
    echo("")
    echo("Lihat hasilnya:")
    echo(f"  {root / 'output' / 'rekap_masterplan.xlsx'}   rekap per dimensi, OPD, sumber dana, "
         "Quick Win")
    echo(f"  {root / 'output' / 'laporan_validasi.xlsx'}   semua kesalahan dan peringatan")
    if result.pantau is not None and result.pantau.workbook is not None:
        echo(f"  {result.pantau.workbook}   program masterplan dalam APBD (masterplan pantau)")
    echo(f"  {root / 'output' / 'umpan_balik'}/   berkas peserta dengan sel bermasalah ditandai")
    echo(f"  masterplan status --workspace {root}")
