"""Cell-level normalisation: the forms planners really type, and that nothing ever raises."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.catalogue import Code
from pipeline.read.normalise import (
    ChoiceResult,
    Parsed,
    clean_text,
    is_total_label,
    key,
    match_choice,
    parse_money,
    parse_target,
    suggest,
    valid_nomenclature,
)

OK = None
UNREADABLE = "UANG_TIDAK_TERBACA"
AMBIGUOUS = "UANG_AMBIGU"
NEGATIVE = "UANG_NEGATIF"
PERCENT = "UANG_PERSEN"
FRACTION = "UANG_PECAHAN"
TARGET_BAD = "TARGET_TIDAK_TERBACA"

# (cell value, expected whole Rupiah or None, expected code)
MONEY_CASES = [
    # blank and "nothing" forms mean 0
    (None, 0, OK),
    ("", 0, OK),
    ("   ", 0, OK),
    ("\u00a0", 0, OK),
    ("-", 0, OK),
    ("--", 0, OK),
    ("\u2013", 0, OK),  # en dash (Word autocorrect)
    ("\u2014", 0, OK),  # em dash
    ("Rp -", 0, OK),
    ("Rp. -", 0, OK),
    ("Rp", 0, OK),
    ("Rp -,-", 0, OK),
    ("0", 0, OK),
    ("-0", 0, OK),
    # numbers as Excel stores them
    (1500000, 1500000, OK),
    (0, 0, OK),
    (1500000.0, 1500000, OK),
    (1650000.0000000002, 1650000, OK),  # =1500000*1.1, float noise below Excel's 15 digits
    (1500000.5, None, FRACTION),
    (1.5, None, AMBIGUOUS),  # typed 1,5 in an Indonesian Excel: 1,5 juta? 1,5 miliar?
    (-1500000, None, NEGATIVE),
    (-0.5, None, NEGATIVE),
    (float("nan"), None, UNREADABLE),
    (float("inf"), None, UNREADABLE),
    (True, None, UNREADABLE),
    (dt.datetime(2024, 1, 15), None, UNREADABLE),
    (dt.date(2024, 1, 15), None, UNREADABLE),
    (10**16, None, UNREADABLE),  # above 1.000 triliun: a typo, not a budget
    (Decimal("2500000.00"), 2500000, OK),
    # Indonesian writing: "." thousands, "," decimals, "Rp" and ",-"
    ("1500000", 1500000, OK),
    ("1.500.000", 1500000, OK),
    ("1.500", 1500, OK),
    ("12.000", 12000, OK),
    ("1500", 1500, OK),
    ("Rp 1.500.000,-", 1500000, OK),
    ("Rp1.500.000", 1500000, OK),
    ("Rp.1.500.000", 1500000, OK),
    ("rp 1.500.000", 1500000, OK),
    ("RP. 1.500.000,00", 1500000, OK),
    ("Rp\u00a01.500.000", 1500000, OK),
    ("Rp\u00a01.500.000,-\u00a0", 1500000, OK),
    ("Rp 1.500.000,--", 1500000, OK),
    ("Rp 1.500.000.-", 1500000, OK),
    ("1.500.000,00", 1500000, OK),
    ("1.500.000,-", 1500000, OK),
    ("Rp. 2.000.000.000", 2000000000, OK),
    ("  Rp  2.000.000  ", 2000000, OK),
    ("1 500 000", 1500000, OK),
    ("1\u00a0500\u00a0000", 1500000, OK),
    ("1\u202f500\u202f000", 1500000, OK),
    ("\uff11\uff15\uff10\uff10", 1500, OK),  # full-width digits
    ("1.500.000 rupiah", 1500000, OK),
    ("1500000,00", 1500000, OK),
    # English grouping, accepted where the roles of the separators are clear
    ("IDR 1,500,000", 1500000, OK),
    ("1,500,000", 1500000, OK),
    ("1,500.00", 1500, OK),
    ("1,500,000.00", 1500000, OK),
    ("IDR1500000", 1500000, OK),
    # informal units
    ("1,5 M", 1500000000, OK),
    ("1.5 M", 1500000000, OK),
    ("1,5M", 1500000000, OK),
    ("1,5 m", 1500000000, OK),
    ("1,5 miliar", 1500000000, OK),
    ("1,5 Miliar", 1500000000, OK),
    ("2 milyar", 2000000000, OK),
    ("2 mily", 2000000000, OK),
    ("250 juta", 250000000, OK),
    ("250 jt", 250000000, OK),
    ("250jt", 250000000, OK),
    ("250 Jt.", 250000000, OK),
    ("250 JUTA", 250000000, OK),
    ("Rp. 250 juta", 250000000, OK),
    ("Rp 1,5 M", 1500000000, OK),
    ("Rp 250 juta,-", 250000000, OK),
    ("250 juta rupiah", 250000000, OK),
    ("750 rb", 750000, OK),
    ("750 ribu", 750000, OK),
    ("750rb", 750000, OK),
    ("750 Rb.", 750000, OK),
    ("750k", 750000, OK),
    ("1,25 T", 1250000000000, OK),
    ("1 triliun", 1000000000000, OK),
    ("2,75 trilyun", 2750000000000, OK),
    ("1.500,5 jt", 1500500000, OK),
    ("1.500.000 rb", 1500000000, OK),
    ("0,0001 rb", None, FRACTION),
    ("1,2345 rb", None, FRACTION),
    ("1.500 jt", None, AMBIGUOUS),  # 1,5 juta or 1.500 juta?
    ("1,500 M", None, AMBIGUOUS),
    ("5 unit", None, UNREADABLE),
    ("juta", None, UNREADABLE),
    # ambiguous and fractional text
    ("1.5", None, AMBIGUOUS),
    ("1.50", None, AMBIGUOUS),
    ("12.5", None, AMBIGUOUS),
    ("1,5", None, AMBIGUOUS),
    ("1,500", None, AMBIGUOUS),  # 1,5 or 1.500?
    ("1500.000", None, AMBIGUOUS),  # badly grouped 1.500.000, or 1500?
    ("1500,000", None, AMBIGUOUS),
    ("1.500,50", None, FRACTION),
    ("1500000.5", None, FRACTION),
    ("1.500.000,75", None, FRACTION),
    ("12.0", 12, OK),
    # percentages
    ("12,5%", None, PERCENT),
    ("12%", None, PERCENT),
    ("100 %", None, PERCENT),
    ("%", None, UNREADABLE),
    # negatives
    ("-1500000", None, NEGATIVE),
    ("-1.500.000", None, NEGATIVE),
    ("(1.500.000)", None, NEGATIVE),
    ("\u22121.500.000", None, NEGATIVE),  # unicode minus
    ("\u20131.500.000", None, NEGATIVE),  # en dash used as minus
    ("Rp -1.500.000", None, NEGATIVE),
    ("-Rp 1.500.000", None, NEGATIVE),
    ("(Rp 1.500.000)", None, NEGATIVE),
    ("- 250 juta", None, NEGATIVE),
    # not numbers
    ("belum ada", None, UNREADABLE),
    ("n/a", None, UNREADABLE),
    ("N/A", None, UNREADABLE),
    ("TBD", None, UNREADABLE),
    ("gratis", None, UNREADABLE),
    ("1.5.2020", None, UNREADABLE),
    ("abc", None, UNREADABLE),
    ("1500000 dan 2000000", None, UNREADABLE),
    ("1,5 M + 250 jt", None, UNREADABLE),
    ("=SUM(A1)", None, UNREADABLE),
    ("=B5*1000", None, UNREADABLE),
    ("#REF!", None, UNREADABLE),
    ("1e6", None, UNREADABLE),
    (".", None, UNREADABLE),
    ("1..500", None, UNREADABLE),
    ("1.50.000", None, UNREADABLE),
    ("1,5 M 250 jt", None, UNREADABLE),
    ("10.000.000.000.000.000", None, UNREADABLE),  # too large
    ("Rp " + "9" * 80, None, UNREADABLE),
    (object(), None, UNREADABLE),
]


@pytest.mark.parametrize(("value", "expected", "code"), MONEY_CASES, ids=repr)
def test_parse_money(value, expected, code):
    result = parse_money(value)
    assert (result.value, result.code) == (expected, code)
    if expected is not None:
        assert type(result.value) is int


@pytest.mark.parametrize(
    ("value", "detail"),
    [
        ("1,500", "1,5 atau 1.500?"),
        ("1.500 jt", "1,5 juta atau 1.500 juta?"),
        ("1500.000", "1.500 atau 1.500.000?"),
        ("1,5", "1,5 juta atau 1,5 miliar?"),
    ],
)
def test_ambiguous_money_detail_shows_the_readings(value, detail):
    assert parse_money(value) == Parsed(None, AMBIGUOUS, detail)


def test_money_problems_carry_an_indonesian_detail():
    for value, _, code in MONEY_CASES:
        if code is not None:
            assert parse_money(value).detail, value


TARGET_CASES = [
    (None, None, None),
    ("", None, None),
    ("  ", None, None),
    ("-", None, None),
    (25, 25, None),
    (25.0, 25, None),
    (12.5, 12.5, None),
    (0.8, 0.8, None),
    (0.1 + 0.2, 0.3, None),
    ("25", 25, None),
    ("25%", 25, None),
    ("80 %", 80, None),
    ("12,5%", 12.5, None),
    ("12,5", 12.5, None),
    ("100,00", 100, None),
    ("1.000", 1000, None),
    ("1.000.000", 1000000, None),
    ("1.000,5", 1000.5, None),
    ("0.5", 0.5, None),
    ("1 000", 1000, None),
    ("\u00a075\u00a0%", 75, None),
    ("-5", -5, None),  # a planned decrease
    ("+5", 5, None),
    ("1,000", None, TARGET_BAD),  # 1 or 1.000?
    ("5 unit", None, TARGET_BAD),
    ("ada", None, TARGET_BAD),
    ("tersedia", None, TARGET_BAD),
    ("80-90", None, TARGET_BAD),
    ("=A1*2", None, TARGET_BAD),
    (True, None, TARGET_BAD),
    (float("nan"), None, TARGET_BAD),
    (dt.date(2024, 1, 1), None, TARGET_BAD),
    (Decimal("12.50"), 12.5, None),
    (object(), None, TARGET_BAD),
]


@pytest.mark.parametrize(("value", "expected", "code"), TARGET_CASES, ids=repr)
def test_parse_target(value, expected, code):
    result = parse_target(value)
    assert (result.value, result.code) == (expected, code)
    assert type(result.value) is type(expected)


DIMENSIONS = ["Smart Governance", "Smart Branding", "Smart Economy", "Smart Living",
              "Smart Society", "Smart Environment"]
YES_NO = ["Ya", "Tidak"]
SOURCES = ["APBD Kabupaten", "APBD Provinsi", "APBN", "DAK", "Dana Desa", "Swasta/CSR",
           "KPBU", "Lainnya"]

# (cell value, options, accepted option, suggestion)
CHOICE_CASES = [
    ("Smart Governance", DIMENSIONS, "Smart Governance", None),
    ("smart governance ", DIMENSIONS, "Smart Governance", None),
    ("SMART  GOVERNANCE", DIMENSIONS, "Smart Governance", None),
    ("Smart\u00a0Governance", DIMENSIONS, "Smart Governance", None),
    ("\tsmart branding\n", DIMENSIONS, "Smart Branding", None),
    ("SMART ECONOMY", DIMENSIONS, "Smart Economy", None),
    ("Smart living", DIMENSIONS, "Smart Living", None),
    ("smart society", DIMENSIONS, "Smart Society", None),
    ("Smart Environment", DIMENSIONS, "Smart Environment", None),
    ("Governance", DIMENSIONS, None, "Smart Governance"),
    ("Economy", DIMENSIONS, None, "Smart Economy"),
    ("Smart Goverment", DIMENSIONS, None, "Smart Governance"),
    ("Smart Enviroment", DIMENSIONS, None, "Smart Environment"),
    ("Enviroment", DIMENSIONS, None, "Smart Environment"),
    ("Smart-Living", DIMENSIONS, None, "Smart Living"),
    ("Smart Governance (Tata Kelola)", DIMENSIONS, None, "Smart Governance"),
    ("Smart", DIMENSIONS, None, None),  # every option contains it: no single suggestion
    ("Pariwisata", DIMENSIONS, None, None),
    ("YA", YES_NO, "Ya", None),
    ("ya ", YES_NO, "Ya", None),
    ("Tidak", YES_NO, "Tidak", None),
    ("TIDAK", YES_NO, "Tidak", None),
    ("Y", YES_NO, None, "Ya"),
    ("Tdk", YES_NO, None, "Tidak"),
    ("Yes", YES_NO, None, None),
    ("No", YES_NO, None, None),
    (True, YES_NO, None, None),
    (None, YES_NO, None, None),
    ("", YES_NO, None, None),
    ("apbn", SOURCES, "APBN", None),
    ("Swasta / CSR", SOURCES, "Swasta/CSR", None),
    ("CSR", SOURCES, None, "Swasta/CSR"),
    ("APBD Kab", SOURCES, None, "APBD Kabupaten"),
    ("APBD", SOURCES, None, None),  # Kabupaten or Provinsi: no guess
    ("APBD", ["APBD Kabupaten", "APBN"], None, "APBD Kabupaten"),
    (2024, ["2024", "2025"], "2024", None),
]


@pytest.mark.parametrize(("value", "options", "expected", "suggestion"), CHOICE_CASES,
                         ids=repr)
def test_match_choice(value, options, expected, suggestion):
    assert match_choice(value, options) == ChoiceResult(expected, suggestion)


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Anggaran 2024", "Anggaran 2024 (Rp)"),
        ("Nama  program", "Nama Program"),
        ("Dimensi Smart City", "Dimensi"),
        ("Sumber Pendanaan", "Sumber Dana"),
        ("Kolom Baru", None),
    ],
)
def test_suggest_for_header_labels(label, expected):
    labels = ["No", "Nama Program", "Dimensi", "Sumber Dana", "Anggaran 2024 (Rp)",
              "Anggaran 2025 (Rp)", "Target 2024"]
    assert suggest(label, labels) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Smart\u00a0 Governance ", "smart governance"),
        ("  JUMLAH\t", "jumlah"),
        ("Swasta / CSR", "swasta/csr"),
        ("Acuan RPJMD/ RPD", "acuan rpjmd/rpd"),
        ("Anggaran\n2024 (Rp)", "anggaran 2024 (rp)"),
        ("\uff33mart", "smart"),
        ("", ""),
        (None, ""),
    ],
)
def test_key(value, expected):
    assert key(value) == expected


CLEAN_TEXT_CASES = [
    (None, None),
    ("", None),
    ("   ", None),
    ("\u00a0\t\n", None),
    ("  Nama Program  ", "Nama Program"),
    ("Smart\u00a0\u00a0Governance", "Smart Governance"),
    ("a\u202fb\u2007c", "a b c"),
    ("a\t\tb", "a b"),
    ("baris satu   \n  baris dua", "baris satu\nbaris dua"),
    ("baris satu\r\nbaris dua", "baris satu\nbaris dua"),
    ("a\n\n\n\nb", "a\n\nb"),
    ("\n\nteks\n\n", "teks"),
    ("zero\u200bwidth\ufeff", "zerowidth"),
    ("bell\x07", "bell"),
    (12, "12"),
    (12.0, "12"),
    (-3.0, "-3"),
    (2.16, "2.16"),
    (0.1 + 0.2, "0.3"),
    (1500000.0, "1500000"),
    (float("nan"), None),
    (True, "TRUE"),
    (False, "FALSE"),
    (dt.datetime(2024, 3, 5), "2024-03-05"),
    (dt.datetime(2024, 3, 5, 14, 30), "2024-03-05 14:30:00"),
    (dt.date(2024, 3, 5), "2024-03-05"),
    (dt.time(8, 15), "08:15:00"),
    (Decimal("1.50"), "1.50"),
]


@pytest.mark.parametrize(("value", "expected"), CLEAN_TEXT_CASES, ids=repr)
def test_clean_text(value, expected):
    assert clean_text(value) == expected


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        ("2", True),
        ("2.16", True),
        ("2.16.03", True),
        ("2.16.03.2.02", True),
        ("2.16.03.2.02.0035", True),
        (" 2.16.03 ", True),
        ("\u00a02.16.03.2.02\u00a0", True),
        ("1.02.02.2.01.0001", True),
        ("", False),
        ("2.16.3", False),
        ("2.16.03.2", False),
        ("216.03", False),
        ("2.16.03.2.02.35", False),
        ("2.16.03.2.02.00350", False),
        ("2.16.03.02.02", False),
        ("2.16.", False),
        ("2.16.03.", False),
        ("X.XX.01", False),
        ("2.1a", False),
        ("a.16.03", False),
        ("0.16", False),
        ("2,16,03", False),
        ("2 .16", False),
        (None, False),
        (2.16, False),
    ],
)
def test_valid_nomenclature(code, valid):
    assert valid_nomenclature(code) is valid


@pytest.mark.parametrize(
    ("label", "is_total"),
    [
        ("JUMLAH", True),
        ("Jumlah", True),
        ("TOTAL", True),
        ("Total Anggaran", True),
        ("Jumlah Total", True),
        ("GRAND TOTAL", True),
        ("Sub Total", True),
        ("Sub-Total", True),
        ("SUBTOTAL", True),
        ("Jumlah Keseluruhan", True),
        ("TOTAL :", True),
        ("Total:", True),
        ("  jumlah\u00a0 ", True),
        ("Jml", True),
        ("Total Anggaran (Rp)", True),
        ("Jumlah Anggaran 2024-2033", True),
        ("JUMLAH TOTAL ANGGARAN", True),
        ("Peningkatan Jumlah Wisatawan", False),
        ("Total Quality Management ASN", False),
        ("Jumlah Wisatawan", False),
        ("Total Football Smart Village", False),
        ("Pengelolaan Keuangan Daerah", False),
        ("Sub Kegiatan", False),
        ("Grand Design Smart City", False),
        ("", False),
        (None, False),
        (123, False),
    ],
)
def test_is_total_label(label, is_total):
    assert is_total_label(label) is is_total


# --- properties --------------------------------------------------------------------------

CELL_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(),
    st.datetimes(),
    st.dates(),
    st.times(),
)


def _well_formed(result: Parsed) -> bool:
    if result.code is None:
        return True
    return result.code in set(Code) and result.value is None


@given(CELL_VALUES)
def test_parse_money_never_raises(value):
    result = parse_money(value)
    assert _well_formed(result)
    assert result.code is not None or (type(result.value) is int and result.value >= 0)


@given(st.text(alphabet="0123456789.,- RpMjtrb%\u00a0()", max_size=20))
def test_parse_money_never_raises_on_number_like_text(text):
    assert _well_formed(parse_money(text))


@given(CELL_VALUES)
def test_parse_target_never_raises(value):
    result = parse_target(value)
    assert _well_formed(result)
    if result.value is not None:
        assert isinstance(result.value, (int, float)) and math.isfinite(result.value)


@given(CELL_VALUES)
def test_clean_text_never_raises(value):
    text = clean_text(value)
    assert text is None or (text and text == text.strip())


@given(CELL_VALUES, st.lists(st.text(), max_size=8))
def test_match_choice_never_raises(value, options):
    result = match_choice(value, options)
    assert result.value is None or result.value in options
    assert result.suggestion is None or result.suggestion in options


@given(st.text())
def test_labels_never_raise(text):
    assert isinstance(is_total_label(text), bool)
    assert isinstance(valid_nomenclature(text), bool)
    assert key(key(text)) == key(text)


@given(st.integers(min_value=0, max_value=10**13 - 1))
def test_money_round_trip(n):
    dotted = f"{n:,}".replace(",", ".")
    assert parse_money(n) == Parsed(n, None)
    assert parse_money(float(n)) == Parsed(n, None)
    assert parse_money(str(n)) == Parsed(n, None)
    assert parse_money(dotted) == Parsed(n, None)
    assert parse_money("Rp " + dotted + ",-") == Parsed(n, None)
    assert parse_money("Rp" + dotted + ",00") == Parsed(n, None)
