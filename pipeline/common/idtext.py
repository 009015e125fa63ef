"""Indonesian number text: the one home of every figure written for people.

`.` groups thousands and `,` marks decimals; Rupiah is whole ("Rp 1.500.000"); screens
and tables shorten to juta, miliar and triliun. Every writer (console, reports, board,
book, templates, feedback) formats numbers through these, so they read the same
everywhere.
"""

from __future__ import annotations

_SWAP = str.maketrans(",.", ".,")


def thousands(n: int | float) -> str:
    """1500000 -> '1.500.000' (a float is rounded to whole units)."""
    return (f"{n:,}" if isinstance(n, int) else f"{n:,.0f}").replace(",", ".")


def rupiah(amount: int | float | None) -> str:
    """Whole Rupiah: 1500000 -> 'Rp 1.500.000' (missing -> 'Rp 0')."""
    return f"Rp {thousands(int(amount or 0))}"


def rupiah_short(amount: int) -> str:
    """For a screen: Rp 12,5 M (miliar), Rp 850 jt (juta), Rp 1,2 T; small amounts whole."""
    for size, unit in ((10**12, "T"), (10**9, "M"), (10**6, "jt")):
        if abs(amount) >= size:
            return f"Rp {decimal(amount / size, 1).removesuffix(',0')} {unit}"
    return rupiah(amount)


def decimal(value: float, digits: int) -> str:
    """12345.678, 2 -> '12.345,68': a fixed number of decimals, Indonesian marks."""
    return f"{value:,.{digits}f}".translate(_SWAP)


def significant(value: float) -> str:
    """A measured value as typed: 12.5 -> '12,5', 90.0 -> '90', 1500 -> '1.500'."""
    return f"{value:,.10g}".translate(_SWAP)


def millions(amount: int) -> str:
    """Rupiah in juta with a decimal comma: 1234567890 -> '1.234,57'; 0 -> '-'."""
    return decimal(amount / 1e6, 2) if amount else "-"


def number_text(value: float | int) -> str:
    """85 -> '85', 1500 -> '1.500', 87.5 -> '87,5' (two decimals at most)."""
    whole, _, fraction = f"{value:.2f}".partition(".")
    fraction = fraction.rstrip("0")
    return f"{thousands(int(whole))},{fraction}" if fraction else thousands(int(whole))


def size_text(n: int) -> str:
    """Bytes for people: 1500 -> '1,5 KB', 2_150_000_000 -> '2,2 GB' (decimal units)."""
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if n >= scale:
            value = n / scale
            return f"{decimal(value, 1 if value < 10 else 0)} {unit}"
    return f"{n} byte"
