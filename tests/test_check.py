"""`masterplan check`: files and folders judged without the ledger, the run report's JSON
shape, and its exit codes (0 all accepted, 1 a file rejected, 2 an operator mistake)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from plans import DINKES, DISDUKCAPIL, DISHUB, good_row, make_plan
from test_cli_indonesian import ENGLISH  # click's English chrome, never shown

from pipeline.cli import main


def cli(*args: str):
    return CliRunner().invoke(main, list(args), prog_name="masterplan")


def test_check_a_folder_checks_the_workbooks_in_it(cfg, workspace, tmp_path):
    folder = tmp_path / "kiriman"
    make_plan(cfg, tmp_path / "tpl", folder / "dishub.xlsx", DISHUB, [good_row(cfg)])
    make_plan(cfg, tmp_path / "tpl", folder / "hari2" / "dinkes.xlsx", DINKES,
              [good_row(cfg, dimensi="Smart Govern")])
    (folder / "hari2" / "~$dinkes.xlsx").write_bytes(b"lock")
    (folder / "catatan.pdf").write_bytes(b"%PDF-1.4 catatan rapat")
    result = cli("check", "--workspace", str(workspace.root), "--json", str(folder))
    assert result.exit_code == 1, result.output
    report = json.loads(result.output)  # the shape of a run's laporan_validasi.json
    assert set(report) == {"generated_at", "stats", "files", "problems", "changes"}
    assert report["stats"]["rejected"] == 2 and report["stats"]["ignored"] == 1
    # `file` is the name shown (as problems name it), `given` the path as named
    files = {Path(f["given"]).relative_to(folder).as_posix(): f for f in report["files"]}
    assert {f["file"] for f in files.values()} >= {"kiriman/dishub.xlsx",
                                                    "kiriman/hari2/dinkes.xlsx"}
    assert {name: f["status"] for name, f in files.items()} == {
        "catatan.pdf": "rejected", "dishub.xlsx": "accepted", "hari2/dinkes.xlsx": "rejected",
        "hari2/~$dinkes.xlsx": "ignored"}
    problems = json.loads(result.output)["problems"]
    assert {(p["file"], p["code"]) for p in problems} >= {
        ("kiriman/hari2/dinkes.xlsx", "PILIHAN_TIDAK_DIKENAL"),
        ("kiriman/catatan.pdf", "BERKAS_PDF"), ("kiriman/hari2/~$dinkes.xlsx", "BERKAS_KUNCI")}
    assert not workspace.ledger_path.exists()

    table = cli("check", "--workspace", str(workspace.root), str(folder / "hari2"),
                str(folder / "dishub.xlsx"))
    assert table.exit_code == 1
    assert "DITOLAK" in table.output and "DIABAIKAN" in table.output
    assert "hari2/dinkes.xlsx" in table.output and "DITERIMA dishub.xlsx" in table.output


def test_check_of_a_folder_with_only_good_files_exits_0(cfg, workspace, tmp_path):
    folder = tmp_path / "baik"
    make_plan(cfg, tmp_path / "tpl", folder / "a.xlsx", DISDUKCAPIL, [good_row(cfg)])
    (folder / "a.xlsx.crdownload").write_bytes(b"half")
    result = cli("check", "--workspace", str(workspace.root), str(folder))
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("what", ["missing", "empty"])
def test_check_of_a_missing_path_or_empty_folder_is_one_indonesian_sentence(workspace,
                                                                            tmp_path, what):
    path = tmp_path / "tidak_ada.xlsx"
    if what == "empty":
        path = tmp_path / "kosong"
        path.mkdir()
    result = cli("check", "--workspace", str(workspace.root), str(path))
    assert result.exit_code == 2
    says = "tidak ditemukan" if what == "missing" else "tidak berisi berkas"
    assert says in result.output and str(path) in result.output
    for word in ENGLISH:
        assert word not in result.output
