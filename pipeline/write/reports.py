"""The run report (`results.RunReport`) as files: `output/laporan_validasi.json` and
`.xlsx`, and `masterplan status --json`.

The validation report covers every file currently in the inbox, as judged up to the
latest run, and renders problems from the catalogue (the same messages as the console
and feedback workbooks).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .. import layout
from ..catalogue import Severity
from ..common import xlstyle
from ..common.atomic import atomic_path, write_text
from ..results import FileEntry, FileState, RunReport


def file_entry(f: FileEntry) -> dict[str, Any]:
    """A file for the report, `check --json` and `status --json`: a withdrawn file reads
    `withdrawn`, an accepted plan a newer one replaced carries `replaced`, a checked file
    the path as the operator named it (`given`)."""
    entry = {"file": f.path, "sha256": f.sha256, "opd": f.opd, "kind": f.kind,
             "status": f.standing, "reason": f.reason, "received_at": f.received_at}
    if f.given is not None:
        entry["given"] = f.given
    if f.withdrawn_at:
        entry["withdrawn_at"] = f.withdrawn_at
        entry["withdrawn_reason"] = f.withdrawn_reason
    if f.state is FileState.REPLACED:
        entry["replaced"] = True
    return entry


def report_data(report: RunReport) -> dict[str, Any]:
    """`laporan_validasi.json` of a run, and `masterplan check --json`."""
    files = [file_entry(f) for f in report.files]
    problems = [p.to_dict() for f in report.files for p in f.problems]
    return {
        "generated_at": report.generated_at,
        "stats": report.stats.to_json(),
        "files": files,
        "problems": problems,
        "changes": report.changes,
    }


def status_data(report: RunReport, statuses: list) -> dict[str, Any]:
    """`masterplan status --json`: every file ever received, and the OPDs shown."""
    return {
        "files": [{**file_entry(f), "in_inbox": f.present} for f in report.files],
        "opd": [{"kode": s.kode, "nama": s.nama, "status": s.status, "file": s.file,
                 "received_at": s.received_at, "programs": s.n_programs,
                 "counted_file": s.counted_file, "replaced_file": s.previous_file,
                 "pengisi": s.contact.get("nama_pengisi"),
                 "kontak": s.contact.get("kontak"), "jabatan": s.contact.get("jabatan"),
                 "nip": s.contact.get("nip"),
                 "evaluasi": s.evaluation_status, "evaluasi_file": s.evaluation_file}
                for s in statuses],
    }


def write_json(path: Path, data: dict[str, Any]) -> None:
    write_text(path, json.dumps(data, ensure_ascii=False, indent=2, default=str))


def write_xlsx(path: Path, data: dict[str, Any]) -> None:
    import xlsxwriter

    with atomic_path(path) as tmp:
        book = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False,
                                              "strings_to_urls": False,
                                              "strings_to_numbers": False})
        head = book.add_format({"bold": True, "bg_color": xlstyle.ACCENT_INPUT,
                                "font_color": "white", "text_wrap": True, "valign": "top",
                                "border": 1})
        wrap = book.add_format({"text_wrap": True, "valign": "top"})
        red = book.add_format({"bg_color": "#F8CBAD", "text_wrap": True, "valign": "top"})
        yellow = book.add_format({"bg_color": "#FFF2CC", "text_wrap": True, "valign": "top"})
        grey = book.add_format({"font_color": "#7F7F7F", "text_wrap": True, "valign": "top"})

        files = book.add_worksheet("Berkas")
        _table(files, head, ["Berkas", "OPD", "Status", "Keterangan", "Diterima", "SHA-256"],
               [34, 12, 12, 70, 20, 20])
        for r, entry in enumerate(data["files"], start=1):
            # Replaced and withdrawn files need no action: grey, like ignored ones.
            style = grey if entry.get("replaced") else \
                {FileState.REJECTED: red, FileState.IGNORED: grey,
                 FileState.WITHDRAWN: grey}.get(entry["status"], wrap)
            state = FileState.REPLACED if entry.get("replaced") else entry["status"]
            values = [entry["file"], entry["opd"] or "", FileState(state).label,
                      entry["reason"], entry.get("received_at") or "", entry["sha256"]]
            for c, value in enumerate(values):
                files.write_string(r, c, str(value), style)
        files.autofilter(0, 0, max(len(data["files"]), 1), 5)

        sheet = book.add_worksheet("Masalah")
        _table(sheet, head, ["Berkas", "OPD", "Lembar", "Sel", "Kolom", "Isi Sel", "Kode",
                             "Tingkat", "Pesan"], [30, 12, 11, 7, 20, 22, 24, 12, 80])
        for r, problem in enumerate(data["problems"], start=1):
            style = red if problem["severity"] == Severity.ERROR else yellow
            values = [problem["file"], problem["opd"], problem["sheet"], problem["cell"],
                      problem["column"], problem["value"], problem["code"],
                      Severity(problem["severity"]).label, problem["message"]]
            for c, value in enumerate(values):
                sheet.write_string(r, c, "" if value is None else str(value), style)
        sheet.autofilter(0, 0, max(len(data["problems"]), 1), 8)
        book.close()


def _table(sheet, head, labels: list[str], widths: list[int]) -> None:
    for c, (label, width) in enumerate(zip(labels, widths, strict=True)):
        sheet.write_string(0, c, label, head)
        sheet.set_column(c, c, width)
    sheet.freeze_panes(1, 0)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)


def write_reports(output: Path, report: RunReport) -> dict[str, Any]:
    data = report_data(report)
    write_json(output / layout.REPORT_JSON_NAME, data)
    write_xlsx(output / layout.REPORT_XLSX_NAME, data)
    return data
