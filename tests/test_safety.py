"""The pre-parse safety check: every hostile kind gets its code, fast and in bounded memory;
honest workbooks from every writer pass; nothing the bytes can do makes it raise."""

from __future__ import annotations

import io
import os
import resource
import shutil
import subprocess
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.catalogue import Code, Problem
from pipeline.read import safety
from pipeline.read.safety import Verdict, harden_xml, inspect_file

try:
    import hostile
except ImportError:  # tests/ became a package
    from tests import hostile

HAS_SOFFICE = shutil.which("soffice") is not None
needs_soffice = pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice (soffice) not installed")

BASIC_CASES = [c for c in hostile.CASES if not c.libreoffice]
LIBREOFFICE_CASES = [c for c in hostile.CASES if c.libreoffice]
MB = 1_000_000


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return hostile.build_corpus(tmp_path_factory.mktemp("hostile"), libreoffice=False)


@pytest.fixture(scope="module")
def honest(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Template-shaped workbooks as participants' tools write them."""
    folder = tmp_path_factory.mktemp("honest")
    return {
        "xlsxwriter_2000_terisi": hostile.make_template_xlsxwriter(folder / "a.xlsx"),
        "xlsxwriter_2000_kosong_bergaya": hostile.make_template_xlsxwriter(
            folder / "b.xlsx", filled=False),
        "xlsxwriter_150": hostile.make_template_xlsxwriter(folder / "c.xlsx", rows=150),
        "openpyxl_300": hostile.make_template_openpyxl(folder / "d.xlsx", rows=300),
        "styles_membengkak": _bloated_styles(folder / "e.xlsx"),
    }


def _bloated_styles(path: Path) -> Path:
    """An honest workbook whose styles.xml carries 64,000 identical cell formats (what
    years of copy-paste between workbooks do): ~5 MB at ~290x, legal because it is small."""
    base = hostile.make_good_xlsx(path.with_name("styles_base.xlsx"))
    with zipfile.ZipFile(base) as z:
        styles = z.read("xl/styles.xml").decode()
    xf = '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    start, end = styles.index("<cellXfs"), styles.index("</cellXfs>")
    styles = styles[:start] + f'<cellXfs count="64001">{xf * 64001}' + styles[end:]
    members = [m for m in hostile.members_of(base) if m.name != "xl/styles.xml"]
    members.append(hostile.raw_deflated("xl/styles.xml", styles.encode()))
    return hostile.write_raw_zip(path, members)


# Decided at once, not after a hang: the speed itself (milliseconds) is measured and held
# to its goals in benchmarks/safety.py, where a busy machine cannot fail a test.
HANG = 5.0


def timed(path: Path, **limits: int) -> tuple[Verdict, float]:
    start = time.perf_counter()
    verdict = inspect_file(path, **limits)
    return verdict, time.perf_counter() - start


def traced_peak(path: Path) -> int:
    """The Python-level peak (tracemalloc) of one safety pass over path, in bytes."""
    tracemalloc.start()
    try:
        inspect_file(path)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _assert_well_formed(verdict: Verdict) -> None:
    assert isinstance(verdict, Verdict)
    if verdict.ok:
        assert verdict.code is None and verdict.message() == ""
    else:
        assert verdict.code in set(Code)
        assert verdict.detail and verdict.params["detail"] == verdict.detail
        assert "{" not in verdict.message()
        # how pipeline.rules.judge builds the participant's message: from params alone
        assert Problem(verdict.code, params=dict(verdict.params)).message == verdict.message()


# --- every hostile kind ------------------------------------------------------------------

@pytest.mark.parametrize("case", BASIC_CASES, ids=lambda c: c.name)
def test_each_kind_gets_its_code_quickly(case: hostile.Case, corpus: dict[str, Path]) -> None:
    verdict, seconds = timed(corpus[case.name])
    assert verdict.code == case.code, verdict
    assert verdict.ok is (case.code is None)
    _assert_well_formed(verdict)
    assert seconds < HANG, f"{case.name}: {seconds:.2f} s"


def test_memory_stays_bounded(corpus: dict[str, Path]) -> None:
    """Python-level peak per file (tracemalloc) and the process peak RSS over all of them."""
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    for name, path in corpus.items():
        peak = traced_peak(path)
        assert peak < 16 * MB, f"{name}: {peak / MB:.1f} MB"
    rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before
    assert rss_growth * 1024 < 100 * MB


def test_bomb_details_speak_in_sizes(corpus: dict[str, Path]) -> None:
    assert inspect_file(corpus["bom_zip.xlsx"]).detail == "isi 2,1 GB dari berkas 2,1 MB"
    assert "1.009x" in inspect_file(corpus["bom_spasi.xlsx"]).detail
    assert inspect_file(corpus["bom_anggota.xlsx"]).detail == "20.011 bagian, batas 2.000"
    message = inspect_file(corpus["bom_zip.xlsx"]).message()
    assert "(isi 2,1 GB dari berkas 2,1 MB)" in message
    csv = inspect_file(corpus["teks_csv.xlsx"]).message()
    assert csv.startswith("Berkas ini bukan berkas Excel (.xlsx) (berkas teks/CSV).")


def test_xml_attack_detail_names_the_part(corpus: dict[str, Path]) -> None:
    verdict = inspect_file(corpus["xxe.xlsx"])
    assert verdict.detail == "DOCTYPE/ENTITY di xl/sharedStrings.xml"
    assert verdict.detail in verdict.message()


def stored_with_sheet(tmp_path: Path, sheet: str) -> Path:
    """A good workbook with its sheet XML replaced, every member stored (not deflated),
    so the inflater's pieces are exactly READ_CHUNK bytes."""
    path = tmp_path / "stored.xlsx"
    with zipfile.ZipFile(hostile.make_good_xlsx(tmp_path / "base.xlsx")) as src, \
            zipfile.ZipFile(path, "w") as out:
        for info in src.infolist():
            data = sheet.encode() if info.filename == hostile.SHEET else src.read(info)
            out.writestr(info.filename, data, compress_type=zipfile.ZIP_STORED)
    return path


@pytest.mark.parametrize("shift", [0, 3, 8, 20])
def test_doctype_after_a_long_prolog_and_across_a_seam(tmp_path: Path, shift: int) -> None:
    """XML allows comments before the DOCTYPE, so looking at the first 64 KB is not enough;
    the member is stored, so pieces are exactly 64 KiB and the DOCTYPE straddles one."""
    prefix = hostile.XML_DECL + "<!--"
    filler = "x" * (safety.READ_CHUNK - len(prefix) - len("-->") - shift)
    sheet = (prefix + filler + '--><!DOCTYPE worksheet [<!ENTITY a "b">]>'
             f'<worksheet xmlns="{hostile.MAIN_NS}"><sheetData/></worksheet>')
    assert inspect_file(stored_with_sheet(tmp_path, sheet)).code == "BERKAS_BERBAHAYA"


def test_directory_bomb_with_lying_end_record(tmp_path: Path) -> None:
    """The end record says 5 entries; the central directory holds 20,000."""
    path = hostile.make_many_members(tmp_path / "m.xlsx", eocd_count=5)
    verdict, seconds = timed(path)
    assert verdict.code == "BERKAS_TERLALU_BESAR"
    assert seconds < HANG


def test_lying_header_is_caught_even_where_zipfile_is_fooled(corpus: dict[str, Path]) -> None:
    """zipfile stops at the declared 4 KB and finds the CRC right; we inflate past it.
    (Bounded read on purpose: ``ZipFile.read`` would inflate the whole GiB, then cut it.)"""
    path = corpus["bom_header_bohong.xlsx"]
    with zipfile.ZipFile(path) as z, z.open(hostile.SHEET) as member:
        assert member.read(8192) == b"\0" * 4096
    assert "mengembang melebihi" in inspect_file(path).detail


# --- unreadable and limit edges ------------------------------------------------------------

def test_missing_file_and_folder(tmp_path: Path) -> None:
    assert inspect_file(tmp_path / "hilang.xlsx").code == "BERKAS_TIDAK_TERBACA"
    assert inspect_file(tmp_path).code == "BERKAS_TIDAK_TERBACA"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_named_pipe_does_not_block(tmp_path: Path) -> None:
    fifo = tmp_path / "pipa.xlsx"
    os.mkfifo(fifo)
    verdict, seconds = timed(fifo)
    assert verdict.code == "BERKAS_TIDAK_TERBACA" and seconds < HANG


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root reads files regardless of permissions")
def test_no_permission(tmp_path: Path) -> None:
    path = hostile.make_good_xlsx(tmp_path / "rahasia.xlsx")
    path.chmod(0)
    try:
        assert inspect_file(path).code == "BERKAS_TIDAK_TERBACA"
    finally:
        path.chmod(0o644)


def test_limits_are_honoured(corpus: dict[str, Path]) -> None:
    good = corpus["baik.xlsx"]
    assert inspect_file(good, max_bytes=1_000).code == "BERKAS_TERLALU_BESAR"
    assert inspect_file(good, max_members=3).code == "BERKAS_TERLALU_BESAR"
    assert inspect_file(good, max_total_uncompressed=1_000).code == "BERKAS_TERLALU_BESAR"
    assert inspect_file(good, max_member_uncompressed=500).code == "BERKAS_TERLALU_BESAR"


def test_what_it_is_beats_how_big_it_is(corpus: dict[str, Path]) -> None:
    """Only containers we would parse are refused for size; a big PDF is still 'a PDF'."""
    assert inspect_file(corpus["cetak.pdf"], max_bytes=10).code == "BERKAS_PDF"


def test_path_may_be_a_string(corpus: dict[str, Path]) -> None:
    assert inspect_file(str(corpus["baik.xlsx"])).ok


# --- honest workbooks pass -------------------------------------------------------------------

def test_honest_workbooks_pass(honest: dict[str, Path]) -> None:
    for name, path in honest.items():
        verdict, seconds = timed(path)
        assert verdict.ok, (name, verdict)
        assert seconds < HANG, f"{name}: {seconds:.2f} s"


def test_honest_ratios_leave_headroom(honest: dict[str, Path]) -> None:
    """Large honest parts compress 6-14x; the limit must stay far above that."""
    for name, path in honest.items():
        with zipfile.ZipFile(path) as z:
            for info in z.infolist():
                if info.file_size > 1 * MB and name != "styles_membengkak":
                    ratio = info.file_size / info.compress_size
                    assert ratio * 5 < safety.MAX_RATIO, (name, info.filename, ratio)


@pytest.mark.libreoffice
@needs_soffice
@pytest.mark.parametrize("case", LIBREOFFICE_CASES, ids=lambda c: c.name)
def test_libreoffice_files(case: hostile.Case, tmp_path: Path) -> None:
    """A real .xls renamed .xlsx, a real .ods, and an honest template re-saved by Calc."""
    path = case.make(tmp_path / case.name)
    verdict, seconds = timed(path)
    assert verdict.code == case.code, verdict
    assert seconds < HANG


# --- nothing raises ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@pytest.fixture(scope="module")
def good_bytes(scratch: Path) -> bytes:
    return hostile.make_template_xlsxwriter(scratch / "basis.xlsx", rows=20, cols=8).read_bytes()


def _judge(scratch: Path, data: bytes) -> Verdict:
    path = scratch / "uji.xlsx"
    path.write_bytes(data)
    verdict = inspect_file(path)
    _assert_well_formed(verdict)
    return verdict


@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=4096))
def test_random_bytes_never_raise(scratch: Path, data: bytes) -> None:
    _judge(scratch, data)


