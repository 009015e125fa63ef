"""Judge returned files: safety check, read, normalise each cell, validate all rows at once.

The result of a file is a `Judgement`: accepted or rejected, its problems (each with the
cell to fix) and, for every file, its normalised rows. A file with any error is rejected
whole. Each file is read in a reader process (`readers()`, kept warm for the whole
command or server): a file that kills or exhausts its reader is rejected
(BERKAS_MERUSAK_PEMBACA) and never touches this process. The rows of all plan files,
and those of all evaluation files, are each validated in one pandera call against their
rulebook (pipeline.rules.schemas; rows carry `_file`). The hidden identity sheet says
which kind a file is: a plan (`rencana`) or a Quick Win evaluation (`evaluasi`, read by
pipeline.read.evaluation), which is also checked against the OPD's accepted Quick Wins
given by the caller.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import layout
from ..catalogue import Code, Problem, Severity, errors_in, has_errors
from ..common.isolation import Crashed, Pool
from ..common.ooxml import column_index
from ..common.parallel import cores
from ..config import Config
from ..read import evaluation as evaluation_reading
from ..read import extent, plan_rows, safety
from ..read.normalise import clean_text, key
from ..read.reading import (
    FilledSheet,
    ReadRejected,
    check_identity,
    open_workbook,
    read_meta,
    read_plan,
)
from ..results import FileState
from . import evaluation


@dataclass
class Judgement:
    status: FileState
    opd: str | None = None
    version: str | None = None
    kind: str | None = None  # layout.KIND_PLAN / KIND_EVALUATION; None: not a template
    problems: list[Problem] = field(default_factory=list)
    programs: list[dict[str, Any]] = field(default_factory=list)  # normalised rows
    contact: dict[str, str] = field(default_factory=dict)  # CONTACT_FIELDS that were filled

    @property
    def reason(self) -> str:
        """One line the operator can read: why this status."""
        errors = errors_in(self.problems)
        warnings = [p for p in self.problems if p.severity is Severity.WARNING]
        if self.status == FileState.IGNORED:
            return self.problems[0].message if self.problems else "Diabaikan."
        if self.status == FileState.REJECTED:
            if len(errors) == 1 and errors[0].cell is None:
                return errors[0].message
            return f"Ditolak: {len(errors)} kesalahan, {len(warnings)} peringatan; perbaiki " \
                   "sel yang ditandai di berkas umpan balik lalu kirim ulang."
        count = f"{len(self.programs)} program"
        if self.kind == layout.KIND_EVALUATION:
            count = f"{len(self.programs)} Quick Win dievaluasi"
        if warnings:
            return f"Diterima dengan {len(warnings)} peringatan; {count}."
        return f"Diterima; {count}."


def _identity_cell(sheet: FilledSheet, field_key: str) -> str:
    cell = sheet.identity_cells.get(field_key)
    if cell is None:
        index = [k for k, _ in layout.IDENTITY_FIELDS].index(field_key)
        cell = f"B{layout.IDENTITY_FIRST_ROW + index}"
    return cell


def _named_opd(cfg: Config, field_key: str, typed: str, own: str) -> str | None:
    """The configured OPD a typed Kode/Nama OPD names, preferring the template's own."""
    wanted = key(typed)
    names = ((o.kode,) if field_key == "kode_opd" else (o.nama, o.singkatan) for o in cfg.opds)
    found = [o.kode for o, texts in zip(cfg.opds, names, strict=True)
             if any(key(t) == wanted for t in texts if t)]
    return own if own in found else (found[0] if found else None)


def _identity_problems(sheet: FilledSheet, cfg: Config) -> list[Problem]:
    """The visible Identitas against the hidden identity, and who filled the file in.

    A Kode/Nama OPD naming another configured OPD means the file was filled on another
    OPD's template: counting it would replace that OPD's plan, so it is an error.
    """
    problems = []
    labels = dict(layout.IDENTITY_FIELDS)
    own = cfg.opd_by_code[sheet.opd_code]
    for field_key in ("kode_opd", "nama_opd"):
        typed = clean_text(sheet.identity.get(field_key))
        other = _named_opd(cfg, field_key, typed, own.kode) if typed else None
        if other and other != own.kode:
            named = cfg.opd_by_code[other]
            problems.append(Problem(
                Code.IDENTITAS_OPD_LAIN, sheet=layout.SHEET_IDENTITY,
                cell=_identity_cell(sheet, field_key), column=labels[field_key], value=typed,
                params={"found": f"{named.nama} ({named.kode})",
                        "expected": f"{own.nama} ({own.kode})", "found_code": named.kode}))
    if not clean_text(sheet.identity.get("nama_pengisi")):
        problems.append(Problem(Code.NAMA_PENGISI_KOSONG, sheet=layout.SHEET_IDENTITY,
                                cell=_identity_cell(sheet, "nama_pengisi"),
                                column="Nama Pengisi"))
    return problems


