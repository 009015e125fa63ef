"""Every row and column rule of plan and evaluation files, one declaration each.

A rule's severity and message text are its catalogue entry; here are the column(s) it
marks, its check (True for the rows that pass) and its message parameters. The order of a
book is the order problems of one cell are reported in. How rules are run:
pipeline.rules.registry; how to add one: docs/ARCHITECTURE.md (section Rules).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from .. import layout
from ..catalogue import Code
from ..config import Config
from ..read import matching
from ..read.codes import bidang, level, normalise_code
from ..read.normalise import key, suggest, valid_nomenclature
from .registry import Failing, Rule, Rulebook

# Planners' shorthand whose nearest spelling would mislead: APBD II is the regency's
# budget, APBD I the province's. Used for suggestions only, never accepted silently.
_ALIASES = {
    "apbd ii": "APBD Kabupaten", "apbd 2": "APBD Kabupaten", "apbd kab": "APBD Kabupaten",
    "apbd kab.": "APBD Kabupaten", "apbd kota": "APBD Kabupaten", "apbdk": "APBD Kabupaten",
    "apbd i": "APBD Provinsi", "apbd 1": "APBD Provinsi", "apbd prov": "APBD Provinsi",
    "apbd prov.": "APBD Provinsi", "apbd provinsi sumut": "APBD Provinsi",
    "csr": "Swasta/CSR", "swasta": "Swasta/CSR", "dak fisik": "DAK", "dak non fisik": "DAK",
    "dd": "Dana Desa", "apbdes": "Dana Desa",
}


def _present(series: pd.Series, cfg: Config) -> pd.Series:
    return series.notna()


def _text_limit(column: layout.Column) -> int:
    return column.max_len or layout.LONG_TEXT


def _fits_length_in(columns_of):
    """The length check of a text column of columns_of(cfg) (plan or evaluation)."""
    def fits(series: pd.Series, cfg: Config) -> pd.Series:
        column = next(c for c in columns_of(cfg) if c.key == series.name)
        return series.str.len() <= _text_limit(column)
    return fits


def _too_long(failing: Failing) -> tuple[Any, dict[str, Any]]:
    text = failing.value or ""
    return text[:60] + "...", {"found": len(text), "expected": _text_limit(failing.column)}


# --- plan rules ----------------------------------------------------------------------------

def _quick_win(frame: pd.DataFrame) -> pd.Series:
    return frame["quick_win"] == "Ya"


def _qw_budget_missing(frame: pd.DataFrame, cfg: Config) -> pd.Series:
    return _quick_win(frame) & (frame[f"anggaran_{cfg.quick_win_year}"].fillna(-1) == 0)


def _exempt(frame: pd.DataFrame, cfg: Config) -> pd.Series:
    """Funding that needs no regional budget (CSR, ...)."""
    return frame["sumber_dana"].isin(list(cfg.funding_without_budget))


def _required(cfg: Config) -> list[str]:
    return [c.key for c in layout.program_columns(cfg)
            if c.required and c.key != "nama_program" and c.kind not in ("total", "number")]


def _long_texts(cfg: Config) -> list[str]:
    return [c.key for c in layout.program_columns(cfg)
            if c.max_len and c.kind not in ("total", "number")]


def _in_choices(series: pd.Series, cfg: Config) -> pd.Series:
    return series.isin(layout.choice_lists(cfg)[series.name])


def _choice_message(failing: Failing) -> tuple[Any, dict[str, Any]]:
    options = layout.choice_lists(failing.cfg)[failing.column.key]
    alias = _ALIASES.get(key(failing.value or ""))
    suggestion = alias if alias in options else suggest(failing.value or "", options)
    return failing.value, {"suggestion": suggestion}


def _element_fits(frame: pd.DataFrame, cfg: Config) -> pd.Series:
    owner = frame["elemen"].map(cfg.element_dimension)
    known = owner.notna() & frame["dimensi"].isin(list(cfg.dimensions))
    return ~known | (owner == frame["dimensi"])


def _element_message(failing: Failing) -> tuple[Any, dict[str, Any]]:
    record, cfg = failing.record, failing.cfg
    dimension = record["dimensi"]
    return failing.value, {"found": cfg.element_dimension.get(record["elemen"]),
                           "expected": dimension,
                           "options": ", ".join(cfg.dimensions.get(dimension, ()))}


def _planned(frame: pd.DataFrame, cfg: Config) -> pd.Series:
    """A row plans a year when it has a target or a budget above 0 (or an unread amount)."""
    targets = frame[[f"target_{y}" for y in cfg.years]].notna().any(axis=1)
    budgets = (frame[[f"anggaran_{y}" for y in cfg.years]].fillna(0) > 0).any(axis=1)
    return targets | budgets | frame["_unread_amount"]


def _quick_win_message(failing: Failing) -> tuple[Any, dict[str, Any]]:
    return failing.value, {"expected": failing.cfg.quick_win_year,
                           "found": failing.record["sumber_dana"]}


def _first_of_name(failing: Failing) -> tuple[Any, dict[str, Any]]:
    name_key = failing.record["_name_key"]
    first = min(row for row, record in failing.rows.items() if record["_name_key"] == name_key)
    return failing.value, {"found": first}


# --- against the [rujukan] lists: every check passes when the config names no list ---------

def _nomenclature_given(cfg: Config) -> bool:
    return cfg.references is not None and cfg.references.nomenclature is not None


def _rpjmd_given(cfg: Config) -> bool:
    return cfg.references is not None and cfg.references.rpjmd is not None


def _code_shape(series: pd.Series, cfg: Config) -> pd.Series:
    """The code's form; with a nomenclature list, also the 2019 form and stray spaces."""
    if _nomenclature_given(cfg):
        return series.map(lambda v: normalise_code(v) is not None).astype(bool)
    return series.map(valid_nomenclature).astype(bool)