@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=4096), magic=st.sampled_from(
    [b"PK\x03\x04", b"PK\x05\x06", hostile.OLE_MAGIC, b"%PDF-"]))
def test_random_bytes_after_a_magic_never_raise(scratch: Path, magic: bytes, data: bytes) -> None:
    _judge(scratch, magic + data)


@settings(max_examples=200, deadline=None)
@given(edits=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)),
                      min_size=1, max_size=6),
       cut=st.one_of(st.none(), st.floats(0, 1)))
def test_damaged_workbooks_never_raise(scratch: Path, good_bytes: bytes,
                                       edits: list[tuple[float, int]], cut: float | None) -> None:
    """Random byte changes (and cuts) anywhere in a real workbook: headers, data, directory.
    Every outcome must come from a deliberate check, not from the last-resort handler."""
    data = bytearray(good_bytes)
    for where, value in edits:
        data[int(where * len(data))] = value
    if cut is not None:
        data = data[: int(cut * len(data))]
    verdict = _judge(scratch, bytes(data))
    assert not (verdict.detail or "").startswith("pemeriksaan gagal"), verdict


@pytest.mark.filterwarnings("ignore:Duplicate name")  # duplicates are a case worth feeding
@settings(max_examples=60, deadline=None)
@given(members=st.lists(st.tuples(st.text(st.characters(blacklist_characters="\x00",
                                                      blacklist_categories=("Cs",)),
                                        min_size=1, max_size=30),
                                st.binary(max_size=300)),
                        max_size=6),
       workbook=st.booleans())
