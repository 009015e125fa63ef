"""click in Indonesian: its help chrome, usage errors and the Ctrl-C exit.

click marks every string it shows with gettext (`_()` and `ngettext()`, imported into
each of its modules). `install` points those names, in click's modules only, at the
tables below, so nothing else in the process changes; a string not in the tables
(e.g. from a newer click) is shown as click wrote it. The command and group classes give
the Indonesian metavars ("[OPSI]", "PERINTAH") and turn Ctrl-C into one Indonesian line
and exit code 130 (see pipeline.interrupt).
"""

from __future__ import annotations

import importlib
import signal
import threading
from typing import Any

import click

from .interrupt import INTERRUPTED, INTERRUPTED_EXIT

_MESSAGES = {
    "Usage:": "Penggunaan:",
    "Options": "Opsi",
    "Commands": "Perintah",
    "Positional arguments": "Argumen",
    "Show this message and exit.": "Tampilkan bantuan ini lalu keluar.",
    "Show the version and exit.": "Tampilkan versi lalu keluar.",
    "%(prog)s, version %(version)s": "%(prog)s, versi %(version)s",
    "Error: {message}": "Kesalahan: {message}",
    "Try '{command} {option}' for help.": "Lihat '{command} {option}' untuk bantuan.",
    "No such option {name!r}.": "Opsi {name!r} tidak ada.",
    "No such command {name!r}.": "Perintah {name!r} tidak ada.",
    "Missing command.": "Perintah belum ditulis.",
    "Missing argument": "Argumen belum diisi:",
    "Missing option": "Opsi belum diisi:",
    "Missing parameter": "Parameter belum diisi:",
    "Missing {param_type}": "{param_type} belum diisi:",
    "Missing parameter: {param_name}": "Parameter belum diisi: {param_name}",
    "Invalid value for {param_hint}: {message}": "Nilai {param_hint} salah: {message}",
    "Invalid value: {message}": "Nilai salah: {message}",
    "Option {name!r} does not take a value.": "Opsi {name!r} tidak memakai nilai.",
    "Argument {name!r} takes {nargs} values.": "Argumen {name!r} memerlukan {nargs} nilai.",
    "Invalid start character for option ({option})":
        "Tanda awal opsi tidak sah ({option})",
    "Could not open file {filename!r}: {message}":
        "Berkas {filename!r} tidak dapat dibuka: {message}",
    "unknown error": "kesalahan tidak dikenal",
    "Aborted!": "Dibatalkan.",
    "default: {default}": "bawaan: {default}",
    "required": "wajib",
    "env var: {var}": "variabel lingkungan: {var}",
    "(dynamic)": "(dinamis)",
    "deprecated": "usang",
    "file": "berkas",
    "directory": "folder",
    "path": "jalur",
    "{name} {filename!r} does not exist.": "{name} {filename!r} tidak ditemukan.",
    "{name} {filename!r} is a file.": "{name} {filename!r} adalah berkas, bukan folder.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} adalah folder, bukan berkas.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} tidak dapat dibaca.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} tidak dapat ditulisi.",
    "{name} {filename!r} is not executable.": "{name} {filename!r} tidak dapat dijalankan.",
    # The number type's English name ("integer", "float") is left out on purpose.
    "{value!r} is not a valid {number_type}.": "{value!r} bukan angka yang sah.",
    "{value} is not in the range {range}.": "{value} di luar rentang {range}.",
    "{value!r} is not a valid boolean. Recognized values: {states}":
        "{value!r} bukan ya/tidak yang sah. Nilai yang dikenal: {states}",
    "Choose from:\n\t{choices}": "Pilih dari:\n\t{choices}",
    "Value must be an iterable.": "Nilai harus berupa daftar.",
    "Do you want to continue?": "Lanjutkan?",
    "Confirm the action without prompting.": "Lanjutkan tanpa bertanya.",
    "Error: invalid input": "Kesalahan: isian tidak sah",
    "Error: The two entered values do not match.": "Kesalahan: kedua isian tidak sama.",
    "Repeat for confirmation": "Ulangi untuk konfirmasi",
    "Press any key to continue...": "Tekan tombol apa saja untuk melanjutkan...",
    "{value!r} is not a valid UUID.": "{value!r} bukan UUID yang sah.",
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}":
        "Peringatan: perintah {name!r} sudah usang.{extra_message}",
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}":
        "Peringatan: {param_type} {name!r} sudah usang.{extra_message}",
}
# ngettext: (singular, plural) -> the Indonesian (singular, plural).
_PLURALS = {
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"):
        ("Argumen tambahan tidak dikenal ({args})", "Argumen tambahan tidak dikenal ({args})"),
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."):
        ("Opsi {name!r} memerlukan nilai.", "Opsi {name!r} memerlukan {nargs} nilai."),
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"):
        ("Mungkin maksudnya {possibility}?", "(Mungkin maksudnya salah satu dari: "
                                             "{possibilities}?)"),
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."):
        ("{value!r} bukan {choice}.", "{value!r} bukan salah satu dari {choices}."),
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."):
        ("Memerlukan {nargs} nilai, tetapi hanya 1 yang diberikan.",
         "Memerlukan {nargs} nilai, tetapi {len} yang diberikan."),
    ("{value!r} does not match the format {format}.",
     "{value!r} does not match the formats {formats}."):
        ("{value!r} tidak sesuai format {format}.",
         "{value!r} tidak sesuai salah satu format {formats}."),
    ("{len_type} values are required, but {len_value} was given.",
     "{len_type} values are required, but {len_value} were given."):
        ("Diperlukan {len_type} nilai, tetapi {len_value} yang diberikan.",
         "Diperlukan {len_type} nilai, tetapi {len_value} yang diberikan."),
}
_CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui",
                  "types", "utils")


