"""Does each year's plan and budget carry the masterplan's programs (`masterplan pantau`)?

Input: the consolidated programs (`Consolidated.wide`: one row per accepted program, its
OPD, code and budget per year) and the budget documents read from `anggaran/`
(read.budget_docs). A program is planned for a year when its budget for that year is
above 0. For every document of that year:

- its amount is the sum of the document's counted rows (read.sipd: each rupiah once)
  under the program's code (a program code sums its kegiatan and sub kegiatan, a
  kegiatan code its sub kegiatan) among the rows of the program's OPD
  (assemble.skpd_mapping); `X.XX` penunjang codes match any bidang;
- its status (results.BudgetStatus): dianggarkan (amount above 0), tercantum tanpa pagu
  (rows under its code, all 0), tidak ada di dokumen, tanpa kode (no code to follow);
- programs of one OPD whose codes are equal, or one within the other, share their rows:
  each shows them, and marks whom it shares them with.

Every total (per year and stage, per OPD, per dimension) sums the set of document rows
its programs match, so a rupiah two programs share is counted once in it. Data in, data
out: nothing here reads a file or the ledger.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..config import Config
from ..read.budget_docs import BudgetDocument, stage_label, stage_rank
from ..read.references import normalise_code
from ..results import BudgetStatus
from .skpd_mapping import SkpdKey, SkpdMapper, skpd_label

PROGRAM_COLUMNS = [
    "opd", "opd_singkatan", "opd_nama", "nama", "kode", "dimensi", "tahun", "tahap",
    "berkas", "rencana", "anggaran", "anggaran_realisasi", "status", "kode_bersama", "baris",
    "letak",
]
SUMMARY_COLUMNS = ["tahun", "tahap", "program_rencana", "program_dianggarkan",
                   "persen_program", "anggaran_rencana", "anggaran_dokumen",
                   "persen_anggaran"]
LOCATIONS_SHOWN = 12  # row ranges listed per program and document; more are "..."


@dataclass(frozen=True)
class SkpdRow:
    """One SKPD (or sub unit) of one document, and the OPD it counts for."""

    file: str
    key: SkpdKey
    label: str
    opd: str | None
    via: str
    rows: int
    amount: int  # counted rows only


@dataclass
class Monitoring:
    documents: list[BudgetDocument]  # (year, stage) order
    programs: pd.DataFrame  # PROGRAM_COLUMNS: one row per planned program and document
    summary: pd.DataFrame  # SUMMARY_COLUMNS, per document
    by_opd: pd.DataFrame  # opd, opd_singkatan, opd_nama + SUMMARY_COLUMNS
    by_dimension: pd.DataFrame  # dimensi + SUMMARY_COLUMNS
    skpds: list[SkpdRow]
    unmapped: dict[str, list[str]] = field(default_factory=dict)  # file -> SKPD labels

    def headline(self, row) -> str:
        """'9 dari 12 program masterplan 2025 dianggarkan dalam APBD 2025 (75%)'."""
        share = f" ({row.persen_program:.0f}%)" if pd.notna(row.persen_program) else ""
        return (f"{row.program_dianggarkan} dari {row.program_rencana} program masterplan "
                f"{row.tahun} dianggarkan dalam {stage_label(row.tahap)} {row.tahun}{share}")


def monitor(cfg: Config, wide: pd.DataFrame, documents: list[BudgetDocument]) -> Monitoring:
    documents = sorted(documents, key=lambda d: (d.year, stage_rank(d.stage), d.file))
    mapper = SkpdMapper(cfg)
    opd_index = {o.kode: i for i, o in enumerate(cfg.opds)}
    programs = _programs(cfg, wide)
    detail, summaries, skpds, unmapped = [], {"": [], "opd": [], "dimensi": []}, [], {}
    for doc in documents:
        mapped = [mapper(key) for key in doc.rows.skpds]
        row_opd = np.array([opd_index.get(m.opd, -1) for m in mapped] or [-1],
                           dtype=np.int32)[doc.rows.skpd]
        skpds += _skpd_rows(doc, mapped, row_opd)
        missing = [s.label for s in skpds if s.file == doc.file and s.opd is None]
        if missing:
            unmapped[doc.file] = missing
        planned = programs[programs[f"anggaran_{doc.year}"] > 0] \
            if f"anggaran_{doc.year}" in programs else programs.iloc[0:0]
        matches = _Matcher(doc, row_opd, opd_index)
        found = [matches(opd, code) for opd, code in zip(planned["opd_kode"], planned["kode"],
                                                         strict=True)]
        detail.append(_detail(doc, planned, found))
        for group, columns in (("", []), ("opd", ["opd_kode"]), ("dimensi", ["dimensi"])):
            summaries[group] += _summaries(doc, planned, found, columns)
    program_frame = pd.concat(detail, ignore_index=True) if detail else \
        pd.DataFrame(columns=PROGRAM_COLUMNS)
    return Monitoring(documents, program_frame,
                      pd.DataFrame(summaries[""], columns=SUMMARY_COLUMNS),
                      _by_opd(cfg, summaries["opd"]),
                      _by_dimension(cfg, summaries["dimensi"]), skpds, unmapped)


# --- the programs ----------------------------------------------------------------------------

def _programs(cfg: Config, wide: pd.DataFrame) -> pd.DataFrame:
    """The accepted programs with their code normalised and whom they share it with."""
    budgets = [f"anggaran_{y}" for y in cfg.years if f"anggaran_{y}" in wide]
    columns = ["opd_kode", "opd_singkatan", "opd_nama", "nama_program", "dimensi",
               "kode_nomenklatur", *budgets]
    frame = wide.reindex(columns=columns).copy()
    frame["kode"] = [normalise_code(v) if isinstance(v, str) and v.strip() else None
                     for v in frame["kode_nomenklatur"]]
    frame["kode_bersama"] = _shared(frame)
    return frame.reset_index(drop=True)


def _within(code: str, other: str) -> bool:
    return code == other or code.startswith(other + ".") or other.startswith(code + ".")


def _shared(frame: pd.DataFrame) -> list[str]:
    """Per program: the other programs of its OPD whose code is its own, or one within
    the other ('' when none)."""
    shared = [""] * len(frame)
    for _, group in frame[frame["kode"].notna()].groupby("opd_kode", sort=False):
        items = list(zip(group.index, group["kode"], group["nama_program"], strict=True))
        for i, code, _name in items:
            others = [f"{name} ({other})" for j, other, name in items
                      if j != i and _within(code, other)]
            shared[i] = "; ".join(others)
    return shared


class _Matcher:
    """The rows of one document under a code within an OPD (positions into its rows)."""

    def __init__(self, doc: BudgetDocument, row_opd: np.ndarray, opd_index: dict[str, int]):
        self.doc, self.row_opd, self.opd_index = doc, row_opd, opd_index
        self.categories = [str(c).split(".") for c in doc.rows.code.categories]
        self.cat_of_row = np.asarray(doc.rows.code.codes)
        self._groups: dict[tuple[int, bool], dict] = {}

    def _index(self, n_parts: int, wildcard: bool) -> dict:
        """(opd index, code prefix of n parts) -> row positions; with `wildcard` the
        prefix's bidang is written X.XX, so a penunjang code matches any bidang."""
        key = (n_parts, wildcard)
        if key not in self._groups:
            prefixes = np.array([".".join((["X", "XX"] + p[2:n_parts]) if wildcard else p[:n_parts])
                                 if len(p) >= n_parts else "" for p in self.categories]
                                or [""], dtype=object)
            frame = pd.DataFrame({"opd": self.row_opd,
                                  "prefix": prefixes[self.cat_of_row] if len(self.cat_of_row)
                                  else np.array([], dtype=object)})
            self._groups[key] = frame.groupby(["opd", "prefix"], sort=False).indices
        return self._groups[key]

    def __call__(self, opd: str, code: str | None) -> np.ndarray | None:
        """Row positions under the code, empty when none; None for a program without one."""
        if not isinstance(code, str):
            return None
        parts = code.split(".")
        wildcard = parts[0] == "X" or (len(parts) > 1 and parts[1] == "XX")
        index = self._index(len(parts), wildcard)
        if wildcard:
            code = ".".join(["X", "XX", *parts[2:]])
        return index.get((self.opd_index.get(opd, -2), code), np.array([], dtype=np.intp))


