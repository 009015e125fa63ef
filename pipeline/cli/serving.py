"""`masterplan serve` (the upload page) and `masterplan akses` (the OPDs' access codes)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .. import layout
from ..catalogue import ConsoleLine
from ..workspace import Workspace
from . import _console, _WatchConsole, main, user_errors, workspace_option


@main.command()
@workspace_option
@click.option("--port", default=8750, show_default=True, type=click.IntRange(0, 65535),
              help="Port halaman unggah (0: pilih port bebas).")
@click.option("--host", default="0.0.0.0", show_default=True,
              help="Alamat yang didengarkan; 0.0.0.0: semua jaringan laptop ini (Wi-Fi ruangan, "
                   "hotspot), 127.0.0.1: hanya laptop ini.")
@click.option("--polling", is_flag=True, help="Periksa inbox/ secara berkala; untuk folder "
              "jaringan atau USB yang tidak memberi tahu perubahan berkas.")
@user_errors
def serve(workspace: Path, port: int, host: str, polling: bool) -> None:
    """Halaman unggah di jaringan ruangan: peserta mengirim berkasnya sendiri dan langsung
    melihat hasil pemeriksaan; inbox/ tetap dipantau seperti `watch`."""
    from ..read.references import load_config
    from ..serve.runner import serve as run_server

    ws = Workspace(workspace)
    load_config(ws)  # a broken config or [rujukan] list is reported before serving starts
    console = _console()
    watch_console = _WatchConsole(console, ws, open_board=False)

    def ready(urls: list[str]) -> None:
        watch_console.say(ConsoleLine.HALAMAN_UNGGAH_SIAP.render())
        for url in urls:
            console.print(f"    [bold]{url}[/]")
        console.print("    " + ConsoleLine.PAPAN_STATUS_DI.render(
            url=urls[0], path=(ws.output / layout.BOARD_NAME).resolve()))
        console.print("    " + ConsoleLine.KODE_AKSES_DI_MANA.render())

    try:
        run_server(ws, host, port, watch_console.events(), ready, polling=polling)
    except KeyboardInterrupt:  # Ctrl-C while still starting
        console.print(ConsoleLine.HALAMAN_UNGGAH_DIHENTIKAN.render())
        sys.exit(130)
    console.print(ConsoleLine.HALAMAN_UNGGAH_SELESAI.render())


@main.command()
@workspace_option
@click.option("--json", "as_json", is_flag=True, help="Cetak sebagai JSON: {kode OPD: kode akses}.")
@click.option("--baru", "renew", metavar="KODE_OPD", help="Buat kode akses baru untuk OPD ini "
              "(kode lama tidak berlaku lagi).")
@user_errors
def akses(workspace: Path, as_json: bool, renew: str | None) -> None:
    """Kode akses tiap OPD untuk halaman unggah (masterplan serve)."""
    import json

    from ..read.references import load_config
    from ..store.access import AccessCodes
    from ..workflow import access_codes_shown

    ws = Workspace(workspace)
    cfg = load_config(ws)
    if renew is not None:
        cfg.opds_named([renew])
        AccessCodes(ws.state).renew(renew)
    codes = access_codes_shown(ws, cfg)
    if as_json:
        click.echo(json.dumps(codes, indent=2))
        return
    console = _console()
    if renew is not None:
        console.print(ConsoleLine.KODE_AKSES_BARU.render(
            opd=cfg.opd_label(renew), code=f"[bold]{codes[renew]}[/]", kode=renew))
        return
    from rich.table import Table

    table = Table(title=ConsoleLine.KODE_AKSES_JUDUL.render())
    for column in ("Kode OPD", "OPD", "Kode akses"):
        table.add_column(column)
    for opd in cfg.opds:
        table.add_row(opd.kode, opd.nama, codes[opd.kode])
    console.print(table)
