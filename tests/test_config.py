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


def test_default_config_loads(tmp_path, cfg):
    loaded = load_text(tmp_path, config_mod.default_text())
    # Config compares by identity (eq=False), so compare its fields.
    assert dataclasses.asdict(loaded) == dataclasses.asdict(cfg)
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
                                         'nama = "Kabupaten Tapanuli Tengah'), "-"),
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
    "missing wilayah": (lambda: default_with("[wilayah]", "[wilayah_lama]"), "wilayah"),
    "numeric opd code": (lambda: default_with('kode = "4.01.01"', "kode = 401"), "opd[1].kode"),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_broken_config_names_the_key(tmp_path, case):
    make_text, key = BROKEN[case]
    with pytest.raises(ConfigError) as info:
        load_text(tmp_path, make_text())
    assert info.value.key == key
    message = str(info.value)
    assert f"'{key}'" in message
    assert message.startswith("Konfigurasi salah (masterplan.toml")


def test_toml_syntax_error_says_where(tmp_path):
    text = default_with('nama = "Kabupaten Tapanuli Tengah"', 'nama = "Kabupaten Tapanuli Tengah')
    with pytest.raises(ConfigError) as info:
        load_text(tmp_path, text)
    assert "line" in info.value.detail  # tomllib's position, so the operator finds the line


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
    assert f"'{key}'" in message
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