# Identitas fields kept with a judgement: who filled the file in and how to reach them.
CONTACT_FIELDS = ("nama_pengisi", "nip", "jabatan", "kontak")


def _contact(sheet: FilledSheet) -> dict[str, str]:
    return {k: text for k in CONTACT_FIELDS if (text := clean_text(sheet.identity.get(k)))}


def _public(record: dict[str, Any]) -> dict[str, Any]:
    row = {k: v for k, v in record.items() if not k.startswith("_")}
    row["row"] = record["_row"]
    return row


def prepare_file(path: Path, cfg: Config,
                 ) -> tuple[Judgement, FilledSheet | None, list[dict]]:
    """Everything about one file that needs no other file: safety, reading, cell parsing."""
    verdict = safety.inspect_file(path, extent=extent.limits_for(cfg))
    if not verdict.ok:
        problem = Problem(verdict.code, params=dict(verdict.params), detail=verdict.detail)
        judgement = Judgement(FileState.REJECTED, problems=[problem])
        if verdict.foreign_readable:
            _attribute_foreign(judgement, path, cfg)
        return judgement, None, []
    kind = None
    try:
        workbook = open_workbook(path)
        meta = read_meta(workbook)
        if meta.get("jenis_template") == layout.KIND_EVALUATION:
            kind = layout.KIND_EVALUATION
            sheet = evaluation_reading.read_evaluation(workbook, meta, cfg)
            records, problems = evaluation_reading.normalise_rows(sheet, cfg)
        else:
            kind = layout.KIND_PLAN
            sheet = read_plan(workbook, meta, cfg)
            records, problems = plan_rows.normalise_rows(sheet, cfg, 0)
    except ReadRejected as rejected:
        return Judgement(FileState.REJECTED, kind=kind, problems=[rejected.problem]), None, []
    except MemoryError:  # the reader is exhausted: its process is replaced (see readers)
        raise
    except Exception as exc:  # a reader crash on one file must not stop the run
        problem = Problem(Code.BERKAS_TIDAK_TERBACA, detail=f"{type(exc).__name__}: {exc}")
        return Judgement(FileState.REJECTED, kind=kind, problems=[problem]), None, []
    problems = sheet.problems + _identity_problems(sheet, cfg) + problems
    if not records and kind == layout.KIND_PLAN:
        problems.append(Problem(Code.TIDAK_ADA_PROGRAM, sheet=layout.SHEET_PROGRAM,
                                params={"expected": layout.PROGRAM_FIRST_DATA_ROW}))
    judgement = Judgement(FileState.ACCEPTED, opd=sheet.opd_code, version=sheet.meta.get("versi"),
                          kind=kind, problems=problems, contact=_contact(sheet))
    return judgement, sheet, records


def _attribute_foreign(judgement: Judgement, path: Path, cfg: Config) -> None:
    """An .xls/.ods template stays rejected, but its identity names the OPD and the kind,
    so the OPD reads "perlu revisi"; unreadable or not ours: left unattributed."""
    from ..read import foreign

    meta = foreign.read_meta(path)
    kind = (meta or {}).get("jenis_template")
    if meta is None or kind not in (layout.KIND_PLAN, layout.KIND_EVALUATION):
        return
    try:
        judgement.opd = check_identity(meta, cfg, kind)
    except ReadRejected:
        return
    judgement.kind, judgement.version = kind, meta.get("versi")


_readers: Pool | None = None


def readers() -> Pool:
    """The reader processes of this process, started at the first file and kept warm
    until it exits."""
    global _readers
    if _readers is None:
        _readers = Pool(cores(), warm=_warm_reader)
        atexit.register(_readers.close)
    return _readers


def start_readers() -> None:
    """Start the reader processes now, so the first file judged does not wait for them
    (serve, watch)."""
    with contextlib.suppress(OSError):  # none to be had now: the first file tries again
        readers().start()