def _detail(doc: BudgetDocument, planned: pd.DataFrame, found: list) -> pd.DataFrame:
    rows = doc.rows
    amounts, realised, statuses, counts, places = [], [], [], [], []
    for positions in found:
        if positions is None:
            amounts.append(None)
            realised.append(None)
            statuses.append(BudgetStatus.NO_CODE)
            counts.append(0)
            places.append("")
            continue
        counted = positions[rows.counted[positions]]
        amount = int(rows.amount[counted].sum())
        amounts.append(amount)
        realised.append(int(rows.realised[counted].sum()) if doc.has_realised else None)
        statuses.append(BudgetStatus.FUNDED if amount > 0 else
                        BudgetStatus.LISTED if len(positions) else BudgetStatus.ABSENT)
        counts.append(len(positions))
        places.append(_places(rows, positions))
    year = doc.year
    return pd.DataFrame({
        "opd": planned["opd_kode"].tolist(), "opd_singkatan": planned["opd_singkatan"].tolist(),
        "opd_nama": planned["opd_nama"].tolist(), "nama": planned["nama_program"].tolist(),
        "kode": [c if isinstance(c, str) else None for c in planned["kode"]],
        "dimensi": planned["dimensi"].tolist(),
        "tahun": year, "tahap": str(doc.stage), "berkas": doc.file,
        "rencana": planned[f"anggaran_{year}"].astype("int64").tolist(),
        "anggaran": pd.array(amounts, dtype="Int64"),
        "anggaran_realisasi": pd.array(realised, dtype="Int64"),
        "status": statuses, "kode_bersama": planned["kode_bersama"].tolist(),
        "baris": counts, "letak": places,
    }, columns=PROGRAM_COLUMNS)


