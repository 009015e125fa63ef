"""The workspace config: the default loads, every broken config names its key, and the CLI
turns config mistakes into exit code 2 with one Indonesian sentence."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline import config as config_mod
from pipeline.cli import main
from pipeline.config import ConfigError


def load_text(tmp_path: Path, text: str) -> config_mod.Config:
    path = tmp_path / config_mod.CONFIG_NAME
    path.write_text(text, "utf-8")
    return config_mod.load(path)


def default_with(old: str, new: str) -> str:
    """The default config with one exact piece of text replaced (it must be there)."""
    text = config_mod.default_text()
    assert old in text, f"default config no longer contains {old!r}"
    return text.replace(old, new, 1)


def settings(cfg: config_mod.Config) -> dict:
    """A config's settings: its fields (Config compares by identity, eq=False) but the
    bytes it was read from."""
    return {k: v for k, v in dataclasses.asdict(cfg).items() if k != "source"}


def test_default_config_loads(tmp_path, cfg):
    loaded = load_text(tmp_path, config_mod.default_text())
    assert settings(loaded) == settings(cfg)
    assert loaded.source == config_mod.default_text().encode("utf-8")  # what the key hashes
    assert len(cfg.opds) == 36
    assert len({o.kode for o in cfg.opds}) == 36
    assert cfg.years == list(range(2024, 2034))
    assert cfg.period_label == "2024-2033"
    assert cfg.quick_win_year == 2024
    assert len(cfg.dimensions) == 6
    assert all(len(elements) == 3 for elements in cfg.dimensions.values())
    assert cfg.dimensions["Smart Governance"] == (
        "Pelayanan Publik", "Manajemen Birokrasi", "Kebijakan Publik")
    assert cfg.element_dimension["Tata Kelola Energi"] == "Smart Environment"
    assert cfg.program_types == ("Suprastruktur", "Infrastruktur", "Infostruktur")
    assert "Swasta/CSR" in cfg.funding_without_budget
    assert cfg.opd_by_code["2.12.01"].singkatan == "Disdukcapil"


DUPLICATE_OPD = '\n[[opd]]\nkode = "2.12.01"\nnama = "Dinas Ganda"\nsingkatan = "Ganda"\n'
DIMENSION_WITHOUT_NAME = '\n[[dimensi]]\nelemen = ["Elemen Yatim"]\n'
ELEMENT_TWICE = '\n[[dimensi]]\nnama = "Smart Village"\nelemen = ["Pelayanan Publik"]\n'

BROKEN = {
    "toml syntax": (lambda: default_with('nama = "Kabupaten Tapanuli Tengah"',
                                         'nama = "Kabupaten Tapanuli Tengah'), "baris 7"),
    "duplicate opd code": (lambda: config_mod.default_text() + DUPLICATE_OPD, "opd[37].kode"),
    "element with no dimension": (lambda: config_mod.default_text() + DIMENSION_WITHOUT_NAME,
                                  "dimensi[7].nama"),
    "element in two dimensions": (lambda: config_mod.default_text() + ELEMENT_TWICE,
                                  "dimensi[7].elemen"),
    "fractional years": (lambda: default_with("jumlah_tahun = 10", "jumlah_tahun = 10.5"),
                         "periode.jumlah_tahun"),
    "quoted years": (lambda: default_with("jumlah_tahun = 10", 'jumlah_tahun = "10"'),
                     "periode.jumlah_tahun"),
    "quick win outside period": (lambda: default_with("tahun_quick_win = 2024",
                                                      "tahun_quick_win = 2035"),
                                 "periode.tahun_quick_win"),
    "renamed wilayah": (lambda: default_with("[wilayah]", "[wilayah_lama]"), "wilayah_lama"),
    "numeric opd code": (lambda: default_with('kode = "4.01.01"', "kode = 401"), "opd[1].kode"),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_broken_config_names_the_key(tmp_path, case):
    make_text, key = BROKEN[case]
    with pytest.raises(ConfigError) as info:
        load_text(tmp_path, make_text())
    message = str(info.value)
    if key.startswith("baris"):  # a syntax error is named by its place, not a key
        assert info.value.key == "-" and key in message
    else:
        assert info.value.key == key
        assert f"'{key}'" in message
    assert message.startswith("Konfigurasi salah (masterplan.toml")


@pytest.mark.parametrize(("old", "new", "place", "says"), [
    ('nama = "Kabupaten Tapanuli Tengah"', 'nama = "Kabupaten Tapanuli Tengah',
     "baris 7, kolom 34", "teks belum ditutup dengan tanda kutip"),
    ("tahun_awal = 2024", "tahun_awal 2024", "baris 14, kolom 12", "tanda '=' tidak ada"),
    ("anggaran_kecil = 1000000", "anggaran_kecil = 1.000.000", "baris 29, kolom 23",
     "angka ditulis tanpa titik atau koma ribuan"),
    ('acuan = ["RPJMD", "RPD", "Renstra PD"]', 'acuan = ["RPJMD", "RPD", "Renstra PD"',
     "baris 21", "daftar [ ... ] belum ditutup"),
    ("tahun_quick_win = 2024", "tahun_quick_win = dua ribu", "baris 17, kolom 19",
     "nilai tidak dikenali"),
])
def test_toml_syntax_error_says_where_and_what_in_indonesian(tmp_path, old, new, place, says):
    with pytest.raises(ConfigError) as info:
        load_text(tmp_path, default_with(old, new))
    message = str(info.value)
    assert place in message and says in message, message
    assert "line" not in message and "Expected" not in message


def test_unknown_message_from_toml_still_says_where_in_indonesian():
    place, what = config_mod.toml_error_id("Something new (at line 3, column 1)")
    assert place == "baris 3, kolom 1" and what == "penulisan tidak sesuai aturan TOML"


def test_byte_order_mark_from_notepad_is_accepted(tmp_path, cfg):
    path = tmp_path / config_mod.CONFIG_NAME
    path.write_bytes(b"\xef\xbb\xbf" + config_mod.default_text().encode("utf-8"))
    assert settings(config_mod.load(path)) == settings(cfg)


@pytest.mark.parametrize(("old", "new", "key", "says"), [
    ("[[opd]]", "[[OPD]]", "OPD", "bagian [[OPD]] tidak dikenal; mungkin maksudnya [[opd]]"),
    ("[periode]", "[Periode]", "Periode", "mungkin maksudnya [periode]"),
    ("[evaluasi]", "[evalusi]", "evalusi", "mungkin maksudnya [evaluasi]"),
    ("tahun_awal = 2024", "tahun_awall = 2024", "periode.tahun_awall",
     "kunci 'tahun_awall' tidak dikenal di [periode]; mungkin maksudnya 'tahun_awal'"),
    ('kode = "4.01.01"', 'Kode = "4.01.01"', "opd[1].Kode", "mungkin maksudnya 'kode'"),
    ("tahun_quick_win = 2024", "tahun_quick_win = 2024\nmaks_baris = 100", "periode.maks_baris",
     "kunci ini milik bagian [validasi]"),
    ("[wilayah]", "zona = 1\n[wilayah]", "zona", "bagian yang dikenal: [wilayah]"),
    ("[wilayah]", "[[wilayah]]", "wilayah", "tulis [wilayah] (satu kurung siku)"),
])
def test_unknown_table_or_key_names_the_closest_known_one(tmp_path, old, new, key, says):
    with pytest.raises(ConfigError) as info:
        load_text(tmp_path, default_with(old, new))
    assert info.value.key == key
    assert says in str(info.value), str(info.value)


def test_opd_list_written_as_a_single_table_says_to_use_double_brackets(tmp_path):
    text = config_mod.default_text()
    head = text[:text.index("[[opd]]")]
    with pytest.raises(ConfigError) as info:
        load_text(tmp_path, head + '[opd]\nkode = "1.01.01"\nnama = "Dinas Pendidikan"\n')
    assert info.value.key == "opd" and "tulis [[opd]]" in str(info.value)


def test_every_key_of_the_default_config_is_known_and_buku_gaya_is_a_text(tmp_path):
    text = config_mod.default_text() + '\n[buku]\ngaya = "gaya_buku.docx"\n'
    assert len(load_text(tmp_path, text).opds) == 36
    with pytest.raises(ConfigError) as info:
        load_text(tmp_path, config_mod.default_text() + "\n[buku]\ngaya = 5\n")
    assert info.value.key == "buku.gaya"


def test_misspelled_opd_table_stops_the_cli_instead_of_dropping_the_opd(tmp_path):
    ws = tmp_path / "ws"
    assert invoke("init", "--workspace", str(ws)).exit_code == 0
    config_path = ws / "masterplan.toml"
    text = config_path.read_text("utf-8")
    last = text.rindex("[[opd]]")
    config_path.write_text(text[:last] + "[[OPD]]" + text[last + 7:], "utf-8")
    for command in ("templates", "run", "status"):
        result = invoke(command, "--workspace", str(ws))
        assert result.exit_code == 2, (command, result.output)
        assert "[[OPD]]" in result.output and "[[opd]]" in result.output
    assert not list((ws / "templates_xlsx").iterdir())


def test_missing_config_file_says_how_to_fix(tmp_path):
    with pytest.raises(ConfigError) as info:
        config_mod.load(tmp_path / config_mod.CONFIG_NAME)
    assert "masterplan init" in str(info.value)


# --- through the CLI --------------------------------------------------------------------

def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def test_init_writes_config_and_folders(tmp_path):
    ws = tmp_path / "ws"
    result = invoke("init", "--workspace", str(ws))
    assert result.exit_code == 0, result.output
    assert (ws / "masterplan.toml").read_text("utf-8") == config_mod.default_text()
    for folder in ("templates_xlsx", "inbox", "output"):
        assert (ws / folder).is_dir()
    assert "36 OPD" in result.output


def test_second_init_refuses_without_force(tmp_path):
    ws = tmp_path / "ws"
    assert invoke("init", "--workspace", str(ws)).exit_code == 0
    config_path = ws / "masterplan.toml"
    config_path.write_text("# diubah operator\n" + config_mod.default_text(), "utf-8")

    result = invoke("init", "--workspace", str(ws))
    assert result.exit_code == 2
    assert "--force" in result.output
    assert config_path.read_text("utf-8").startswith("# diubah operator")

    result = invoke("init", "--workspace", str(ws), "--force")
    assert result.exit_code == 0, result.output
    assert config_path.read_text("utf-8") == config_mod.default_text()


@pytest.mark.parametrize("case", ["numeric opd code", "quick win outside period", "toml syntax"])
def test_templates_on_broken_config_exits_2_with_one_sentence(tmp_path, case):
    ws = tmp_path / "ws"
    assert invoke("init", "--workspace", str(ws)).exit_code == 0
    make_text, key = BROKEN[case]
    (ws / "masterplan.toml").write_text(make_text(), "utf-8")

    result = invoke("templates", "--workspace", str(ws))
    assert result.exit_code == 2
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    message = result.output.strip()
    assert "\n" not in message
    assert (key if key.startswith("baris") else f"'{key}'") in message
    assert message.startswith("Konfigurasi salah")
    assert not list((ws / "templates_xlsx").iterdir())


@pytest.mark.parametrize(("section", "value", "key", "says"), [
    ("dimensi", [], "dimensi", "tidak ada [[dimensi]]"),
    ("dimensi", ["Smart Living"], "dimensi[1]", "harus tabel [[dimensi]] dengan `nama`"),
    ("opd", [], "opd", "daftar [[opd]] kosong"),
    ("opd", [{"kode": "1.01.01", "nama": "Dinas A"}, "Dinas B"], "opd[2]",
     "harus tabel [[opd]] dengan `kode`"),
])
def test_array_of_tables_errors_name_the_entry(section, value, key, says):
    parse = config_mod._dimensions if section == "dimensi" else config_mod._opds
    with pytest.raises(config_mod.ConfigError) as caught:
        parse(value)
    assert f"'{key}'" in str(caught.value) and says in str(caught.value)
