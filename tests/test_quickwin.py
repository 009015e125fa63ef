"""Quick Win profiles, evaluation templates and evaluation results, end to end.

A small workshop (three OPDs, six Quick Wins, three dimensions without one) goes through
`run` and `quickwin`; the generated evaluation templates are filled the way participants
do, dropped into the inbox and run. Every percentage and status in
`output/evaluasi_quick_win.xlsx` is checked against values computed here.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from plans import DINKES, DISDUKCAPIL, DISHUB, good_row, make_plan, quick_win_row

from pipeline import layout
from pipeline import workspace as workspace_mod
from pipeline.assemble import quickwin
from pipeline.cli import main
from pipeline.demo.filling import fill_identity
from pipeline.read.references import load_config
from pipeline.store.access import shown

AKTA = "Layanan Akta Kelahiran Terintegrasi Puskesmas"
ADUAN = "Aduan Warga Tanpa Antrean"  # target 0 in the Quick Win year
TELEMEDISIN = "Telemedisin Puskesmas Terpencil"  # budget 0 (Swasta/CSR)
AMBULANS = "Ambulans Desa Siaga"
POSYANDU = "Posyandu Digital"  # never evaluated
BUS = "Bus Sekolah Gratis"
HALTE = "Halte Pintar"  # Dishub's program that is not a Quick Win

LIVING = {"dimensi": "Smart Living", "elemen": "Prasarana Kesehatan"}


def cli(*args: str):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


def plans(cfg, folder: Path, inbox: Path) -> None:
    qw = cfg.quick_win_year
    make_plan(cfg, folder, inbox / "rencana_disdukcapil.xlsx", DISDUKCAPIL, [
        quick_win_row(cfg, nama_program=AKTA),
        quick_win_row(cfg, nama_program=ADUAN, **{f"target_{qw}": 0,
                                                  f"anggaran_{qw}": 100_000_000}),
        good_row(cfg, nama_program="Digitalisasi Arsip Kependudukan"),
    ])
    make_plan(cfg, folder, inbox / "rencana_dinkes.xlsx", DINKES, [
        quick_win_row(cfg, nama_program=TELEMEDISIN, sumber_dana="Swasta/CSR", **LIVING,
                      **{f"target_{qw}": 80, f"anggaran_{qw}": 0}),
        quick_win_row(cfg, nama_program=AMBULANS, **LIVING,
                      **{f"target_{qw}": 40, f"anggaran_{qw}": 300_000_000}),
        quick_win_row(cfg, nama_program=POSYANDU, dimensi="Smart Society",
                      elemen="Interaksi Masyarakat",
                      **{f"target_{qw}": 100, f"anggaran_{qw}": 50_000_000}),
    ])
    make_plan(cfg, folder, inbox / "rencana_dishub.xlsx", DISHUB, dishub_rows(cfg))


def dishub_rows(cfg, halte_quick_win: bool = False) -> list[dict]:
    qw = cfg.quick_win_year
    transport = {"dimensi": "Smart Living", "elemen": "Sarana Transportasi"}
    halte = (quick_win_row(cfg, nama_program=HALTE, **transport,
                           **{f"target_{qw}": 20, f"anggaran_{qw}": 80_000_000})
             if halte_quick_win else good_row(cfg, nama_program=HALTE, **transport))
    return [quick_win_row(cfg, nama_program=BUS, **transport,
                          **{f"target_{qw}": 10, f"anggaran_{qw}": 500_000_000}), halte]


# --- reading and filling workbooks by header labels ----------------------------------------

def header_map(ws, label: str = "Nama Program", search: int = 60) -> tuple[int, dict[str, int]]:
    """(header row, label -> 1-based column) of the first row holding label."""
    for row in ws.iter_rows(min_row=1, max_row=search):
        labels = {str(c.value).strip(): c.column for c in row if c.value is not None}
        if label in labels:
            return row[0].row, labels
    raise AssertionError(f"no header with {label!r} in {ws.title}")


def table(ws, label: str = "Nama Program") -> list[dict]:
    """The rows under the header holding label, up to the first row without that label."""
    header, columns = header_map(ws, label)
    rows = []
    for values in ws.iter_rows(min_row=header + 1, values_only=True):
        record = {name: values[col - 1] for name, col in columns.items()
                  if col - 1 < len(values)}
        if record.get(label) in (None, ""):
            break
        rows.append(record)
    return rows


def fill_evaluation(template: Path, out: Path, values: dict[str, dict[str, object]],
                    rename: dict[str, str] | None = None) -> dict[str, dict[str, str]]:
    """Type values (Nama Program -> label -> value) into the template, as a participant.

    rename changes a prefilled Nama Program (as a participant who lifted the sheet
    protection would). Returns Nama Program -> label -> A1 of each cell written.
    """
    book = load_workbook(template)
    ws = book[layout.SHEET_EVALUATION]
    header, columns = header_map(ws)
    cells: dict[str, dict[str, str]] = {}
    for row in range(header + 1, ws.max_row + 1):
        name = ws.cell(row, columns["Nama Program"]).value
        if name in (rename or {}):
            name = rename[name]
            ws.cell(row, columns["Nama Program"]).value = name
        if name not in values:
            continue
        cells[name] = {"Nama Program": f"{get_column_letter(columns['Nama Program'])}{row}"}
        for label, value in values[name].items():
            ws.cell(row, columns[label]).value = value
            cells[name][label] = f"{get_column_letter(columns[label])}{row}"
    fill_identity(book[layout.SHEET_IDENTITY], {"nama_pengisi": "Rina Simanjuntak"})
    book.save(out)
    return cells


def evaluation(realised, spent, respondents=None, satisfaction=None, **more) -> dict:
    return {"Realisasi Target": realised, "Realisasi Anggaran (Rp)": spent,
            "Jumlah Responden": respondents, "Kepuasan Masyarakat (%)": satisfaction, **more}


def status_json(ws) -> dict:
    result = cli("status", "--workspace", str(ws.root), "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def report(ws) -> dict:
    return json.loads((ws.output / "laporan_validasi.json").read_text("utf-8"))


# --- the workshop ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def workshop(tmp_path_factory):
    """Plans accepted, `masterplan quickwin` run: the state before evaluations arrive."""
    base = tmp_path_factory.mktemp("quickwin")
    ws = workspace_mod.init(base / "ws")
    cfg = load_config(ws)
    plans(cfg, base / "tpl", ws.inbox)
    assert cli("run", "--workspace", str(ws.root)).exit_code == 0
    result = cli("quickwin", "--workspace", str(ws.root))
    assert result.exit_code == 0, result.output
    return {"ws": ws, "cfg": cfg, "base": base, "output": result.output}


def template_of(ws, opd_code: str) -> Path:
    [path] = [p for p in (ws.templates / "evaluasi").iterdir() if opd_code in p.name]
    return path


@pytest.fixture(scope="module")
def evaluated(workshop):
    """The filled evaluation templates dropped into the inbox and run."""
    ws, base = workshop["ws"], workshop["base"]
    copy = base / "evaluated"
    shutil.copytree(ws.root, copy)  # a workspace is one folder: copies keep working
    ws = workspace_mod.Workspace(copy)
    cells = {}
    cells["disdukcapil"] = fill_evaluation(
        template_of(ws, DISDUKCAPIL), ws.inbox / "evaluasi_disdukcapil.xlsx", {
            AKTA: evaluation(81, 150_000_000, 120, 87.5, **{"Bukti Dukung": "Laporan SIAK"}),
            ADUAN: evaluation(3, 100_000_000, 30, 70),
        })
    cells["dinkes_bad"] = fill_evaluation(
        template_of(ws, DINKES), ws.inbox / "evaluasi_dinkes.xlsx", {
            TELEMEDISIN: evaluation(100, 0, 60, 120),
            AMBULANS: evaluation(10, 250_000_000, 55, 64.5),
        })
    cells["dinkes"] = fill_evaluation(
        template_of(ws, DINKES), ws.inbox / "evaluasi_dinkes_revisi.xlsx", {
            TELEMEDISIN: evaluation(100, 0, 60, 95),
            AMBULANS: evaluation(10, "Rp 250.000.000", 55, 64.5),
        })
    cells["dishub"] = fill_evaluation(
        template_of(ws, DISHUB), ws.inbox / "evaluasi_dishub.xlsx",
        {HALTE: evaluation(5, 10_000_000, 80, 90)}, rename={BUS: HALTE})
    result = cli("run", "--workspace", str(ws.root))
    assert result.exit_code == 0, result.output
    return {**workshop, "ws": ws, "cells": cells}


def results_by_name(ws) -> dict[str, dict]:
    book = load_workbook(ws.output / layout.EVALUATION_RESULTS_NAME)
    return {row["Nama Program"]: row for row in table(book[layout.QW_SHEET_RESULTS])}


# --- masterplan quickwin -----------------------------------------------------------------

def test_profiles_one_per_quick_win_and_summary_names_dimensions_without_one(workshop):
    ws, cfg = workshop["ws"], workshop["cfg"]
    book = load_workbook(ws.output / layout.PROFILES_NAME)
    assert book.sheetnames == [layout.QW_SHEET_SUMMARY, layout.QW_SHEET_PROFILES]
    profiles = book[layout.QW_SHEET_PROFILES]
    titles = [c.value for c in profiles["A"] if str(c.value or "").startswith("Profil Quick Win")]
    assert titles == [f"Profil Quick Win {i} dari 6" for i in range(1, 7)]
    labelled = [(r[0], r[1]) for r in profiles.iter_rows(values_only=True) if r[0]]
    names = [value for label, value in labelled if label == "Nama Program"]
    # By dimension in config order, then OPD in config order, then plan row.
    assert names == [AKTA, ADUAN, TELEMEDISIN, AMBULANS, BUS, POSYANDU]
    first = dict(labelled[:20])
    qw = cfg.quick_win_year
    assert first["OPD Pelaksana"] == "Dinas Kependudukan dan Pencatatan Sipil (2.12.01)"
    assert first[f"Target {qw}"] == "90 %"
    assert first[f"Anggaran {qw} (Rp)"] == "Rp 200.000.000"
    assert first["Manfaat bagi Masyarakat"] == "Akta terbit 2 hari setelah lahir"
    for label in ("Dimensi", "Elemen", "Deskripsi", "Acuan RPJMD/RPD", "Indikator Kinerja",
                  "Satuan", "Kondisi Awal", "Sumber Dana"):
        assert first[label], label
    assert len(profiles.row_breaks.brk) == 5  # each profile prints on its own page

    summary = {r["Dimensi"]: r for r in table(book[layout.QW_SHEET_SUMMARY], "Dimensi")}
    assert summary["Smart Living"]["Jumlah Quick Win"] == 3
    assert summary["Smart Living"][f"Anggaran {qw} (Rp)"] == 800_000_000
    assert summary["Smart Branding"]["Jumlah Quick Win"] == 0
    assert summary["Total"]["Jumlah Quick Win"] == 6
    texts = [c.value for row in book[layout.QW_SHEET_SUMMARY].iter_rows() for c in row
             if isinstance(c.value, str)]
    [missing] = [t for t in texts if t.startswith("Dimensi tanpa Quick Win")]
    assert "Smart Branding, Smart Economy, Smart Environment" in missing
    assert "Smart Branding, Smart Economy, Smart Environment" in workshop["output"]


def test_one_locked_prefilled_evaluation_template_per_opd_with_quick_wins(workshop):
    ws, cfg = workshop["ws"], workshop["cfg"]
    qw = cfg.quick_win_year
    names = sorted(p.name for p in (ws.templates / "evaluasi").iterdir())
    assert len(names) == 3 and all("Evaluasi" in name for name in names)
    book = load_workbook(template_of(ws, DINKES))
    assert book.sheetnames == [layout.SHEET_GUIDE, layout.SHEET_IDENTITY,
                               layout.SHEET_EVALUATION, layout.SHEET_META]
    meta = {r[0]: r[1] for r in book[layout.SHEET_META].iter_rows(values_only=True)}
    assert meta["jenis_template"] == layout.KIND_EVALUATION and meta["kode_opd"] == DINKES
    assert book[layout.SHEET_META].sheet_state == "hidden"

    sheet = book[layout.SHEET_EVALUATION]
    header, columns = header_map(sheet)
    assert list(columns) == ["No", "Baris Rencana", "Nama Program", "Indikator Kinerja", "Satuan",
                             f"Target {qw}", f"Anggaran {qw} (Rp)", "Realisasi Target",
                             "Realisasi Anggaran (Rp)", "Jumlah Responden",
                             "Kepuasan Masyarakat (%)", "Bukti Dukung", "Kendala"]
    rows = table(sheet)
    assert [r["Nama Program"] for r in rows] == [TELEMEDISIN, AMBULANS, POSYANDU]
    first_plan_row = layout.PROGRAM_FIRST_DATA_ROW
    assert [r["Baris Rencana"] for r in rows] == [first_plan_row, first_plan_row + 1,
                                                  first_plan_row + 2]
    assert [r[f"Target {qw}"] for r in rows] == [80, 40, 100]
    assert [r[f"Anggaran {qw} (Rp)"] for r in rows] == [0, 300_000_000, 50_000_000]
    assert sheet.protection.sheet and not sheet.protection.password
    first = header + 1
    for label, col in columns.items():
        locked = sheet.cell(first, col).protection.locked
        assert locked == (label in ("No", "Baris Rencana", "Nama Program", "Indikator Kinerja",
                                    "Satuan",
                                    f"Target {qw}", f"Anggaran {qw} (Rp)")), label
    validations = {str(v.sqref).split(":")[0]: v for v in sheet.data_validations.dataValidation}
    kepuasan = validations[f"{get_column_letter(columns['Kepuasan Masyarakat (%)'])}{first}"]
    assert (kepuasan.type, kepuasan.formula1, kepuasan.formula2) == ("decimal", "0", "100")
    assert kepuasan.promptTitle and kepuasan.prompt
    responden = validations[f"{get_column_letter(columns['Jumlah Responden'])}{first}"]
    assert responden.type == "whole"
    guide = " ".join(str(c.value) for row in book[layout.SHEET_GUIDE].iter_rows() for c in row
                     if c.value)
    assert "akta kelahiran" in guide and "dua hari setelah melahirkan" in guide
    # The OPD's access code for the upload page (masterplan serve), and no other OPD's.
    codes = json.loads((ws.state / "akses.json").read_text("utf-8"))
    assert shown(codes[DINKES]) in guide
    assert not any(shown(code) in guide for kode, code in codes.items() if kode != DINKES)


# --- evaluations returned ------------------------------------------------------------------

def test_every_percentage_and_status_matches_the_values_computed_here(evaluated):
    ws = evaluated["ws"]
    results = results_by_name(ws)
    assert set(results) == {AKTA, ADUAN, TELEMEDISIN, AMBULANS, POSYANDU, BUS}

    def check(name, achievement, absorption, satisfaction, status):
        row = results[name]
        for label, expected in (("Capaian Target (%)", achievement),
                                ("Serapan Anggaran (%)", absorption),
                                ("Kepuasan Masyarakat (%)", satisfaction)):
            assert row[label] == (pytest.approx(expected) if expected is not None else None), \
                (name, label, row[label])
        assert row["Status"] == status, name
        return row

    akta = check(AKTA, 81 / 90 * 100, 150_000_000 / 200_000_000 * 100, 87.5, "Sebagian")
    assert akta["OPD"] == "Disdukcapil" and akta["Dimensi"] == "Smart Governance"
    assert akta["Berkas Evaluasi"] == "evaluasi_disdukcapil.xlsx"
    assert akta["Bukti Dukung"] == "Laporan SIAK"
    # Target 0: nothing to divide by; any realisation meets it.
    aduan = check(ADUAN, None, 100.0, 70, "Tercapai")
    assert "Target 0" in aduan["Catatan"] and "Responden 30" in aduan["Catatan"]
    # Planned budget 0 (Swasta/CSR): no absorption.
    telemedisin = check(TELEMEDISIN, 100 / 80 * 100, None, 95, "Tercapai")
    assert "Anggaran rencana 0" in telemedisin["Catatan"]
    assert telemedisin["Berkas Evaluasi"] == "evaluasi_dinkes_revisi.xlsx"
    check(AMBULANS, 10 / 40 * 100, 250_000_000 / 300_000_000 * 100, 64.5, "Belum")
    # Not in Dinkes' evaluation: listed as not evaluated.
    posyandu = check(POSYANDU, None, None, None, "Belum dievaluasi")
    assert "evaluasi_dinkes_revisi.xlsx" in posyandu["Catatan"]
    # Dishub's only evaluation file was rejected.
    bus = check(BUS, None, None, None, "Belum dievaluasi")
    assert "evaluasi_dishub.xlsx" in bus["Catatan"] and "ditolak" in bus["Catatan"]

    book = load_workbook(ws.output / layout.EVALUATION_RESULTS_NAME)
    summary = book[layout.QW_SHEET_SUMMARY]
    by_dimension = {r["Dimensi"]: r for r in table(summary, "Dimensi")}
    living = by_dimension["Smart Living"]
    assert (living["Quick Win"], living["Tercapai"], living["Sebagian"], living["Belum"],
            living["Belum dievaluasi"]) == (3, 1, 0, 1, 1)
    assert living["Rata-rata Capaian Target (%)"] == pytest.approx((125 + 25) / 2)
    assert living["Rata-rata Kepuasan Masyarakat (%)"] == pytest.approx((95 + 64.5) / 2)
    governance = by_dimension["Smart Governance"]
    assert (governance["Tercapai"], governance["Sebagian"]) == (1, 1)
    assert governance["Rata-rata Capaian Target (%)"] == pytest.approx(90)  # target 0 left out
    assert by_dimension["Smart Economy"]["Quick Win"] == 0
    assert by_dimension["Total"]["Quick Win"] == 6
    by_opd = {r["OPD"]: r for r in table(summary, "OPD")}
    assert by_opd["Dinkes"]["Belum dievaluasi"] == 1 and by_opd["Dishub"]["Belum dievaluasi"] == 1
    assert by_opd["Total"]["Tercapai"] == 2
    texts = [c.value for row in summary.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(t.startswith("Dimensi tanpa Quick Win: Smart Branding") for t in texts)
    with zipfile.ZipFile(ws.output / layout.EVALUATION_RESULTS_NAME) as archive:
        assert any(name.startswith("xl/charts/chart") for name in archive.namelist())


def test_bad_evaluations_are_rejected_at_the_cell_with_the_reason(evaluated):
    ws, cells = evaluated["ws"], evaluated["cells"]
    data = report(ws)
    files = {f["file"]: f for f in data["files"]}
    assert files["evaluasi_disdukcapil.xlsx"]["status"] == "accepted"
    assert files["evaluasi_dinkes_revisi.xlsx"]["status"] == "accepted"
    assert files["evaluasi_dinkes.xlsx"]["status"] == "rejected"
    assert files["evaluasi_dishub.xlsx"]["status"] == "rejected"

    def problems(file, code):
        return [p for p in data["problems"] if p["file"] == file and p["code"] == code]

    [foreign] = problems("evaluasi_dishub.xlsx", "EVALUASI_BUKAN_QUICK_WIN")
    assert foreign["cell"] == cells["dishub"][HALTE]["Nama Program"]
    assert (foreign["sheet"], foreign["severity"], foreign["value"], foreign["opd"]) == \
        ("Evaluasi", "error", HALTE, DISHUB)
    assert BUS in foreign["message"] and "bukan Quick Win" in foreign["message"]

    [too_high] = problems("evaluasi_dinkes.xlsx", "KEPUASAN_DI_LUAR_BATAS")
    assert too_high["cell"] == cells["dinkes_bad"][TELEMEDISIN]["Kepuasan Masyarakat (%)"]
    assert too_high["value"] == "120" and "0 dan 100" in too_high["message"]

    [few] = problems("evaluasi_disdukcapil.xlsx", "RESPONDEN_KURANG")
    assert few["severity"] == "warning"
    assert few["cell"] == cells["disdukcapil"][ADUAN]["Jumlah Responden"]
    assert "30" in few["message"] and "50" in few["message"]

    # The participant gets the file back with the cell marked.
    feedback = load_workbook(ws.output / "umpan_balik" / "evaluasi_dishub_umpan_balik.xlsx")
    marked = feedback[layout.SHEET_EVALUATION][foreign["cell"]]
    assert "EVALUASI_BUKAN_QUICK_WIN" in marked.comment.text

    # `check` reads the workspace's accepted Quick Wins too, and writes nothing.
    result = cli("check", "--workspace", str(ws.root), "--json",
                 str(ws.inbox / "evaluasi_dishub.xlsx"))
    assert result.exit_code == 1
    checked = json.loads(result.output)
    assert checked["files"][0]["kind"] == "evaluasi"
    assert "EVALUASI_BUKAN_QUICK_WIN" in {p["code"] for p in checked["problems"]}


def test_evaluation_files_never_change_an_opds_plan_status(evaluated):
    status = status_json(evaluated["ws"])
    opd = {o["kode"]: o for o in status["opd"]}
    for code, plan in ((DISDUKCAPIL, "rencana_disdukcapil.xlsx"),
                       (DINKES, "rencana_dinkes.xlsx"), (DISHUB, "rencana_dishub.xlsx")):
        assert (opd[code]["status"], opd[code]["file"]) == ("diterima", plan)
    kinds = {f["file"]: f["kind"] for f in status["files"]}
    assert kinds["rencana_dishub.xlsx"] == "rencana"
    assert kinds["evaluasi_dishub.xlsx"] == "evaluasi"
    book = load_workbook(evaluated["ws"].output / "rekap_masterplan.xlsx", read_only=True)
    flat = {str(v) for row in book["Daftar Program"].iter_rows(values_only=True) for v in row}
    assert HALTE in flat and "evaluasi_dishub.xlsx" not in flat


def test_a_revised_plan_rejudges_stored_evaluations(evaluated, tmp_path):
    """Dishub makes Halte Pintar a Quick Win: its stored evaluation is now accepted."""
    cfg = evaluated["cfg"]
    copy = tmp_path / "ws"
    shutil.copytree(evaluated["ws"].root, copy)
    ws = workspace_mod.Workspace(copy)
    make_plan(cfg, tmp_path / "tpl", ws.inbox / "rencana_dishub_revisi.xlsx", DISHUB,
              dishub_rows(cfg, halte_quick_win=True))
    assert cli("run", "--workspace", str(ws.root)).exit_code == 0
    files = {f["file"]: f for f in status_json(ws)["files"]}
    assert files["evaluasi_dishub.xlsx"]["status"] == "accepted"
    results = results_by_name(ws)
    assert results[HALTE]["Capaian Target (%)"] == pytest.approx(5 / 20 * 100)
    assert results[HALTE]["Serapan Anggaran (%)"] == pytest.approx(10_000_000 / 80_000_000 * 100)
    assert results[HALTE]["Status"] == "Belum"
    assert results[BUS]["Status"] == "Belum dievaluasi"

    # quickwin again: the new Quick Win gets a profile and a row in Dishub's template.
    assert cli("quickwin", "--workspace", str(ws.root)).exit_code == 0
    rows = table(load_workbook(template_of(ws, DISHUB))[layout.SHEET_EVALUATION])
    assert [r["Nama Program"] for r in rows] == [BUS, HALTE]


def test_an_evaluation_before_any_accepted_plan_says_to_send_the_plan_first(workshop,
                                                                            tmp_path):
    ws = workspace_mod.init(tmp_path / "fresh")
    fill_evaluation(template_of(workshop["ws"], DISHUB), ws.inbox / "evaluasi_dishub.xlsx",
                    {BUS: evaluation(8, 400_000_000, 75, 80)})
    assert cli("run", "--workspace", str(ws.root)).exit_code == 0
    [entry] = report(ws)["files"]
    assert entry["status"] == "rejected" and "belum punya Quick Win" in entry["reason"]
    opd = {o["kode"]: o["status"] for o in status_json(ws)["opd"]}
    assert opd[DISHUB] == "belum mengumpulkan"


@pytest.mark.parametrize(("achievement", "status"), [
    (None, "Tercapai"), (150, "Tercapai"), (100, "Tercapai"), (99.99, "Sebagian"),
    (50, "Sebagian"), (49.99, "Belum"), (0, "Belum"),
])
def test_status_thresholds(cfg, achievement, status):
    assert quickwin.status_for(achievement, cfg) == status


def test_status_thresholds_come_from_the_config(cfg):
    lenient = dataclasses.replace(cfg, eval_achieved=90.0, eval_partial=30.0)
    assert quickwin.status_for(92, lenient) == "Tercapai"
    assert quickwin.status_for(35, lenient) == "Sebagian"
    assert quickwin.percent(5, 0) is None and quickwin.percent(3, 4) == 75


@pytest.mark.libreoffice
def test_an_evaluation_saved_by_libreoffice_reads_the_same(evaluated, tmp_path, soffice):
    from conftest import convert

    from pipeline.store.checking import check

    ws, cfg = evaluated["ws"], evaluated["cfg"]
    original = ws.inbox / "evaluasi_disdukcapil.xlsx"
    resaved = convert(original, "xlsx", tmp_path / "lo", soffice)
    [(_, before), (_, after)] = check([original, resaved], cfg, ws.ledger_path)
    assert before.status == after.status == "accepted", after.problems
    assert after.kind == "evaluasi" and after.programs == before.programs
    assert [p.code for p in after.problems] == [p.code for p in before.problems]
    # The output workbooks open and print in LibreOffice.
    for name in (layout.PROFILES_NAME, layout.EVALUATION_RESULTS_NAME):
        assert convert(ws.output / name, "pdf", tmp_path / "pdf", soffice).stat().st_size > 0


def test_the_demo_workshop_goes_through_quickwin_and_evaluation(tmp_path):
    """`masterplan demo`, then `quickwin`, then every OPD evaluates its Quick Wins."""
    from pipeline.demo.workshop import make_demo
    from pipeline.store.ledger import Ledger

    result = make_demo(tmp_path / "demo", seed=7, use_libreoffice=False, echo=lambda _: None)
    ws = result.workspace
    assert cli("quickwin", "-w", str(ws.root)).exit_code == 0
    cfg = load_config(ws)
    ledger = Ledger(ws.ledger_path)
    try:
        from pipeline.store.holdings import accepted_quick_wins

        quick_wins = accepted_quick_wins(ledger, cfg)
    finally:
        ledger.close()
    templates = sorted((ws.templates / "evaluasi").glob("*Evaluasi*.xlsx"))
    assert len(templates) == len(quick_wins) > 10
    expected: dict[str, float] = {}
    qw = cfg.quick_win_year
    (ws.inbox / "evaluasi").mkdir()
    for number, template in enumerate(templates):
        ws_eval = load_workbook(template)[layout.SHEET_EVALUATION]
        rows = table(ws_eval)
        values = {}
        for i, row in enumerate(rows):
            target = row[f"Target {qw}"] or 0
            realised = round(target * (0.4 + 0.3 * ((number + i) % 3)), 2)
            values[row["Nama Program"]] = {
                "Realisasi Target": realised,
                "Realisasi Anggaran (Rp)": row[f"Anggaran {qw} (Rp)"] or 0,
                "Jumlah Responden": 60, "Kepuasan Masyarakat (%)": 80,
            }
            if target:
                expected[row["Nama Program"]] = realised / target * 100
        fill_evaluation(template, ws.inbox / "evaluasi" / f"eval_{number}.xlsx", values)
    assert cli("run", "-w", str(ws.root)).exit_code == 0
    results = {r["Nama Program"]: r for r in table(load_workbook(
        ws.output / "evaluasi_quick_win.xlsx", data_only=True)["Evaluasi Quick Win"])}
    assert set(expected) <= set(results)
    for name, achievement in expected.items():
        assert results[name]["Capaian Target (%)"] == pytest.approx(achievement, abs=0.05)
        want = "Tercapai" if achievement >= 100 else "Sebagian" if achievement >= 50 \
            else "Belum"
        assert results[name]["Status"] == want, name


# --- two Quick Wins of one name --------------------------------------------------------------

def fill_by_plan_row(template: Path, out: Path, values: dict[int, dict[str, object]],
                     plan_rows: dict[int, int] | None = None, old_template: bool = False,
                     ) -> dict[int, str]:
    """Type values (Baris Rencana -> label -> value) into the evaluation template.

    plan_rows overwrites Baris Rencana of a row (by its current value); old_template
    clears that column, header included, like a template written before it existed.
    Returns Baris Rencana -> the row's Nama Program cell."""
    book = load_workbook(template)
    ws = book[layout.SHEET_EVALUATION]
    header, columns = header_map(ws)
    plan_col = columns["Baris Rencana"]
    cells = {}
    for row in range(header + 1, ws.max_row + 1):
        plan_row = ws.cell(row, plan_col).value
        if plan_row in values:
            for label, value in values[plan_row].items():
                ws.cell(row, columns[label]).value = value
            cells[plan_row] = f"{get_column_letter(columns['Nama Program'])}{row}"
        if plan_row in (plan_rows or {}):
            ws.cell(row, plan_col).value = plan_rows[plan_row]
    if old_template:
        for row in range(header, ws.max_row + 1):
            ws.cell(row, plan_col).value = None
    fill_identity(book[layout.SHEET_IDENTITY], {"nama_pengisi": "Rina Simanjuntak"})
    book.save(out)
    return cells