def _code_exists(series: pd.Series, cfg: Config) -> pd.Series:
    if not _nomenclature_given(cfg):
        return pd.Series(True, index=series.index)
    refs = cfg.references

    def exists(value: object) -> bool:
        code, name = matching.lookup_code(refs, value)
        return code is None or name is not None  # not a code: the shape rule says so
    return series.map(exists).astype(bool)


def _missing_code_message(failing: Failing) -> tuple[Any, dict[str, Any]]:
    refs = failing.cfg.references
    code = normalise_code(failing.value) or ""
    near = matching.nearest_codes(refs, code) if code else []
    by_name = matching.code_for_name(refs, failing.record.get("nama_program"),
                                     level(code) if code else 3)
    return failing.value, {
        "options_text": f" Kode terdekat yang ada: {', '.join(near)}." if near else "",
        "suggestion_text": f" Menurut nama programnya, mungkin {by_name}." if by_name else ""}


def _known_codes(frame: pd.DataFrame, cfg: Config) -> list[tuple[str | None, str | None]]:
    return [matching.lookup_code(cfg.references, v) for v in frame["kode_nomenklatur"]]


def _urusan_fits(frame: pd.DataFrame, cfg: Config) -> pd.Series:
    if not _nomenclature_given(cfg):
        return pd.Series(True, index=frame.index)
    fits = []
    for (code, name), opd in zip(_known_codes(frame, cfg), frame["_opd"], strict=True):
        urusan = cfg.opd_by_code[opd].urusan if opd in cfg.opd_by_code else ()
        owner = bidang(code) if code and name is not None else None
        fits.append(not urusan or owner is None or owner.startswith("X")
                    or owner in urusan)
    return pd.Series(fits, index=frame.index)


def _urusan_message(failing: Failing) -> tuple[Any, dict[str, Any]]:
    code = normalise_code(failing.value) or ""
    opd = failing.cfg.opd_by_code[failing.record["_opd"]]
    return failing.value, {"found": bidang(code), "expected": ", ".join(opd.urusan)}


def _name_fits_code(frame: pd.DataFrame, cfg: Config) -> pd.Series:
    if not _nomenclature_given(cfg):
        return pd.Series(True, index=frame.index)
    refs = cfg.references
    texts = zip(frame["nama_program"], frame["deskripsi"], frame["acuan"], strict=True)
    return pd.Series([not (code and name) or matching.name_fits(refs, code, *row)
                      for (code, name), row in zip(_known_codes(frame, cfg), texts,
                                                   strict=True)],
                     index=frame.index)


def _name_message(failing: Failing) -> tuple[Any, dict[str, Any]]:
    _, name = matching.lookup_code(failing.cfg.references, failing.value)
    return failing.value, {"expected": name, "found": failing.record["nama_program"]}