def gettext(message: str) -> str:
    return _MESSAGES.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    singular, plural = _PLURALS.get((singular, plural), (singular, plural))
    return singular if n == 1 else plural


def install() -> None:
    """Make click speak Indonesian. Call before the commands are declared: some strings
    (type names, the --version help) are looked up when the decorators run."""
    for name in _CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext


class Command(click.Command):
    """A command whose usage line reads "[OPSI]"."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[OPSI]")
        super().__init__(*args, **kwargs)


class Group(click.Group):
    """The `masterplan` group: Indonesian usage line; Ctrl-C in any command ends with one
    Indonesian line and exit code 130 instead of click's "Aborted!"."""

    command_class = Command

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[OPSI]")
        kwargs.setdefault("subcommand_metavar", "PERINTAH [ARGUMEN]...")
        super().__init__(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        pressed: list[int] = []
        previous = _record_interrupts(pressed)
        try:
            return super().invoke(ctx)
        except (KeyboardInterrupt, click.Abort):
            pressed.append(signal.SIGINT)
        finally:
            if previous is not None:
                signal.signal(signal.SIGINT, previous)
            if pressed:  # also when the KeyboardInterrupt was swallowed on its way
                click.echo(f"\n{INTERRUPTED}", err=True)
                ctx.exit(INTERRUPTED_EXIT)  # replaces any other ending of the command


def _record_interrupts(pressed: list[int]) -> Any:
    """Ctrl-C raises KeyboardInterrupt as usual and is also noted in `pressed`: Python
    drops an exception raised inside a finaliser (__del__) or a weakref callback, and
    a command that then runs to its end must still end as interrupted. Returns the
    previous handler (None when not on the main thread, where handlers cannot be set)."""
    if threading.current_thread() is not threading.main_thread():
        return None

    def on_interrupt(signum: int, frame: Any) -> None:
        pressed.append(signum)
        raise KeyboardInterrupt

    return signal.signal(signal.SIGINT, on_interrupt)
