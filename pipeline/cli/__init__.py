"""The `masterplan` command: a thin click layer over the library modules.

Heavy libraries (pandas, pandera, openpyxl) are imported inside the commands that need
them, so `masterplan --help` and `masterplan status` start fast.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from .. import __version__, cli_indonesian, layout
from ..catalogue import ConsoleLine, Severity
from ..common.idtext import rupiah
from ..errors import OperatorError, OutputInUse
from ..results import ITEM_MARK, FileState, PlanStatus, opd_line, opds_by_status
from ..workspace import Workspace

cli_indonesian.install()  # before the decorators below: click's chrome in Indonesian

workspace_option = click.option(
    "--workspace", "-w", "workspace", type=click.Path(file_okay=False, path_type=Path),
    default=Path("."), show_default=True,
    help="Folder workspace (berisi masterplan.toml).",
)


wait_option = click.option(
    "--wait", default=30.0, show_default=True, metavar="DETIK",
    help="Berapa lama menunggu bila proses lain sedang berjalan di workspace ini.")


def user_errors(func):
    """The one place an operator's mistake (errors.OperatorError: bad config, busy
    workspace, an output open in Excel, ...) becomes its sentence and exit code."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            try:
                return func(*args, **kwargs)
            except PermissionError as exc:  # e.g. an output workbook left open in Excel
                raise OutputInUse(exc.filename) from exc
        except OperatorError as exc:
            click.secho(str(exc), fg="red", err=True)
            sys.exit(exc.exit_code)

    return wrapper


@click.group(cls=cli_indonesian.Group,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="masterplan")
def main() -> None:
    """Pipeline masterplan Smart City: template Bimtek -> validasi -> rekap anggaran.

    Alur kerja: init, templates, (bagikan & kumpulkan berkas ke inbox/), run, status;
    lalu quickwin (profil dan template evaluasi Quick Win), kumpulkan evaluasi, run lagi;
    book membuat buku masterplan (.docx) dari rencana yang diterima.
    """


@main.command()
@workspace_option
@click.option("--force", is_flag=True, help="Timpa masterplan.toml yang sudah ada.")
@user_errors
def init(workspace: Path, force: bool) -> None:
    """Buat workspace baru: masterplan.toml bawaan dan folder kerja."""
    from ..guide import GUIDE_NAME
    from ..read.references import load_config
    from ..workspace import init as init_workspace

    ws = init_workspace(workspace, force=force)
    cfg = load_config(ws)
    click.echo(ConsoleLine.WORKSPACE_DIBUAT.render(path=ws.root.resolve()))
    click.echo("  " + ConsoleLine.WILAYAH.render(region=cfg.region_name, period=cfg.period_label,
                                                  n_opds=len(cfg.opds)))
    click.echo("  " + ConsoleLine.PANDUAN_OPERATOR.render(path=(ws.root / GUIDE_NAME).resolve()))
    click.echo("  " + ConsoleLine.PERIKSA_DAFTAR_OPD.render())


@main.command()
@workspace_option
@click.option("--opd", "opd_codes", multiple=True, metavar="KODE",
              help="Hanya untuk OPD dengan kode ini (boleh diulang).")
@user_errors
def templates(workspace: Path, opd_codes: tuple[str, ...]) -> None:
    """Buat template Excel per OPD ke templates_xlsx/."""
    from ..read.references import load_config
    from ..workflow import access_codes_shown
    from ..write.templates import write_plan_templates

    ws = Workspace(workspace)
    cfg = load_config(ws)
    cfg.opds_named(opd_codes)  # an unknown code stops here, before anything is written
    paths = write_plan_templates(cfg, ws.templates, opd_codes or None,
                                 access_codes=access_codes_shown(ws, cfg))
    click.echo(ConsoleLine.TEMPLATE_DITULIS.render(n=len(paths), folder=ws.templates))
    if cfg.references and cfg.references.rpjmd:
        click.echo(ConsoleLine.ACUAN_RPJMD.render(file=dict(cfg.reference_files)["rpjmd"],
                                                  n=len(cfg.references.rpjmd)))