def _warm_reader() -> None:
    """Runs in each reader process when it starts: the imports its first file needs."""
    import python_calamine  # noqa: F401

    from ..read import matching  # noqa: F401  (rapidfuzz)


def _prepare_all(paths: Sequence[Path], cfg: Config) -> list:
    """prepare_file for every path, each in a reader process, while this process imports
    pandas and pandera (for judge_files). A file whose reader died or ran out of memory
    or time is rejected; when no reader process can be started at all, the files are
    read here (never lost)."""
    importer = threading.Thread(target=_import_rules, daemon=True)
    importer.start()
    outcomes = readers().map_or_here(functools.partial(prepare_file, cfg=cfg), paths)
    importer.join()
    return [_reader_crashed(o) if isinstance(o, Crashed) else o for o in outcomes]


def _import_rules() -> None:
    from . import schemas  # noqa: F401  (pandas and pandera)


def _reader_crashed(crashed: Crashed) -> tuple[Judgement, None, list]:
    problem = Problem(Code.BERKAS_MERUSAK_PEMBACA, params={"detail": crashed.detail},
                      detail=crashed.detail)
    return Judgement(FileState.REJECTED, problems=[problem]), None, []


def judge_files(paths: Sequence[Path], cfg: Config,
                quick_wins: Mapping[str, Sequence[tuple[int | None, str]]] | None = None,
                ) -> list[Judgement]:
    """Judge many files; rows of all readable plan files are validated in one pandera call.

    quick_wins: OPD code -> (plan row, name) of its accepted Quick Wins (from the ledger); an
    evaluation file may only evaluate those. None: no OPD has accepted Quick Wins yet.
    """
    prepared = _prepare_all(paths, cfg)
    from . import schemas

    judgements: list[Judgement] = []
    sheets: dict[int, FilledSheet] = {}
    records: dict[str, list[dict[str, Any]]] = {layout.KIND_PLAN: [], layout.KIND_EVALUATION: []}
    for index, (judgement, sheet, file_records) in enumerate(prepared):
        judgements.append(judgement)
        if sheet is None:
            continue
        for record in file_records:
            record["_file"] = index
            record["_opd"] = judgement.opd
        sheets[index] = sheet
        records[judgement.kind].extend(file_records)
        judgement.programs = file_records

    for book in (schemas.PLAN, schemas.EVALUATION):
        _apply_rules(book, records[book.kind], sheets, judgements, cfg)
    for index, sheet in sheets.items():
        judgement = judgements[index]
        if judgement.kind == layout.KIND_EVALUATION:
            own = (quick_wins or {}).get(judgement.opd, ())
            judgement.problems += evaluation.check_quick_wins(sheet, judgement.programs, own)

    for judgement in judgements:
        judgement.problems.sort(key=_problem_order)
        if has_errors(judgement.problems):
            judgement.status = FileState.REJECTED
        judgement.programs = [_public(r) for r in judgement.programs]
    return judgements


def _apply_rules(book, records: list[dict[str, Any]], sheets: dict[int, FilledSheet],
                 judgements: list[Judgement], cfg: Config) -> None:
    """Run a rulebook over the rows of all files of its kind at once; each failure becomes
    a problem of its file."""
    import pandas as pd

    from . import registry

    if not records:
        return
    failures = registry.validate(pd.DataFrame.from_records(records), cfg, book)
    registry.drop_failed_values(book, failures, records)
    rows_by_file: dict[int, dict[int, dict[str, Any]]] = {}
    for record in records:
        rows_by_file.setdefault(record["_file"], {})[record["_row"]] = record
    raw_by_file = {i: {r.excel_row: r.values for r in sheets[i].rows} for i in rows_by_file}
    for failure in failures:
        record = records[failure.index]
        index = record["_file"]
        sheet = sheets[index]
        if book.skip_missing_columns and failure.column not in sheet.columns:
            continue  # the missing column is already reported once as a header problem
        problem = registry.failure_problem(book, failure, record,
                                           raw_by_file[index][record["_row"]], sheet.columns,
                                           cfg, rows_by_file[index])
        judgements[index].problems.append(problem)


def _problem_order(problem: Problem) -> tuple:
    """Errors first, then in reading order: sheet, row, column."""
    letters = "".join(ch for ch in (problem.cell or "") if ch.isalpha())
    column = column_index(letters) if letters else 0
    return (problem.severity is not Severity.ERROR, problem.sheet or "", problem.row or 0,
            column)