def _places(rows, positions: np.ndarray) -> str:
    """Where the rows are: 'Rekap!12-40, 55' per sheet, at most LOCATIONS_SHOWN ranges."""
    if not len(positions):
        return ""
    parts, shown = [], 0
    sheets = np.asarray(rows.sheet.codes)[positions]
    for sheet_code in np.unique(sheets):
        numbers = np.sort(rows.row[positions[sheets == sheet_code]])
        breaks = np.flatnonzero(np.diff(numbers) > 1)
        starts = np.concatenate(([numbers[0]], numbers[breaks + 1]))
        ends = np.concatenate((numbers[breaks], [numbers[-1]]))
        ranges = [f"{a}" if a == b else f"{a}-{b}" for a, b in zip(starts, ends, strict=True)]
        left = LOCATIONS_SHOWN - shown
        text = ", ".join(ranges[:left]) + (", ..." if len(ranges) > left else "")
        parts.append(f"{rows.sheet.categories[sheet_code]}!{text}")
        shown += len(ranges)
        if shown >= LOCATIONS_SHOWN:
            break
    return "; ".join(parts)


# --- the totals ------------------------------------------------------------------------------

def _summaries(doc: BudgetDocument, planned: pd.DataFrame, found: list,
               columns: list[str]) -> list[dict]:
    rows = doc.rows
    budget = planned[f"anggaran_{doc.year}"].to_numpy(dtype="int64") if len(planned) else \
        np.array([], dtype="int64")
    groups = planned.groupby(columns, sort=False).indices if columns else \
        {(): np.arange(len(planned))}
    out = []
    for key, members in groups.items():
        matched = [found[i] for i in members if found[i] is not None]
        union = np.unique(np.concatenate(matched)) if matched else np.array([], dtype=np.intp)
        counted = union[rows.counted[union]]
        funded = sum(1 for i in members if found[i] is not None and
                     rows.amount[found[i][rows.counted[found[i]]]].sum() > 0)
        plan_total = int(budget[members].sum())
        amount = int(rows.amount[counted].sum())
        label = dict(zip(columns, key if isinstance(key, tuple) else (key,), strict=True))
        out.append({**label, "tahun": doc.year, "tahap": str(doc.stage),
                    "program_rencana": len(members), "program_dianggarkan": funded,
                    "persen_program": _share(funded, len(members)),
                    "anggaran_rencana": plan_total, "anggaran_dokumen": amount,
                    "persen_anggaran": _share(amount, plan_total)})
    return out


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _by_opd(cfg: Config, rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["opd_kode", *SUMMARY_COLUMNS])
    order = {o.kode: i for i, o in enumerate(cfg.opds)}
    frame = frame.assign(_o=frame["opd_kode"].map(order)).sort_values(
        ["_o", "tahun"], kind="stable").drop(columns="_o")
    opds = cfg.opd_by_code
    frame.insert(1, "opd_singkatan", [opds[k].singkatan if k in opds else k
                                      for k in frame["opd_kode"]])
    frame.insert(2, "opd_nama", [opds[k].nama if k in opds else k for k in frame["opd_kode"]])
    return frame.rename(columns={"opd_kode": "opd"}).reset_index(drop=True)


def _by_dimension(cfg: Config, rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["dimensi", *SUMMARY_COLUMNS])
    order = {d: i for i, d in enumerate(cfg.dimensions)}
    return frame.assign(_o=frame["dimensi"].map(order)).sort_values(
        ["_o", "tahun"], kind="stable").drop(columns="_o").reset_index(drop=True)


def _skpd_rows(doc: BudgetDocument, mapped: list, row_opd: np.ndarray) -> list[SkpdRow]:
    rows = doc.rows
    counts = np.bincount(rows.skpd, minlength=len(rows.skpds))
    amounts = np.zeros(len(rows.skpds), dtype=np.int64)  # whole rupiah: no float sums
    np.add.at(amounts, rows.skpd, np.where(rows.counted, rows.amount, 0))
    return [SkpdRow(doc.file, key, skpd_label(key), m.opd, m.via, int(counts[i]),
                    int(amounts[i]))
            for i, (key, m) in enumerate(zip(rows.skpds, mapped, strict=True))]