@main.command()
@workspace_option
@click.option("--json", "as_json", is_flag=True,
              help="Cetak isi daftar sebagai JSON (per berkas: bentuk, lembar, kode per "
                   "tingkat, baris dilewati, peringatan).")
@user_errors
def rujukan(workspace: Path, as_json: bool) -> None:
    """Tampilkan isi daftar rujukan [rujukan]: program RPJMD/RPD dan nomenklatur."""
    from ..read.reference_summary import summary_json, summary_lines
    from ..read.references import load_config

    cfg = load_config(Workspace(workspace))
    if as_json:
        import json

        click.echo(json.dumps(summary_json(cfg), ensure_ascii=False, indent=1))
        return
    from rich.markup import escape

    console = _console()
    for line in summary_lines(cfg):
        console.print(escape(line), soft_wrap=True)


def _console():
    from rich.console import Console

    return Console(highlight=False)


def _print_problems(console, problems) -> None:
    """One block per problem: where, what was found, the code, and what to do."""
    from rich.markup import escape

    for p in problems:
        style = "red" if p.severity is Severity.ERROR else "yellow"
        mark = (Severity.ERROR if p.severity is Severity.ERROR else Severity.WARNING).label.upper()
        where = f"{p.sheet}!{p.cell}" if p.cell else (p.sheet or "berkas")
        found = "" if p.value is None else f" = '{escape(str(p.value))}'"
        column = f" [{escape(p.column)}]" if p.column else ""
        console.print(f"  [{style}]{mark}[/] {escape(p.file)} {escape(where)}"
                      f"{column}{found} ({p.code})")
        console.print(f"      {escape(p.message)}")


