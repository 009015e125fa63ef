"""Templates saved as .xls or .ods: still refused, but attributed to the OPD that sent them.

The .ods files here are built by hand (an .ods is a zip of XML), so these tests run
without LibreOffice; tests/test_libreoffice.py does the same with files LibreOffice wrote.
"""

from __future__ import annotations

import json
import time
import zipfile
from pathlib import Path

from click.testing import CliRunner
from plans import DINKES, template_for

from pipeline import layout
from pipeline.cli import main
from pipeline.read.reading import meta_pairs
from pipeline.store.checking import check

_CONTENT = ('<?xml version="1.0" encoding="UTF-8"?>{doctype}<office:document-content '
            'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
            '<office:body><office:spreadsheet><table:table table:name="{sheet}">{rows}'
            '</table:table></office:spreadsheet></office:body></office:document-content>')


def _cell(text: str, repeat: int = 1) -> str:
    repeated = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    return (f'<table:table-cell office:value-type="string"{repeated}><text:p>{text}</text:p>'
            '</table:table-cell>')


def _row(*cells: str, repeat: int = 1) -> str:
    repeated = f' table:number-rows-repeated="{repeat}"' if repeat > 1 else ""
    return f"<table:table-row{repeated}>{''.join(cells)}</table:table-row>"


def template_meta(cfg, tmp_path) -> dict[str, str]:
    """The identity a real plan template for Dinkes carries."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(template_for(cfg, tmp_path / "tpl", DINKES)))
    return meta_pairs(book.get_sheet_by_name(layout.SHEET_META).to_python())


def make_ods(path: Path, meta: dict[str, str], extra_rows: str = "", doctype: str = "",
             sheet: str = layout.SHEET_META) -> Path:
    rows = "".join(_row(_cell(k), _cell(v)) for k, v in meta.items()) + extra_rows
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet",
                         compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", _CONTENT.format(doctype=doctype, sheet=sheet,
                                                        rows=rows),
                         compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", '<?xml version="1.0"?><manifest/>',
                         compress_type=zipfile.ZIP_DEFLATED)
    return path


def judged(path, cfg):
    [(_, judgement)] = check([path], cfg)
    return judgement


def test_an_ods_template_is_refused_but_attributed(cfg, tmp_path):
    judgement = judged(make_ods(tmp_path / "renja dinkes.ods", template_meta(cfg, tmp_path)),
                       cfg)
    assert judgement.status == "rejected"
    assert [p.code for p in judgement.problems] == ["FORMAT_ODS"]
    assert (judgement.opd, judgement.kind) == (DINKES, layout.KIND_PLAN)
    assert ".xlsx" in judgement.reason and "Save As" in judgement.reason


def test_the_opd_of_an_ods_reads_perlu_revisi(cfg, workspace, tmp_path):
    make_ods(workspace.inbox / "renja dinkes.ods", template_meta(cfg, tmp_path))
    runner = CliRunner()
    assert runner.invoke(main, ["run", "-w", str(workspace.root)]).exit_code == 0
    status = json.loads(runner.invoke(main, ["status", "-w", str(workspace.root),
                                             "--json"]).output)
    [dinkes] = [s for s in status["opd"] if s["kode"] == DINKES]
    assert (dinkes["status"], dinkes["file"]) == ("perlu revisi", "renja dinkes.ods")
    [row] = status["files"]
    assert (row["opd"], row["status"]) == (DINKES, "rejected") and ".xlsx" in row["reason"]
    report = json.loads((workspace.output / "laporan_validasi.json").read_text("utf-8"))
    assert [(p["code"], p["opd"]) for p in report["problems"]] == [("FORMAT_ODS", DINKES)]


def test_an_identity_that_is_not_ours_leaves_the_rejection_unattributed(cfg, tmp_path):
    meta = template_meta(cfg, tmp_path)
    for name, bad in (("wilayah", {**meta, "kode_wilayah": "99.99"}),
                      ("opd", {**meta, "kode_opd": "9.99.99"}),
                      ("jenis", {**meta, "jenis_template": "lain"})):
        judgement = judged(make_ods(tmp_path / f"{name}.ods", bad), cfg)
        assert [p.code for p in judgement.problems] == ["FORMAT_ODS"], name
        assert judgement.opd is None and judgement.kind is None, name
    no_identity = make_ods(tmp_path / "lain.ods", meta, sheet="Sheet1")
    assert judged(no_identity, cfg).opd is None


def test_a_hostile_ods_is_refused_without_reading_it_or_running_out_of_memory(cfg, tmp_path):
    meta = template_meta(cfg, tmp_path)
    # A billion cells of repeated rows behind a valid identity: the reader's child process
    # hits its memory cap and the file stays unattributed, quickly.
    flood = _row(_cell("x", repeat=16_000), repeat=1_000_000)
    start = time.perf_counter()
    judgement = judged(make_ods(tmp_path / "banjir.ods", meta, flood), cfg)
    assert [p.code for p in judgement.problems] == ["FORMAT_ODS"]
    assert judgement.opd is None
    assert time.perf_counter() - start < 10
    # Entities and deflate bombs are refused by the safety check before any reading.
    doctype = '<!DOCTYPE x [<!ENTITY a "aaaa">]>'
    entity = judged(make_ods(tmp_path / "entitas.ods", meta, doctype=doctype), cfg)
    assert ([p.code for p in entity.problems], entity.opd) == (["BERKAS_BERBAHAYA"], None)
    padding = _row(_cell(" " * 1000)) * 40_000  # ~40 MB of one row, deflated ~1000x
    bomb = judged(make_ods(tmp_path / "bom.ods", meta, padding), cfg)
    assert ([p.code for p in bomb.problems], bomb.opd) == (["BERKAS_TERLALU_BESAR"], None)