def _rpjmd_matches(frame: pd.DataFrame, cfg: Config) -> list[matching.RpjmdMatch | None]:
    refs = cfg.references
    return [matching.match_rpjmd(refs, text, opd) if isinstance(text, str) else None
            for text, opd in zip(frame["acuan"], frame["_opd"], strict=True)]


def _rpjmd_known(frame: pd.DataFrame, cfg: Config) -> pd.Series:
    if not _rpjmd_given(cfg):
        return pd.Series(True, index=frame.index)
    return pd.Series([m is None or m.program is not None for m in _rpjmd_matches(frame, cfg)],
                     index=frame.index)


def _rpjmd_exact(frame: pd.DataFrame, cfg: Config) -> pd.Series:
    if not _rpjmd_given(cfg):
        return pd.Series(True, index=frame.index)
    return pd.Series([m is None or m.program is None or m.exact
                      for m in _rpjmd_matches(frame, cfg)], index=frame.index)


def _rpjmd_message(failing: Failing) -> tuple[Any, dict[str, Any]]:
    found = matching.match_rpjmd(failing.cfg.references, failing.value,
                                 failing.record.get("_opd"))
    return failing.value, {"suggestion": found.suggestion,
                           "expected": found.program.name if found.program else None}


PLAN = Rulebook(
    kind=layout.KIND_PLAN, sheet=layout.SHEET_PROGRAM, columns=layout.program_columns,
    nameless_only=Code.ISIAN_TANPA_NAMA_PROGRAM, skip_missing_columns=True, rules=(
        Rule(Code.ISIAN_TANPA_NAMA_PROGRAM, ("nama_program",), _present, blank_fails=True),
        Rule(Code.WAJIB_DIISI, _required, _present, blank_fails=True,
             message=lambda f: (f.value, {"hint": " (pilih dari daftar pilihan)"}
                                if f.column.kind == "choice" else {})),
        Rule(Code.DESKRIPSI_KOSONG, ("deskripsi",), _present, blank_fails=True),
        Rule(Code.TEKS_TERLALU_PANJANG, _long_texts, _fits_length_in(layout.program_columns),
             message=_too_long),
        Rule(Code.PILIHAN_TIDAK_DIKENAL, lambda cfg: list(layout.choice_lists(cfg)),
             _in_choices, message=_choice_message),
        Rule(Code.KODE_NOMENKLATUR_SALAH, ("kode_nomenklatur",), _code_shape),
        Rule(Code.NOMENKLATUR_TIDAK_ADA, ("kode_nomenklatur",), _code_exists,
             message=_missing_code_message),
        Rule(Code.NOMENKLATUR_URUSAN_LAIN, ("kode_nomenklatur",), _urusan_fits, on="row",
             message=_urusan_message),
        Rule(Code.NAMA_BEDA_NOMENKLATUR, ("kode_nomenklatur",), _name_fits_code, on="row",
             message=_name_message),
        Rule(Code.ACUAN_RPJMD_TIDAK_DIKENAL, ("acuan",), _rpjmd_known, on="row",
             message=_rpjmd_message),
        Rule(Code.ACUAN_RPJMD_DIBACA, ("acuan",), _rpjmd_exact, on="row",
             message=_rpjmd_message),
        Rule(Code.UANG_KECIL, lambda cfg: [f"anggaran_{y}" for y in cfg.years],
             lambda s, cfg: ~((s > 0) & (s < cfg.small_money)),
             message=lambda f: (f.record[f.column.key], {})),
        Rule(Code.ELEMEN_BUKAN_DIMENSI, ("elemen",), _element_fits, on="row",
             message=_element_message),
        Rule(Code.TIDAK_ADA_RENCANA, ("nama_program",), _planned, on="row",
             message=lambda f: (f.record["nama_program"], {"expected": f.cfg.period_label})),
        Rule(Code.QW_TANPA_TARGET, lambda cfg: [f"target_{cfg.quick_win_year}"],
             lambda frame, cfg: ~(_quick_win(frame)
                                  & frame[f"target_{cfg.quick_win_year}"].isna()
                                  & ~frame[f"_unread_target_{cfg.quick_win_year}"]),
             on="row", message=_quick_win_message),
        Rule(Code.QW_TANPA_ANGGARAN, lambda cfg: [f"anggaran_{cfg.quick_win_year}"],
             lambda frame, cfg: ~(_qw_budget_missing(frame, cfg) & ~_exempt(frame, cfg)),
             on="row", message=_quick_win_message),
        Rule(Code.MANFAAT_WAJIB_QW, ("manfaat",),
             lambda frame, cfg: ~(_quick_win(frame) & frame["manfaat"].isna()), on="row"),
        Rule(Code.QW_TANPA_ANGGARAN_NONAPBD, lambda cfg: [f"anggaran_{cfg.quick_win_year}"],
             lambda frame, cfg: ~(_qw_budget_missing(frame, cfg) & _exempt(frame, cfg)),
             on="row", message=_quick_win_message),
        Rule(Code.NAMA_PROGRAM_GANDA, ("nama_program",),
             lambda frame, cfg: ~frame.duplicated(["_file", "_name_key"], keep="first")
             | frame["_name_key"].isna(),
             on="row", message=_first_of_name),
    ))