@pytest.fixture(scope="module")
def twins(tmp_path_factory):
    """Dinkes plans two Quick Wins named Posyandu Digital (rows 4 and 6), targets 100 and 20."""
    base = tmp_path_factory.mktemp("twins")
    ws = workspace_mod.init(base / "ws")
    cfg = load_config(ws)
    qw = cfg.quick_win_year
    society = {"dimensi": "Smart Society", "elemen": "Interaksi Masyarakat"}
    make_plan(cfg, base / "tpl", ws.inbox / "rencana_dinkes.xlsx", DINKES, [
        quick_win_row(cfg, nama_program=POSYANDU, **society, indikator="Posyandu aktif",
                      **{f"target_{qw}": 100, f"anggaran_{qw}": 50_000_000}),
        good_row(cfg, nama_program=AMBULANS, **LIVING),
        quick_win_row(cfg, nama_program=POSYANDU, **society, indikator="Kader terlatih",
                      **{f"target_{qw}": 20, f"anggaran_{qw}": 80_000_000}),
    ])
    assert cli("run", "--workspace", str(ws.root)).exit_code == 0
    assert cli("quickwin", "--workspace", str(ws.root)).exit_code == 0
    return ws, base


def results_rows(ws) -> list[tuple]:
    book = load_workbook(ws.output / layout.EVALUATION_RESULTS_NAME)
    return [(r["Nama Program"], r["Indikator Kinerja"], r["Capaian Target (%)"], r["Status"])
            for r in table(book[layout.QW_SHEET_RESULTS])]


