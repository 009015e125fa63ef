"""Every file dropped into the inbox ends in one recorded state; nothing is lost."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook
from plans import DINKES, DISDUKCAPIL, DISHUB, good_row, make_plan, quick_win_row

from pipeline import layout
from pipeline.cli import main
from pipeline.demo.filling import program_cell
from pipeline.write import run_outputs


def cli(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def status_json(ws) -> dict:
    result = cli("status", "--workspace", str(ws.root), "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def by_file(status: dict) -> dict[str, dict]:
    return {f["file"]: f for f in status["files"]}


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_kind_of_file_gets_a_state_and_the_archive_keeps_its_bytes(cfg, workspace,
                                                                          tmp_path, monkeypatch):
    # Write feedback in worker processes, as a run with many files does (files are always
    # judged in reader processes).
    monkeypatch.setattr(run_outputs, "SIDE_WORKER_MIN_SECONDS", 0)
    inbox, tpl = workspace.inbox, tmp_path / "tpl"
    good = make_plan(cfg, tpl, inbox / "Renja Disdukcapil.xlsx", DISDUKCAPIL,
                     [quick_win_row(cfg), good_row(cfg, nama_program="Program kedua")])
    make_plan(cfg, tpl, inbox / "wa" / "dinkes (1).xlsx", DINKES,
                    [good_row(cfg, elemen="Wajah Kota")])
    shutil.copy(good, inbox / "salinan disdukcapil.xlsx")
    (inbox / "~$Renja Disdukcapil.xlsx").write_bytes(b"\x00lock")
    (inbox / ".hidden.xlsx").write_bytes(b"x")
    (inbox / "catatan.txt").write_text("bukan excel", "utf-8")
    (inbox / "kosong.xlsx").write_bytes(b"")
    (inbox / "laporan.pdf").write_bytes(b"%PDF-1.4\n%...\n")

    result = cli("run", "--workspace", str(workspace.root))
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    files = by_file(status_json(workspace))
    expected = {
        "Renja Disdukcapil.xlsx": "accepted",
        "wa/dinkes (1).xlsx": "rejected",
        "salinan disdukcapil.xlsx": "ignored",
        "~$Renja Disdukcapil.xlsx": "ignored",
        ".hidden.xlsx": "ignored",
        "catatan.txt": "rejected",
        "kosong.xlsx": "rejected",
        "laporan.pdf": "rejected",
    }
    assert {name: f["status"] for name, f in files.items()} == expected
    assert "Renja Disdukcapil.xlsx" in files["salinan disdukcapil.xlsx"]["reason"]
    assert "kosong" in files["kosong.xlsx"]["reason"]
    assert "PDF" in files["laporan.pdf"]["reason"]
    assert files["Renja Disdukcapil.xlsx"]["opd"] == DISDUKCAPIL
    for name, entry in files.items():
        source = inbox / name
        assert entry["sha256"] == sha(source)
        archived = list((workspace.archive).rglob(f"{entry['sha256']}*"))
        assert len(archived) == 1 and archived[0].read_bytes() == source.read_bytes()
    assert (inbox / "kosong.xlsx").read_bytes() == b""  # the inbox is never modified
    assert sha(good) == files["Renja Disdukcapil.xlsx"]["sha256"]

    opd = {o["kode"]: o["status"] for o in status_json(workspace)["opd"]}
    assert opd[DISDUKCAPIL] == "diterima"
    assert opd[DINKES] == "perlu revisi"
    assert opd[DISHUB] == "belum mengumpulkan"
    assert len(opd) == len(cfg.opds)

    report = json.loads((workspace.output / "laporan_validasi.json").read_text("utf-8"))
    assert {f["file"] for f in report["files"]} == set(expected)
    kinds = {f["file"]: f["kind"] for f in report["files"]}
    assert kinds["Renja Disdukcapil.xlsx"] == "rencana" and kinds["catatan.txt"] is None
    elemen = [p for p in report["problems"] if p["code"] == "ELEMEN_BUKAN_DIMENSI"]
    assert len(elemen) == 1 and elemen[0]["file"] == "wa/dinkes (1).xlsx"
    assert elemen[0]["opd"] == DINKES and elemen[0]["sheet"] == "Program"
    for problem in report["problems"]:
        assert set(problem) >= {"file", "opd", "sheet", "cell", "column", "value", "code",
                                "severity", "message"}


def test_rejected_then_corrected_resubmission(cfg, workspace, tmp_path):
    inbox, tpl = workspace.inbox, tmp_path / "tpl"
    make_plan(cfg, tpl, inbox / "dinkes.xlsx", DINKES,
              [good_row(cfg, **{f"anggaran_{cfg.first_year}": "1.5"})])
    assert cli("run", "--workspace", str(workspace.root)).exit_code == 0
    assert {o["kode"]: o["status"] for o in status_json(workspace)["opd"]}[DINKES] == \
        "perlu revisi"
    assert (workspace.output / "umpan_balik" / "dinkes_umpan_balik.xlsx").exists()

    make_plan(cfg, tpl, inbox / "dinkes_revisi.xlsx", DINKES, [good_row(cfg)])
    result = cli("run", "--workspace", str(workspace.root), "--strict")
    assert result.exit_code == 1  # the first file is still in the inbox, still rejected
    status = status_json(workspace)
    assert {o["kode"]: o["status"] for o in status["opd"]}[DINKES] == "diterima"
    files = by_file(status)
    assert files["dinkes.xlsx"]["status"] == "rejected"
    assert files["dinkes_revisi.xlsx"]["status"] == "accepted"


def test_newer_accepted_file_replaces_older_and_reruns_reuse_the_ledger(cfg, workspace,
                                                                        tmp_path, monkeypatch):
    inbox, tpl = workspace.inbox, tmp_path / "tpl"
    make_plan(cfg, tpl, inbox / "v1.xlsx", DISHUB, [good_row(cfg, nama_program="Lama")])
    assert cli("run", "--workspace", str(workspace.root)).exit_code == 0
    make_plan(cfg, tpl, inbox / "v2.xlsx", DISHUB, [good_row(cfg, nama_program="Baru")])

    from pipeline.rules import judge

    judged: list[int] = []
    real = judge.judge_files
    monkeypatch.setattr(judge, "judge_files",
                        lambda paths, c, **kw: judged.append(len(paths)) or real(paths, c, **kw))
    assert cli("run", "--workspace", str(workspace.root)).exit_code == 0
    assert judged == [1]  # only the new file was parsed
    assert cli("run", "--workspace", str(workspace.root)).exit_code == 0
    assert judged == [1]  # nothing new: nothing parsed

    opd = {o["kode"]: o for o in status_json(workspace)["opd"]}[DISHUB]
    assert opd["status"] == "diterima" and opd["file"] == "v2.xlsx"
    book = load_workbook(workspace.output / "rekap_masterplan.xlsx", read_only=True)
    names = [row[0] for row in book["Daftar Program"].iter_rows(values_only=True)]
    flat = [str(v) for row in book["Daftar Program"].iter_rows(values_only=True) for v in row]
    assert "Baru" in flat and "Lama" not in flat, names


def test_changed_config_rejudges_from_the_archive(cfg, workspace, tmp_path):
    make_plan(cfg, tmp_path / "tpl", workspace.inbox / "a.xlsx", DISHUB,
              [good_row(cfg, sumber_dana="Lainnya")])
    assert cli("run", "--workspace", str(workspace.root)).exit_code == 0
    assert by_file(status_json(workspace))["a.xlsx"]["status"] == "accepted"
    text = workspace.config_path.read_text("utf-8").replace('"KPBU", "Lainnya"]', '"KPBU"]')
    workspace.config_path.write_text(text, "utf-8")
    # The change would drop the accepted plan: nothing happens until the operator confirms.
    rekap = (workspace.output / "rekap_masterplan.xlsx").read_bytes()
    refused = cli("run", "--workspace", str(workspace.root))
    assert refused.exit_code == 2
    assert "1 rencana" in refused.output and "a.xlsx" in refused.output
    assert "--terima-konfigurasi" in refused.output
    assert (workspace.output / "rekap_masterplan.xlsx").read_bytes() == rekap
    assert by_file(status_json(workspace))["a.xlsx"]["status"] == "accepted"
    assert cli("run", "--workspace", str(workspace.root), "--terima-konfigurasi").exit_code == 0
    assert by_file(status_json(workspace))["a.xlsx"]["status"] == "rejected"


def test_feedback_workbook_marks_cells_and_keeps_dropdowns(cfg, workspace, tmp_path):
    path = make_plan(cfg, tmp_path / "tpl", workspace.inbox / "Renja Dinkes.xlsx", DINKES,
                     [good_row(cfg, elemen="Wajah Kota", deskripsi=None)])
    assert cli("run", "--workspace", str(workspace.root)).exit_code == 0
    feedback = workspace.output / "umpan_balik" / "Renja Dinkes_umpan_balik.xlsx"
    book = load_workbook(feedback)
    program = book[layout.SHEET_PROGRAM]
    elemen = program[program_cell(load_workbook(path)[layout.SHEET_PROGRAM], "elemen", 0)]
    deskripsi = program[program_cell(program, "deskripsi", 0)]
    assert elemen.fill.fgColor.rgb.endswith("FFC7CE")  # red: error
    assert deskripsi.fill.fgColor.rgb.endswith("FFEB9C")  # yellow: warning
    assert "ELEMEN_BUKAN_DIMENSI" in elemen.comment.text
    assert "Smart Branding" in elemen.comment.text
    notes = book["Catatan Validasi"]
    assert book.sheetnames[0] == "Catatan Validasi"
    rows = list(notes.iter_rows(min_row=5, values_only=True))
    assert {r[6] for r in rows} == {"ELEMEN_BUKAN_DIMENSI", "DESKRIPSI_KOSONG"}
    link = next(c for c in notes["D"][4:] if c.value == elemen.coordinate)
    assert link.hyperlink.location == f"'Program'!{elemen.coordinate}" or \
        link.hyperlink.target.endswith(elemen.coordinate)
    validations = program.data_validations.dataValidation
    assert any(layout.LIST_NAMES["dimensi"] in (dv.formula1 or "") for dv in validations)
    assert any("INDIRECT" in (dv.formula1 or "") for dv in validations)
    assert layout.LIST_NAMES["dimensi"] in book.defined_names

    # The participant fixes the cell in the feedback workbook itself and sends it back.
    program[elemen.coordinate] = "Pelayanan Publik"
    program[deskripsi.coordinate] = "Uraian"
    book.save(workspace.inbox / "Renja Dinkes_umpan_balik.xlsx")
    assert cli("run", "--workspace", str(workspace.root)).exit_code == 0
    files = by_file(status_json(workspace))
    assert files["Renja Dinkes_umpan_balik.xlsx"]["status"] == "accepted"
    assert {o["kode"]: o["status"] for o in status_json(workspace)["opd"]}[DINKES] == "diterima"


def test_check_command_exit_codes_and_json(cfg, workspace, tmp_path):
    good = make_plan(cfg, tmp_path / "tpl", tmp_path / "good.xlsx", DISHUB, [good_row(cfg)])
    bad = make_plan(cfg, tmp_path / "tpl", tmp_path / "bad.xlsx", DISHUB,
                    [good_row(cfg, dimensi="Smart Govern")])
    ok = cli("check", "--workspace", str(workspace.root), str(good))
    assert ok.exit_code == 0, ok.output
    assert "DITERIMA" in ok.output
    result = cli("check", "--workspace", str(workspace.root), "--json", str(good), str(bad))
    assert result.exit_code == 1
    data = json.loads(result.output)
    [problem] = [p for p in data["problems"] if p["severity"] == "error"]
    assert problem["code"] == "PILIHAN_TIDAK_DIKENAL" and problem["file"] == "bad.xlsx"
    assert "Smart Governance" in problem["message"]
    assert not workspace.ledger_path.exists()  # check writes nothing into the ledger
    table = cli("check", "--workspace", str(workspace.root), str(bad))
    assert table.exit_code == 1 and "PILIHAN_TIDAK_DIKENAL" in table.output


def test_missing_config_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(main, ["run", "--workspace", str(tmp_path)])
    assert result.exit_code == 2
    assert "masterplan init" in result.output and "Traceback" not in result.output


def test_run_lists_only_files_needing_a_look_when_there_are_many(cfg, workspace, tmp_path,
                                                                   monkeypatch):
    from pipeline import cli as cli_module

    make_plan(cfg, tmp_path / "tpl", workspace.inbox / "baik.xlsx", DISHUB, [good_row(cfg)])
    make_plan(cfg, tmp_path / "tpl", workspace.inbox / "salah.xlsx", DINKES,
              [good_row(cfg, dimensi="Smart Govern")])
    full = cli("run", "--workspace", str(workspace.root))
    assert "baik.xlsx" in full.output and "salah.xlsx" in full.output
    monkeypatch.setattr(cli_module, "FULL_TABLE_MAX_FILES", 1)
    short = cli("run", "--workspace", str(workspace.root))
    assert short.exit_code == 0
    assert "salah.xlsx" in short.output and "baik.xlsx" not in short.output
    assert "1 berkas lain diterima" in short.output and "masterplan status" in short.output
