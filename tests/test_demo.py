"""`make_demo`: a realistic workshop inbox, planted mistakes, and what the pipeline makes of it."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from pipeline import config as config_mod
from pipeline import layout
from pipeline.demo.workshop import (
    DEMO_MARKER,
    DemoFolderNotEmpty,
    DemoResult,
    build_plan,
    make_demo,
)
from pipeline.layout import feedback_name
from pipeline.read.references import load_config
from pipeline.results import FileState, PlanStatus
from pipeline.store.holdings import opd_statuses
from pipeline.store.ledger import Ledger

SEED = 2024
# A renamed header is checked on its own (see test_renamed_header_*).
HEADER_CODES = {"KOLOM_BERUBAH"}


def _demo(root: Path, **kwargs) -> tuple[DemoResult, list[str]]:
    lines: list[str] = []
    result = make_demo(root, seed=kwargs.pop("seed", SEED), echo=lines.append, **kwargs)
    return result, lines


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[DemoResult, list[str]]:
    """One demo with the default config, without LibreOffice (fast)."""
    return _demo(tmp_path_factory.mktemp("demo") / "demo", use_libreoffice=False)


@pytest.fixture(scope="module")
def report(demo) -> dict:
    result, _ = demo
    return json.loads((result.workspace.output / "laporan_validasi.json").read_text("utf-8"))


def _statuses(result: DemoResult) -> dict[str, str]:
    ws = result.workspace
    ledger = Ledger(ws.ledger_path)
    try:
        return {s.kode: s.status for s in opd_statuses(ledger, load_config(ws))}
    finally:
        ledger.close()


def _programs_by_file(result: DemoResult) -> dict[str, list[dict]]:
    """Program rows the ledger holds for each accepted file, by inbox path."""
    ledger = Ledger(result.workspace.ledger_path)
    try:
        out = {}
        for record in ledger.files():
            if record.status == "accepted" and record.carries_judgement:
                out[record.path] = [p for _, p in ledger.programs([record.sha256])]
        return out
    finally:
        ledger.close()


def _code_of(result: DemoResult, singkatan: str) -> str:
    return next(o.kode for o in load_config(result.workspace).opds if o.singkatan == singkatan)


# --- what the operator gets ----------------------------------------------------------------

def test_outputs_and_account(demo):
    result, lines = demo
    ws = result.workspace
    assert (ws.output / "rekap_masterplan.xlsx").is_file()
    assert (ws.output / "laporan_validasi.xlsx").is_file()
    assert (ws.output / "laporan_validasi.json").is_file()
    assert (ws.root / DEMO_MARKER).is_file()
    assert len(list(ws.templates.glob("*.xlsx"))) == len(load_config(ws).opds)
    text = "\n".join(lines)
    for where in ("rekap_masterplan.xlsx", "laporan_validasi.xlsx", "umpan_balik",
                  f"masterplan status --workspace {ws.root}"):
        assert where in text
    for name in result.silent:
        assert name in text


def test_inbox_looks_like_a_workshop(demo):
    result, _ = demo
    inbox = result.workspace.inbox
    assert (inbox / "Renja SC Dinkes final.xlsx").is_file()
    assert (inbox / "~$Renja SC Dinkes final.xlsx").is_file()
    assert (inbox / "whatsapp" / "masterplan_dishub (1).xlsx").is_file()
    assert (inbox / "whatsapp" / "masterplan_dishub_revisi.xlsx").is_file()
    assert list((inbox / "email").glob("*.xlsx"))


def test_opd_statuses(demo):
    result, _ = demo
    status = _statuses(result)
    assert 3 <= len(result.silent_codes) <= 5
    assert len(result.silent) == len(result.silent_codes)
    for kode in result.silent_codes:
        assert status[kode] == PlanStatus.MISSING
    assert result.corrected == [_code_of(result, "Dishub")]
    assert status[_code_of(result, "Dishub")] == PlanStatus.ACCEPTED
    assert sorted(result.still_rejected) == sorted(
        [_code_of(result, "Distan"), _code_of(result, "Dinas PUPR")])
    for kode in result.still_rejected:
        assert status[kode] == PlanStatus.REVISE
    others = set(status) - set(result.silent_codes) - set(result.still_rejected)
    assert others and all(status[k] == PlanStatus.ACCEPTED for k in others)
    # The flagship Quick Win always arrives.
    assert status[_code_of(result, "Disdukcapil")] == PlanStatus.ACCEPTED


def test_dishub_was_rejected_first_then_accepted(demo):
    result, _ = demo
    first = {s.kode: s.status for s in result.first_summary.statuses}
    assert first[_code_of(result, "Dishub")] == PlanStatus.REVISE


# --- the planted mistakes --------------------------------------------------------------

def test_every_planted_file_ends_in_the_expected_state(demo, report):
    result, _ = demo
    files = {f["file"]: f for f in report["files"]}
    assert result.planted and result.mistakes
    assert [(p.file, p.description) for p in result.planted] == result.mistakes
    for planted in result.planted:
        assert files[planted.file]["status"] == planted.outcome, planted


def test_planted_errors_are_reported_at_their_cells(demo, report):
    result, _ = demo
    found = {(p["file"], p["code"], p["cell"]) for p in report["problems"]}
    checked = [p for p in result.planted
               if p.code and p.outcome != FileState.IGNORED and p.code not in HEADER_CODES]
    codes = {p.code for p in checked}
    assert {"ELEMEN_BUKAN_DIMENSI", "QW_TANPA_TARGET", "UANG_AMBIGU", "PILIHAN_TIDAK_DIKENAL",
            "KODE_NOMENKLATUR_SALAH", "BARIS_JUMLAH_DIABAIKAN"} <= codes
    for planted in checked:
        assert (planted.file, planted.code, planted.cell) in found, planted


def test_planted_element_error_names_both_dimensions(demo, report):
    result, _ = demo
    planted = next(p for p in result.planted if p.code == "ELEMEN_BUKAN_DIMENSI")
    problem = next(p for p in report["problems"]
                   if p["file"] == planted.file and p["code"] == planted.code)
    assert problem["value"] == planted.typed
    assert problem["column"] == "Elemen"
    assert "Smart Living" in problem["message"] and "Smart Economy" in problem["message"]


def test_ignored_files_have_their_reason(demo, report):
    result, _ = demo
    files = {f["file"]: f for f in report["files"]}
    ignored = [p for p in result.planted if p.outcome == FileState.IGNORED]
    assert {p.code for p in ignored} == {"BERKAS_KUNCI", "BERKAS_SAMA"}
    for planted in ignored:
        assert files[planted.file]["status"] == "ignored"


def test_valid_text_forms_are_read_and_normalised(demo, report):
    result, _ = demo
    programs = _programs_by_file(result)
    cells_with_problems = {(p["file"], p["cell"]) for p in report["problems"]}
    valid = [p for p in result.planted
             if p.outcome == FileState.ACCEPTED and p.code is None and p.column]
    kinds = {p.column.split("_")[0] for p in valid}
    assert {"anggaran", "dimensi", "quick", "nama"} <= kinds
    for planted in valid:
        row = next(r for r in programs[planted.file] if r["row"] == planted.row)
        assert row[planted.column] == planted.expected, planted
        assert (planted.file, planted.cell) not in cells_with_problems, planted


def test_text_money_forms(demo):
    result, _ = demo
    typed = [p.typed for p in result.planted if p.column and p.column.startswith("anggaran_")
             and p.outcome == FileState.ACCEPTED]
    assert any(re.fullmatch(r"Rp \d{1,3}(\.\d{3})+,-", t) for t in typed)
    assert any(re.fullmatch(r"\d+ juta", t) for t in typed)
    assert any(re.fullmatch(r"\d+(,\d{1,2})? M", t) for t in typed)
    assert any("\u00a0" in t for t in typed)


def test_total_row_is_not_a_program(demo):
    result, _ = demo
    planted = next(p for p in result.planted if p.code == "BARIS_JUMLAH_DIABAIKAN")
    rows = _programs_by_file(result)[planted.file]
    assert all(r["nama_program"] != "JUMLAH" for r in rows)
    # every row between the header and the JUMLAH row is a program, counted once
    assert len(rows) == planted.row - layout.PROGRAM_FIRST_DATA_ROW


def test_signature_block_is_one_warning_and_not_a_program(demo, report):
    result, _ = demo
    planted = next(p for p in result.planted if p.code == "TANDA_TANGAN_DIABAIKAN")
    problems = [p for p in report["problems"] if p["file"] == planted.file]
    assert [p["code"] for p in problems if (p["row"] or 0) >= planted.row] == [planted.code]
    assert all(r["row"] < planted.row for r in _programs_by_file(result)[planted.file])


def test_feedback_workbooks_for_files_with_problems(demo):
    result, _ = demo
    folder = result.workspace.output / "umpan_balik"
    with_problems = {p.file for p in result.planted if p.code and p.outcome != FileState.IGNORED}
    # The rejected Dishub file was corrected: its feedback needs no action any more.
    superseded = "whatsapp/masterplan_dishub (1).xlsx"
    assert superseded in with_problems
    for file in with_problems - {superseded}:
        assert (folder / feedback_name(file)).is_file(), file
    assert not (folder / feedback_name(superseded)).exists()
    assert (folder / "lama" / feedback_name(superseded)).is_file()
    # The corrected file has nothing to fix.
    assert not (folder / feedback_name("whatsapp/masterplan_dishub_revisi.xlsx")).exists()
    # Every flagged input cell of every feedback workbook can be fixed in place.
    report = json.loads((result.workspace.output / "laporan_validasi.json").read_text("utf-8"))
    checked = 0
    for file in with_problems:
        place = folder / "lama" if file == superseded else folder
        book = load_workbook(place / feedback_name(file))
        for p in report["problems"]:
            if p["file"] == file and p["cell"] and \
                    layout.is_input_cell(p["sheet"], p["column"], p["row"]):
                assert book[p["sheet"]].protection.sheet
                assert book[p["sheet"]][p["cell"]].protection.locked is False, (file, p)
                checked += 1
    assert checked >= len(with_problems) // 2


def test_renamed_header_rejects_the_file(demo, report):
    result, _ = demo
    planted = next(p for p in result.planted if p.code in HEADER_CODES)
    header = [p for p in report["problems"] if p["file"] == planted.file
              and p["code"] in ("KOLOM_BERUBAH", "KOLOM_HILANG")]
    assert any(p["column"] == "Nama Program" for p in header)


def test_renamed_header_is_reported_as_renamed(demo, report):
    result, _ = demo
    planted = next(p for p in result.planted if p.code in HEADER_CODES)
    problems = [p for p in report["problems"] if p["file"] == planted.file]
    assert ("KOLOM_BERUBAH", planted.cell) in {(p["code"], p["cell"]) for p in problems}
    assert all(p["cell"] and p["sheet"] for p in problems if p["severity"] == "error")


# --- the content -----------------------------------------------------------------------

def test_content_is_plausible(demo):
    result, _ = demo
    cfg = load_config(result.workspace)
    qw = cfg.quick_win_year
    ledger = Ledger(result.workspace.ledger_path)
    try:
        counted = [s for s in opd_statuses(ledger, cfg) if s.counted_sha256]
        dimensions, elements = set(), set()
        for status in counted:
            rows = [p for _, p in ledger.programs([status.counted_sha256])]
            assert len(rows) >= 3, status.singkatan
            quick = [r for r in rows if r["quick_win"] == "Ya"]
            assert 1 <= len(quick) <= 2, status.singkatan
            for row in quick:
                assert row["manfaat"] and row[f"target_{qw}"] is not None
                assert row[f"anggaran_{qw}"] > 0
            for row in rows:
                dimensions.add(row["dimensi"])
                elements.add(row["elemen"])
                assert row["elemen"] in cfg.dimensions[row["dimensi"]]
                amounts = [row[f"anggaran_{y}"] for y in cfg.years if row[f"anggaran_{y}"]]
                assert amounts and all(10 * 10**6 <= a <= 20 * 10**9 for a in amounts)
    finally:
        ledger.close()
    assert dimensions == set(cfg.dimensions)
    assert elements == set(cfg.element_dimension)


def test_same_seed_same_content(demo, tmp_path):
    first, _ = demo
    second, _ = _demo(tmp_path / "again", use_libreoffice=False)
    assert _programs_by_file(second) == _programs_by_file(first)
    assert second.planted == first.planted
    assert second.silent == first.silent


def test_another_seed_other_content():
    import tomllib

    cfg = config_mod.parse(tomllib.loads(config_mod.default_text()))
    one, two = build_plan(cfg, 1), build_plan(cfg, 2)
    assert [s.rows for s in one.submissions] != [s.rows for s in two.submissions]
    assert [s.rows for s in build_plan(cfg, 1).submissions] == [s.rows for s in one.submissions]


# --- the folder -------------------------------------------------------------------------

def test_refuses_a_non_empty_folder(tmp_path):
    root = tmp_path / "ws"
    root.mkdir()
    (root / "catatan.txt").write_text("punya operator")
    with pytest.raises(DemoFolderNotEmpty, match="--force"):
        make_demo(root, echo=lambda _: None)
    # force clears only a previous demo, never another folder
    with pytest.raises(DemoFolderNotEmpty, match=DEMO_MARKER):
        make_demo(root, force=True, echo=lambda _: None)
    assert (root / "catatan.txt").read_text() == "punya operator"
    assert [p.name for p in root.iterdir()] == ["catatan.txt"]


def test_refuses_a_real_workspace_even_with_force(workspace):
    (workspace.inbox / "kiriman.xlsx").write_bytes(b"PK")
    with pytest.raises(DemoFolderNotEmpty):
        make_demo(workspace.root, force=True, echo=lambda _: None)
    assert (workspace.inbox / "kiriman.xlsx").read_bytes() == b"PK"


def _small_config() -> str:
    """Another period, a later Quick Win year, six default OPDs and two the table lacks."""
    text = config_mod.default_text()
    text = text.replace("tahun_awal = 2024", "tahun_awal = 2026")
    text = text.replace("jumlah_tahun = 10", "jumlah_tahun = 5")
    text = text.replace("tahun_quick_win = 2024", "tahun_quick_win = 2027")
    head, *opds = text.split("\n[[opd]]\n")
    extra = ['kode = "7.01.02"\nnama = "Kecamatan Barus"\nsingkatan = "Kec. Barus"\n',
             'kode = "9.01.01"\nnama = "Badan Riset Sawit"\nsingkatan = "BRS"\n']
    return "\n[[opd]]\n".join([head, *opds[:6], *extra])


def test_another_config_and_force(tmp_path):
    root = tmp_path / "kecil"
    result, _ = _demo(root, use_libreoffice=False, config_text=_small_config())
    cfg = load_config(result.workspace)
    assert cfg.years == [2026, 2027, 2028, 2029, 2030] and len(cfg.opds) == 8
    status = _statuses(result)
    assert result.corrected and status[result.corrected[0]] == PlanStatus.ACCEPTED
    assert PlanStatus.REVISE in status.values() and PlanStatus.ACCEPTED in status.values()
    for rows in _programs_by_file(result).values():
        for row in rows:
            assert set(row) >= {f"anggaran_{y}" for y in cfg.years}
            if row["quick_win"] == "Ya":
                assert row["target_2027"] is not None
    assert (result.workspace.output / "rekap_masterplan.xlsx").is_file()

    # force replaces the previous demo; the operator's own file beside it stays
    (root / "catatan operator.txt").write_text("jangan dihapus")
    (result.workspace.inbox / "sisa.xlsx").write_bytes(b"old")
    again, _ = _demo(root, force=True, use_libreoffice=False, config_text=_small_config())
    assert (root / "catatan operator.txt").read_text() == "jangan dihapus"
    assert not (again.workspace.inbox / "sisa.xlsx").exists()
    assert _programs_by_file(again) == _programs_by_file(result)


# --- LibreOffice as a real client ------------------------------------------------------

@pytest.mark.libreoffice
def test_libreoffice_saved_file_is_accepted(tmp_path):
    if not (shutil.which("soffice") or shutil.which("libreoffice")):
        pytest.skip("LibreOffice (soffice) is not installed")
    result, lines = _demo(tmp_path / "lo", use_libreoffice=True)
    assert result.libreoffice_file, "\n".join(lines)
    path = result.workspace.inbox / result.libreoffice_file
    with zipfile.ZipFile(path) as package:
        assert "LibreOffice" in package.read("docProps/app.xml").decode("utf-8")
    files = {f.path: f for f in result.summary.files}
    assert files[result.libreoffice_file].status is FileState.ACCEPTED
    planted = next(p for p in result.planted if p.file == result.libreoffice_file)
    assert _statuses(result)[planted.opd] == PlanStatus.ACCEPTED


def test_demo_checks_plans_against_its_rpjmd_and_nomenclature(demo, report):
    """Done when of issue 21: every counted program carries an existing code (or none)
    and an RPJMD program; the participant who typed a code that does not exist is
    flagged at that cell."""
    import csv

    result, _ = demo
    ws = result.workspace
    assert "[rujukan]" in ws.config_path.read_text("utf-8")
    unknown = [p for p in report["problems"] if p["code"] == "NOMENKLATUR_TIDAK_ADA"]
    assert len(unknown) == 1 and "Kode terdekat yang ada" in unknown[0]["message"]
    planted = next(p for p in result.planted if p.code == "NOMENKLATUR_TIDAK_ADA")
    assert (unknown[0]["file"], unknown[0]["cell"]) == (planted.file, planted.cell)
    with open(ws.output / "data" / "program.csv", encoding="utf-8") as data:
        programs = list(csv.DictReader(data))
    assert programs and all(p["program_rpjmd"] for p in programs)
    assert all(p["nama_nomenklatur"] for p in programs if p["kode_nomenklatur"])
    rekap = load_workbook(ws.output / "rekap_masterplan.xlsx", read_only=True)
    rows = list(rekap["Keselarasan RPJMD"].iter_rows(values_only=True))
    referred = sum(r[4] for r in rows if r and isinstance(r[0], int) and
                   isinstance(r[4], int))
    assert referred == len(programs)


def test_the_demo_apbd_has_realistic_gaps_and_pantau_ran(demo):
    """The first year's fictional APBD (flat rekap) in anggaran/, read back by pantau:
    programs funded, funded less, not funded, one listed with 0, one OPD absent."""
    import openpyxl

    result, lines = demo
    ws = result.workspace
    budget = result.budget
    assert budget.path.parent.parent == ws.budget_docs and budget.path.suffix == ".xlsx"
    header = next(openpyxl.load_workbook(budget.path, read_only=True).active.iter_rows(
        max_row=1, values_only=True))
    assert header[:3] == ("NO", "TAHUN", "KODE URUSAN") and header[-1] == "PAGU"
    assert budget.funded and budget.less and budget.unfunded and budget.listed_zero
    mon = result.pantau.monitoring
    (doc,) = mon.documents
    assert (doc.year, str(doc.stage)) == (load_config(ws).first_year, "apbd")
    statuses = {str(s) for s in mon.programs["status"]}
    assert statuses >= {"dianggarkan", "tercantum tanpa pagu", "tidak ada di dokumen"}
    listed = mon.programs[mon.programs["nama"] == budget.listed_zero]
    assert [str(s) for s in listed["status"]] == ["tercantum tanpa pagu"]
    absent = mon.programs[mon.programs["opd"] == budget.absent_opd]
    assert len(absent) and {str(s) for s in absent["status"]} <= {"tidak ada di dokumen",
                                                                  "tanpa kode"}
    # Funded less: below plan, unless another program's code holds it (its rows add up).
    less = mon.programs[mon.programs["nama"].isin(budget.less)
                        & (mon.programs["kode_bersama"] == "")]
    assert len(less) and ((less["anggaran"] > 0) & (less["anggaran"] < less["rencana"])).all()
    assert (ws.output / "keterlaksanaan_masterplan.xlsx").is_file()
    assert any("dianggarkan dalam APBD" in line for line in lines)