def test_two_quick_wins_of_one_name_each_get_their_own_evaluation_row(twins, tmp_path):
    ws, _ = twins
    first = layout.PROGRAM_FIRST_DATA_ROW
    rows = table(load_workbook(template_of(ws, DINKES))[layout.SHEET_EVALUATION])
    assert [(r["Baris Rencana"], r["Nama Program"], r["Indikator Kinerja"]) for r in rows] == \
        [(first, POSYANDU, "Posyandu aktif"), (first + 2, POSYANDU, "Kader terlatih")]
    copy = tmp_path / "ws"
    shutil.copytree(ws.root, copy)
    ws = workspace_mod.Workspace(copy)
    fill_by_plan_row(template_of(ws, DINKES), ws.inbox / "evaluasi_dinkes.xlsx", {
        first: evaluation(50, 40_000_000, 60, 90), first + 2: evaluation(20, 80_000_000, 60, 90)})
    assert cli("run", "--workspace", str(ws.root)).exit_code == 0
    files = {f["file"]: f["status"] for f in report(ws)["files"]}
    assert files["evaluasi_dinkes.xlsx"] == "accepted", report(ws)["problems"]
    assert results_rows(ws) == [(POSYANDU, "Posyandu aktif", pytest.approx(50), "Sebagian"),
                                (POSYANDU, "Kader terlatih", pytest.approx(100), "Tercapai")]


