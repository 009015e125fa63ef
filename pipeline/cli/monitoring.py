"""`masterplan pantau`: do the year's plan and budget documents carry the masterplan?"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..catalogue import ConsoleLine
from ..workspace import Workspace
from . import _console, main, user_errors, wait_option, workspace_option


@main.command()
@workspace_option
@click.option("--json", "as_json", is_flag=True, help="Cetak hasil sebagai JSON.")
@wait_option
@user_errors
def pantau(workspace: Path, as_json: bool, wait: float) -> None:
    """Bandingkan dokumen anggaran SIPD di anggaran/ (RKPD, KUA-PPAS, APBD, perubahan,
    realisasi) dengan program masterplan yang diterima: program mana yang dianggarkan.

    Keluar dengan kode 2 bila tidak ada dokumen yang dapat dibaca.
    """
    from rich.markup import escape

    from ..pantau import pantau as run_pantau
    from ..read.budget_docs import stage_label
    from ..write.monitoring import json_data

    result = run_pantau(Workspace(workspace), wait_seconds=wait)
    mon = result.monitoring
    if as_json:
        click.echo(json.dumps(json_data(mon), ensure_ascii=False, indent=2, allow_nan=False))
        for item in result.collected.set_aside:  # stdout stays pure JSON
            click.echo(item.message, err=True)
        sys.exit(result.exit_code)
    console = _console()
    for item in result.collected.set_aside:
        style = "red" if item.refused else "dim"
        console.print(f"[{style}]{escape(item.message)}[/]", soft_wrap=True)
    for warning in result.warnings:
        console.print(f"[yellow]{ConsoleLine.PERHATIAN.render()}[/] {escape(warning)}")
    if mon is None:
        folder = escape(str(Workspace(workspace).budget_docs))
        console.print(f"[red]{ConsoleLine.TANPA_DOKUMEN_ANGGARAN.render(folder=folder)}[/] "
                      f"{ConsoleLine.SIMPAN_UNDUHAN_SIPD.render()}")
        sys.exit(result.exit_code)
    for doc in mon.documents:
        skipped = ConsoleLine.BARIS_DILEWATI.render(n=len(doc.skipped)) if doc.skipped else ""
        unmapped = mon.unmapped.get(doc.file, [])
        more = ConsoleLine.SKPD_TANPA_OPD.render(n=len(unmapped)) if unmapped else ""
        console.print(ConsoleLine.DOKUMEN_DIBACA.render(
            file=escape(doc.file), stage=stage_label(doc.stage), year=doc.year,
            n_rows=len(doc.rows), more=skipped + more))
    for row in mon.summary.itertuples(index=False):
        console.print(f"  [bold]{escape(mon.headline(row))}[/]")
    console.print(ConsoleLine.KETERLAKSANAAN.render(path=escape(str(result.workbook))))
    console.print(ConsoleLine.DATA_KETERLAKSANAAN.render(path=escape(str(result.csv))))
    sys.exit(result.exit_code)
