"""What stops a command because of the operator's input: one base class.

Every such error carries its Indonesian message (its `str`) and the exit code the command
ends with (2: a usage or configuration mistake). The CLI catches `OperatorError` in one
place (`cli.user_errors`) and prints the message; the library raises them where the
mistake is found.
"""

from __future__ import annotations

from collections.abc import Iterable


class OperatorError(Exception):
    """A mistake the operator can fix; the message says how."""

    exit_code = 2


class UnknownOpd(OperatorError):
    def __init__(self, codes: Iterable[str]):
        super().__init__(f"Kode OPD tidak dikenal: {', '.join(codes)}. Lihat daftar [[opd]] di "
                         "masterplan.toml.")


class OutputInUse(OperatorError):
    """An output could not be replaced (Windows keeps a workbook open in Excel locked)."""

    def __init__(self, filename: object, then: str = "Tutup berkas itu lalu jalankan lagi."):
        super().__init__(f"Berkas {filename} tidak dapat ditulis: mungkin sedang dibuka di "
                         f"Excel/LibreOffice. {then}")