def test_one_quick_win_evaluated_twice_is_refused_at_the_second_row(twins, tmp_path):
    ws, _ = twins
    first = layout.PROGRAM_FIRST_DATA_ROW
    copy = tmp_path / "ws"
    shutil.copytree(ws.root, copy)
    ws = workspace_mod.Workspace(copy)
    # Both rows say they are the Quick Win of plan row 4 (protection lifted and edited).
    cells = fill_by_plan_row(template_of(ws, DINKES), ws.inbox / "evaluasi_dinkes.xlsx", {
        first: evaluation(50, 40_000_000), first + 2: evaluation(20, 80_000_000)},
        plan_rows={first + 2: first})
    assert cli("run", "--workspace", str(ws.root)).exit_code == 0
    data = report(ws)
    [twice] = [p for p in data["problems"] if p["code"] == "EVALUASI_GANDA"]
    assert twice["cell"] == cells[first + 2] and POSYANDU in twice["message"]
    assert {f["file"]: f["status"] for f in data["files"]}["evaluasi_dinkes.xlsx"] == "rejected"


def test_an_evaluation_template_without_baris_rencana_still_reads_in_plan_order(twins,
                                                                                tmp_path):
    ws, _ = twins
    first = layout.PROGRAM_FIRST_DATA_ROW
    copy = tmp_path / "ws"
    shutil.copytree(ws.root, copy)
    ws = workspace_mod.Workspace(copy)
    fill_by_plan_row(template_of(ws, DINKES), ws.inbox / "evaluasi_dinkes.xlsx", {
        first: evaluation(50, 40_000_000, 60, 90), first + 2: evaluation(5, 80_000_000, 60, 90)},
        old_template=True)
    assert cli("run", "--workspace", str(ws.root)).exit_code == 0
    data = report(ws)
    assert {f["file"]: f["status"] for f in data["files"]}["evaluasi_dinkes.xlsx"] == \
        "accepted", data["problems"]
    assert not [p for p in data["problems"] if p["file"] == "evaluasi_dinkes.xlsx"]
    assert results_rows(ws) == [(POSYANDU, "Posyandu aktif", pytest.approx(50), "Sebagian"),
                                (POSYANDU, "Kader terlatih", pytest.approx(25), "Belum")]