# --- evaluation rules ----------------------------------------------------------------------

_REQUIRED_HINTS = {"realisasi_target": " (tulis 0 bila belum ada capaian)",
                   "realisasi_anggaran": " (tulis 0 bila tidak ada realisasi anggaran)"}


def _usable_satisfaction(satisfaction: pd.Series) -> pd.Series:
    """Kepuasan that passes its rules: 0, or 1 to 100."""
    return (satisfaction == 0) | satisfaction.between(1, 100)


def _usable_count(respondents: pd.Series) -> pd.Series:
    """Jumlah Responden that passes its rules, else 0: a whole number, not negative."""
    usable = (respondents >= 0) & (respondents % 1 == 0)
    return respondents.where(usable, 0).fillna(0)


def _enough_respondents(frame: pd.DataFrame, cfg: Config) -> pd.Series:
    rated = _usable_satisfaction(frame["kepuasan"])
    return ~rated | (_usable_count(frame["jumlah_responden"]) >= cfg.eval_min_respondents)


def _respondents_message(failing: Failing) -> tuple[Any, dict[str, Any]]:
    count = failing.record["jumlah_responden"]  # None when it failed its own rules
    return failing.value, {"found": int(count) if count is not None else "0 (kosong)",
                           "expected": failing.cfg.eval_min_respondents}


EVALUATION = Rulebook(
    kind=layout.KIND_EVALUATION, sheet=layout.SHEET_EVALUATION,
    columns=layout.evaluation_columns, rules=(
        Rule(Code.ISIAN_TANPA_NAMA_PROGRAM, ("nama_program",), _present, blank_fails=True),
        Rule(Code.ANGKA_NEGATIF, ("realisasi_target", "jumlah_responden"),
             lambda s, cfg: s >= 0, drops_value=True),
        Rule(Code.ANGKA_TIDAK_TERBACA, ("jumlah_responden",),
             lambda s, cfg: (s < 0) | (s % 1 == 0), drops_value=True,
             message=lambda f: (f.value, {"detail": "harus bilangan bulat", "expected": "120"})),
        Rule(Code.WAJIB_DIISI, tuple(_REQUIRED_HINTS), _present, blank_fails=True,
             message=lambda f: (f.value, {"hint": _REQUIRED_HINTS[f.column.key]})),
        Rule(Code.KEPUASAN_KOSONG, ("kepuasan",), _present, blank_fails=True),
        Rule(Code.KEPUASAN_DI_LUAR_BATAS, ("kepuasan",), lambda s, cfg: s.between(0, 100),
             drops_value=True),
        # "85%" typed into a number cell is stored as 0.85 by Excel, LibreOffice and
        # Google Sheets alike; nobody reports a satisfaction below 1%, so ask, never guess.
        Rule(Code.KEPUASAN_PECAHAN, ("kepuasan",), lambda s, cfg: ~((s > 0) & (s < 1)),
             drops_value=True),
        Rule(Code.RESPONDEN_KURANG, ("jumlah_responden",), _enough_respondents, on="row",
             message=_respondents_message),
        Rule(Code.TEKS_TERLALU_PANJANG, ("bukti_dukung", "kendala"),
             _fits_length_in(layout.evaluation_columns), message=_too_long),
    ))