def test_random_zips_never_raise(scratch: Path, members: list[tuple[str, bytes]],
                                 workbook: bool) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        if workbook:
            z.writestr("[Content_Types].xml", "<Types/>")
            z.writestr("xl/workbook.xml", "<workbook/>")
        for name, data in members:
            z.writestr(name, data)
    _judge(scratch, buffer.getvalue())


# --- the parsers themselves on entity attacks ------------------------------------------------

def _read_all_with_calamine(path: Path) -> str:
    from python_calamine import CalamineWorkbook

    seen = []
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        for name in workbook.sheet_names:
            seen.append(repr(workbook.get_sheet_by_name(name).to_python()))
    except Exception as exc:  # refusing is fine; leaking is not
        seen.append(repr(exc))
    return "\n".join(seen)


@pytest.mark.parametrize("name", ["billion_laughs.xlsx", "xxe.xlsx", "doctype_utf16.xlsx"])
def test_calamine_does_not_expand_entities(corpus: dict[str, Path], name: str) -> None:
    start = time.perf_counter()
    seen = _read_all_with_calamine(corpus[name])
    assert "root:" not in seen
    assert "lollollol" not in seen
    assert time.perf_counter() - start < 5


def _read_all_with_openpyxl(path: Path, read_only: bool) -> list[object]:
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=read_only)
    return [cell for ws in workbook.worksheets for row in ws.iter_rows(values_only=True)
            for cell in row]