@main.command()
@workspace_option
@click.argument("paths", nargs=-1, required=True, metavar="BERKAS_ATAU_FOLDER...",
                type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Cetak hasil sebagai JSON.")
@user_errors
def check(workspace: Path, paths: tuple[Path, ...], as_json: bool) -> None:
    """Periksa berkas (atau semua berkas di folder) tanpa mencatatnya ke ledger.

    Exit 1 bila ada berkas yang ditolak.
    """
    import json

    from ..workflow import check as check_files
    from ..write.reports import report_data

    report = check_files(Workspace(workspace), list(paths))
    if as_json:  # the shape of a run's laporan_validasi.json
        click.echo(json.dumps(report_data(report), ensure_ascii=False, indent=2, default=str))
    else:
        console = _console()
        from rich.markup import escape

        for f in report.files:
            console.print(f"[{f.status.style}]{f.status.label.upper()}[/] {escape(f.path)}: "
                          f"{escape(f.reason)}")
            _print_problems(console, f.problems)
    sys.exit(0 if report.valid else 1)


@main.command()
@workspace_option
@click.option("--strict", is_flag=True, help="Exit 1 bila ada berkas yang ditolak.")
@wait_option
@click.option("--terima-konfigurasi", "accept_config", is_flag=True,
              help="Lanjutkan walau perubahan masterplan.toml menggugurkan rencana yang sudah "
                   "diterima (misalnya periode baru).")
@user_errors
def run(workspace: Path, strict: bool, wait: float, accept_config: bool) -> None:
    """Proses semua berkas di inbox/ dan tulis semua keluaran ke output/."""
    from rich.progress import Progress

    from ..workflow import run as run_workflow

    ws = Workspace(workspace)
    console = _console()
    n_files = sum(1 for p in ws.inbox.rglob("*") if p.is_file()) if ws.inbox.is_dir() else 0
    with Progress(console=console, transient=True, disable=n_files < 5) as bar:
        task = bar.add_task(ConsoleLine.MEMERIKSA_BERKAS.render(), total=n_files or None)

        def progress(done: int, total: int, name: str) -> None:
            bar.update(task, completed=done, total=total,
                       description=ConsoleLine.MEMERIKSA.render(name=name[-40:]))

        summary = run_workflow(ws, progress, wait_seconds=wait, accept_config=accept_config)
    _print_run_summary(console, ws, summary)
    sys.exit(1 if strict and not summary.valid else 0)


FULL_TABLE_MAX_FILES = 80


def _name_column(table, label: str, ratio: int = 1) -> None:
    """A column of names: one line each, shortened with an ellipsis, never broken."""
    table.add_column(label, ratio=ratio, no_wrap=True, overflow="ellipsis")


def _print_run_summary(console, ws: Workspace, summary) -> None:
    from rich.markup import escape
    from rich.table import Table

    from ..assemble.changes import change_lines

    # A regency's few dozen files are listed whole; with hundreds (a national roll-up)
    # only the ones that need a look, the rest is in `masterplan status`.
    shown = summary.files
    if len(shown) > FULL_TABLE_MAX_FILES:
        shown = [f for f in summary.files if f.state is not FileState.ACCEPTED]
    table = Table(title=ConsoleLine.BERKAS_DI_INBOX.render(), expand=True)
    _name_column(table, "Berkas", 3)
    _name_column(table, "OPD")
    table.add_column("Status", no_wrap=True, min_width=9)
    table.add_column("Keterangan", ratio=5)
    for f in shown:
        table.add_row(escape(f.path), f.opd or "-", f"[{f.state.style}]{f.state.label}[/]",
                      escape(f.reason))
    console.print(table)
    if len(shown) < len(summary.files):
        console.print(ConsoleLine.BERKAS_LAIN_DITERIMA.render(
            n=len(summary.files) - len(shown)))
    for name in summary.still_copying:
        console.print(f"[yellow]{ConsoleLine.MASIH_DISALIN.render()}[/] {escape(name)}")
    plans = summary.stats.plans
    console.print(ConsoleLine.OPD_PER_STATUS.render(
        counts=", ".join(f"{n} {status.label}" for status, n in plans.items())))
    head = summary.written.headline
    if head:
        console.print(ConsoleLine.ANGKA_UTAMA.render(
            programs=head.get("programs", 0), quick_wins=head.get("quick_wins", 0),
            budget=rupiah(head.get("total_budget", 0))))
    lines = change_lines(summary.changes) if summary.changes else []
    if lines:
        console.print(f"[bold]{ConsoleLine.PERUBAHAN.render()}[/]")
        for line in lines:
            console.print(f"  {escape(line)}")
    for notice in summary.notices:
        if notice.kind.on_console:
            style = "bold red" if notice.urgent else "yellow"
            _print_list(console, f"[{style}]{ConsoleLine.PERHATIAN.render()}[/] "
                        f"{escape(notice.text)}", notice.items)
    console.print(ConsoleLine.REKAP.render(path=summary.written.rekap))
    if summary.written.evaluation:
        console.print(ConsoleLine.EVALUASI_QUICK_WIN.render(path=summary.written.evaluation))
    console.print(ConsoleLine.LAPORAN_VALIDASI.render(
        report=ws.output / layout.REPORT_XLSX_NAME, feedback=ws.output / layout.FEEDBACK_DIR))


@main.command()
@workspace_option
@click.option("--json", "as_json", is_flag=True, help="Cetak status sebagai JSON.")
@click.option("--belum", "owing_only", is_flag=True,
              help="Hanya OPD yang belum mengumpulkan atau perlu revisi.")
@click.option("--pesan", "messages", is_flag=True,
              help="Cetak pesan pengingat siap kirim (WhatsApp) untuk setiap OPD yang belum "
                   "mengumpulkan atau perlu revisi.")
@user_errors
def status(workspace: Path, as_json: bool, owing_only: bool, messages: bool) -> None:
    """Siapa yang sudah mengumpulkan, dan status setiap berkas."""
    import json

    from ..assemble import followup
    from ..read.references import load_config
    from ..workflow import status as status_report
    from ..write.reports import status_data

    ws = Workspace(workspace)
    cfg = load_config(ws)
    report = status_report(ws, cfg)
    shown = followup.owing(report.statuses) if owing_only else report.statuses
    if as_json:
        click.echo(json.dumps(status_data(report, shown), ensure_ascii=False, indent=2))
        return
    console = _console()
    if messages:
        _print_reminders(console, report.reminders)
        return
    _print_status(console, cfg, shown, report, owing_only)


def _print_status(console, cfg, statuses, report, owing_only) -> None:
    from rich.markup import escape
    from rich.table import Table

    from ..assemble import followup, replacements

    title = ConsoleLine.STATUS_PENGUMPULAN.render(region=cfg.region_name,
                                                  period=cfg.period_label)
    if owing_only:
        title += " " + ConsoleLine.HANYA_BELUM.render()
    table = Table(title=title, expand=True)
    # On a narrow terminal the arrival time gives way to the names.
    with_time = console.width >= WIDE_STATUS
    _name_column(table, "OPD", 2)
    table.add_column("Status", no_wrap=True, min_width=len(PlanStatus.MISSING))
    _name_column(table, "Berkas terakhir", 3)
    if with_time:
        table.add_column("Masuk", no_wrap=True)
    table.add_column("Prog", justify="right", no_wrap=True)
    _name_column(table, "Pengisi (kontak)", 4)
    for s in statuses:
        cells = [escape(s.singkatan), f"[{s.status.style}]{s.status}[/]",
                 escape(s.file or "-"), _short_time(s.received_at), str(s.n_programs),
                 escape(followup.contact_line(s) or "-")]
        table.add_row(*(cells if with_time else cells[:3] + cells[4:]))
    console.print(table)
    every = opds_by_status(statuses)
    console.print(ConsoleLine.BERKAS_PERNAH_MASUK.render(
        n_files=len(report.files), n_accepted=len(every.get(PlanStatus.ACCEPTED, []))))
    for label in (PlanStatus.REVISE, PlanStatus.MISSING):
        if every.get(label):
            opds = ConsoleLine.OPD_BERSTATUS.render(n=len(every[label]), status=label)
            _print_list(console, f"[{label.style}]{opds}[/]",
                        [opd_line(s.singkatan, s.nama) for s in every[label]])
    for r in report.replacements:
        style = "bold red" if r.suspicions else "dim"
        console.print(f"[{style}]{escape(replacements.replacement_line(cfg, r))}[/]")
    for f in report.files:
        if f.state is FileState.WITHDRAWN:
            reason = (ConsoleLine.ALASAN.render(reason=escape(f.withdrawn_reason))
                      if f.withdrawn_reason else "")
            console.print(f"[magenta]{FileState.WITHDRAWN.label.capitalize()}[/] "
                          + ConsoleLine.DITARIK_PADA.render(
                              file=escape(f.path), opd=f.opd or "-",
                              at=_short_time(f.withdrawn_at), reason=reason))
    for line in report.missing:
        console.print(f"[yellow]{ConsoleLine.PERHATIAN.render()}[/] {escape(line)}")
    with_evaluation = [s for s in statuses if s.evaluation_status]
    if with_evaluation:
        done = [s for s in with_evaluation if s.evaluation_status == PlanStatus.ACCEPTED]
        again = [s for s in with_evaluation if s.evaluation_status != PlanStatus.ACCEPTED]
        head = (ConsoleLine.EVALUASI_PERLU_REVISI if again else ConsoleLine.EVALUASI_DITERIMA)
        _print_list(console, head.render(n_accepted=len(done), n_revise=len(again)),
                    [opd_line(s.singkatan, s.nama, s.evaluation_file) for s in again])
    console.print(ConsoleLine.PESAN_PENGINGAT.render())


def _print_list(console, head: str, items) -> None:
    """A summary sentence (rich markup), then one line per item (plain text): a list of
    OPDs is read down, never as a paragraph."""
    from rich.markup import escape

    console.print(head)
    for item in items:
        console.print(f"{ITEM_MARK}{escape(item)}")


WIDE_STATUS = 110  # columns from which `status` also shows the arrival time


def _short_time(iso: str | None) -> str:
    """'2026-11-28T21:05:06' -> '28/11 21:05': fits a narrow column."""
    if not iso:
        return "-"
    return f"{iso[8:10]}/{iso[5:7]} {iso[11:16]}"


def _print_reminders(console, reminders) -> None:
    from rich.markup import escape

    if not reminders:
        console.print(ConsoleLine.TIDAK_ADA_PENGINGAT.render())
        return
    for reminder in reminders:
        head = ConsoleLine.PENGINGAT_KEPADA if reminder.to else ConsoleLine.PENGINGAT
        console.print("[bold]" + head.render(opd=escape(reminder.singkatan),
                                             kode=escape(reminder.kode),
                                             to=escape(reminder.to or "")) + "[/]")
        console.print(escape(reminder.text), soft_wrap=True)
        console.print()


@main.command()
@workspace_option
@click.argument("file")
@click.option("--alasan", metavar="TEKS", help="Alasan penarikan (dicatat dan ditampilkan).")
@click.option("--batal", "undo", is_flag=True, help="Batalkan penarikan berkas ini.")
@wait_option
@user_errors
def tarik(workspace: Path, file: str, alasan: str | None, undo: bool, wait: float) -> None:
    """Tarik berkas dari rekap (mis. berkas OPD lain); OPD-nya kembali ke berkas diterima
    sebelumnya. FILE: nama seperti di laporan (relatif terhadap inbox/) atau jalurnya."""
    from rich.markup import escape

    from ..workflow import withdraw

    ws = Workspace(workspace)
    done = withdraw(ws, file, alasan, undo, wait)
    console = _console()
    said = ConsoleLine.PENARIKAN_DIBATALKAN if done.undone else ConsoleLine.BERKAS_DITARIK
    console.print(said.render(file=escape(done.file), opd=done.opd or "-"))
    if done.opd:
        now = (done.counted.text() if done.counted
               else ConsoleLine.BELUM_ADA_RENCANA.render())
        console.print(ConsoleLine.OPD_KINI_MEMAKAI.render(opd=escape(done.opd), plan=escape(now)))
    console.print(ConsoleLine.DIPERBARUI_PADA_RUN.render())
    if not done.undone:
        console.print(ConsoleLine.CARA_MEMBATALKAN.render(file=escape(done.file)))


@main.command()
@workspace_option
@wait_option
@user_errors
def quickwin(workspace: Path, wait: float) -> None:
    """Buat profil Quick Win dan template evaluasi per OPD dari rencana yang diterima."""
    from rich.markup import escape

    from ..workflow import make_quick_win_outputs

    ws = Workspace(workspace)
    console = _console()
    out = make_quick_win_outputs(ws, wait_seconds=wait)
    opds = {q.opd.kode for q in out.quick_wins}
    console.print(ConsoleLine.PROFIL_QUICK_WIN.render(
        path=escape(str(out.profiles)), n_quick_wins=len(out.quick_wins), n_opds=len(opds)))
    console.print(ConsoleLine.TEMPLATE_EVALUASI.render(
        n=len(out.templates), folder=escape(str(ws.templates / layout.EVALUATION_TEMPLATE_DIR))))
    for path in out.removed:
        console.print(f"[dim]{ConsoleLine.DIHAPUS_TANPA_QUICK_WIN.render()}[/] "
                      f"{escape(path.name)}")
    if out.missing_dimensions:
        console.print(f"[yellow]{ConsoleLine.DIMENSI_TANPA_QUICK_WIN.render()}[/] "
                      f"{escape(', '.join(out.missing_dimensions))}")
    if not out.quick_wins:
        console.print(f"[yellow]{ConsoleLine.BELUM_ADA_QUICK_WIN.render()}[/] "
                      f"{ConsoleLine.JALANKAN_RUN_DULU.render()}")


@main.command()
@workspace_option
@wait_option
@user_errors
def book(workspace: Path, wait: float) -> None:
    """Buat buku masterplan (bab rencana program dan anggaran) ke output/ sebagai .docx."""
    from rich.markup import escape

    from ..workflow import make_book

    console = _console()
    result = make_book(Workspace(workspace), wait_seconds=wait)
    console.print(ConsoleLine.BUKU_MASTERPLAN.render(
        path=escape(str(result.path)), programs=result.programs, opds=result.opds))
    for warning in result.warnings:
        console.print(f"[yellow]{ConsoleLine.PERHATIAN.render()}[/] {escape(warning)}")


@main.command()
@workspace_option
@click.option("--buka", is_flag=True, help="Buka papan status (output/papan_status.html) di "
              "peramban bawaan.")
@click.option("--polling", is_flag=True, help="Periksa inbox/ secara berkala; untuk folder "
              "jaringan atau USB yang tidak memberi tahu perubahan berkas.")
@user_errors
def watch(workspace: Path, buka: bool, polling: bool) -> None:
    """Pantau inbox/: periksa tiap berkas begitu selesai disalin, lalu perbarui keluaran."""
    from ..read.references import load_config

    ws = Workspace(workspace)
    load_config(ws)  # a broken config or [rujukan] list is reported before watching starts
    console = _console()
    stopped = ConsoleLine.PEMANTAUAN_DIHENTIKAN.render()
    try:
        from ..watch import watch as watch_inbox

        watch_inbox(ws, _WatchConsole(console, ws, buka).events(), polling=polling)
    except KeyboardInterrupt:  # Ctrl-C while still starting, before the watcher took it
        console.print(stopped)
        sys.exit(130)
    console.print(stopped)


class _WatchConsole:
    """What `watch` prints: a verdict line per file, a line per refresh, waiting notices."""

    def __init__(self, console, ws: Workspace, open_board: bool):
        self.console, self.ws, self.open_board = console, ws, open_board
        self.started = False
        self.notice = ""  # the waiting notice shown last: said once, not every second

    def say(self, text: str) -> None:
        import time

        self.console.print(f"{time.strftime('%H:%M:%S')}  {text}", soft_wrap=True)
        sys.stdout.flush()

    def verdicts(self, found) -> None:
        from rich.markup import escape

        self.notice = ""
        for verdict in found:
            record = verdict.record
            state = record.status
            line = (f"[{state.style}]{state.label.upper()}[/] "
                    f"{escape(record.path)} (OPD {escape(record.opd or '-')}): "
                    f"{escape(record.reason)}")
            if verdict.feedback:
                line += " " + ConsoleLine.UMPAN_BALIK.render(path=escape(str(verdict.feedback)))
            self.say(line)

    def refreshed(self, summary) -> None:
        from rich.markup import escape

        self.notice = ""
        plans = summary.stats.plans
        counts = [f"{plans.get(status, 0)} {status.label}" for status in PlanStatus]
        self.say(ConsoleLine.KELUARAN_DIPERBARUI.render(counts=", ".join(counts)))
        if not self.started:
            self.started = True
            board = (self.ws.output / layout.BOARD_NAME).resolve()
            self.say(ConsoleLine.PAPAN_STATUS.render(path=escape(str(board))))
            self.say(ConsoleLine.MEMANTAU.render(folder=escape(str(self.ws.inbox))))
            if self.open_board:
                import webbrowser

                webbrowser.open(board.as_uri())

    def waiting(self, text: str) -> None:
        from rich.markup import escape

        if text != self.notice:
            self.notice = text
            self.say(f"[yellow]{escape(text)}[/]")

    def events(self):
        from ..watch import Events

        return Events(self.verdicts, self.refreshed, self.waiting)


@main.command()
@click.option("--workspace", "-w", "workspace", default=Path("demo"), show_default=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Folder workspace demo yang dibuat.")
@click.option("--seed", default=2024, show_default=True, metavar="ANGKA",
              help="Benih acak: isi demo sama "
              "untuk benih yang sama.")
@click.option("--force", is_flag=True, help="Timpa folder demo yang sudah berisi.")
@user_errors
def demo(workspace: Path, seed: int, force: bool) -> None:
    """Buat workspace demo berisi kiriman OPD yang realistis, lalu jalankan pipeline."""
    from ..demo.workshop import make_demo

    console = _console()
    result = make_demo(workspace, seed=seed, force=force, echo=console.print)
    _print_run_summary(console, Workspace(workspace), result.summary)


from . import monitoring, serving  # noqa: E402,F401  (register `pantau`, `serve`, `akses`)

if __name__ == "__main__":  # pragma: no cover
    main()