@pytest.mark.parametrize("read_only", [False, True])
@pytest.mark.parametrize("name", ["billion_laughs.xlsx", "xxe.xlsx"])
def test_openpyxl_refuses_entities_after_harden(corpus: dict[str, Path], name: str,
                                                read_only: bool) -> None:
    harden_xml()
    harden_xml()  # idempotent
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True
    with pytest.raises(Exception) as caught:
        _read_all_with_openpyxl(corpus[name], read_only)
    assert "root:" not in str(caught.value)


def test_harden_xml_repairs_an_openpyxl_imported_without_defusedxml(
        corpus: dict[str, Path]) -> None:
    """Someone set OPENPYXL_DEFUSEDXML=False before openpyxl was imported: harden_xml()
    rebinds the parser functions in place (checked in a fresh interpreter)."""
    script = f"""
import openpyxl, openpyxl.xml
assert openpyxl.xml.DEFUSEDXML is False
from pipeline.read.safety import harden_xml
harden_xml(); harden_xml()
import defusedxml.ElementTree as defused
import openpyxl.reader.strings, openpyxl.worksheet._reader
assert openpyxl.xml.DEFUSEDXML is True
assert openpyxl.worksheet._reader.iterparse is defused.iterparse
assert openpyxl.reader.strings.iterparse is defused.iterparse
try:
    openpyxl.load_workbook({str(corpus["xxe.xlsx"])!r})
except Exception as exc:
    assert "root:" not in str(exc)
    print("refused", type(exc).__name__)
else:
    raise SystemExit("XXE workbook was loaded")
"""
    env = {**os.environ, "OPENPYXL_DEFUSEDXML": "False"}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("refused")
