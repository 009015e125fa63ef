"""Messages that name many OPDs read down, not across: one summary sentence, then one
line per OPD on the console, and one row per OPD in the rekap's Ringkasan."""

from __future__ import annotations

import re

import openpyxl
import pytest
from click.testing import CliRunner
from plans import good_row, make_plan, quick_win_row

from pipeline.cli import main
from pipeline.results import ITEM_MARK, opd_line

SUBMITTING = 22


def cli(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False,
                              terminal_width=100)


@pytest.fixture(scope="module")
def many(tmp_path_factory, cfg):
    """22 of the 36 OPDs send a plan with a Quick Win that is accepted; 14 send nothing."""
    from pipeline import workspace as workspace_mod

    root = tmp_path_factory.mktemp("many")
    ws = workspace_mod.init(root / "ws")
    senders = cfg.opds[:SUBMITTING]
    for opd in senders:
        make_plan(cfg, root / "tpl", ws.inbox / f"rencana {opd.singkatan}.xlsx", opd.kode,
                  [good_row(cfg), quick_win_row(cfg)])
    result = cli("run", "--workspace", str(ws.root))
    assert result.exit_code == 0, result.output
    return ws, senders, cfg.opds[SUBMITTING:], result.output


def items_under(output: str, head: str) -> list[str]:
    """The item lines right under the line that contains `head`."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if head in line)
    items = []
    for line in lines[start + 1:]:
        if not line.startswith(ITEM_MARK):
            break
        items.append(line.removeprefix(ITEM_MARK))
    return items


def names_one_opd(line: str, opds) -> str:
    named = [o.singkatan for o in opds if re.search(rf"(^|\W){re.escape(o.singkatan)}\W", line)]
    assert len(named) == 1, line
    return named[0]


def test_the_run_lists_the_missing_opds_one_per_line_and_in_the_rekap(many, cfg):
    ws, _, missing, output = many
    head = f"{len(missing)} dari {len(cfg.opds)} OPD belum mengumpulkan berkas:"
    items = items_under(output, head)
    assert [names_one_opd(item, cfg.opds) for item in items] == [o.singkatan for o in missing]
    assert items[0] == f"{missing[0].singkatan} ({missing[0].nama})"

    sheet = openpyxl.load_workbook(ws.output / "rekap_masterplan.xlsx")["Ringkasan"]
    notes = [cell.value for cell in sheet["D"] if isinstance(cell.value, str)]
    start = notes.index(head)
    assert notes[start + 1:start + 1 + len(missing)] == [f"{ITEM_MARK}{item}" for item in items]


def test_the_quick_win_workbook_lists_the_opds_not_evaluated_one_per_row(many):
    ws, senders, _, _ = many
    sheet = openpyxl.load_workbook(ws.output / "evaluasi_quick_win.xlsx")["Ringkasan"]
    cells = [cell.value for cell in sheet["A"] if isinstance(cell.value, str)]
    head = f"{SUBMITTING} Quick Win dari {SUBMITTING} OPD belum dievaluasi:"
    start = cells.index(head)
    assert cells[start + 1:start + 1 + SUBMITTING] == [
        f"{ITEM_MARK}{opd_line(opd.singkatan, opd.nama, '1 Quick Win')}" for opd in senders]


def test_status_lists_each_owing_opd_on_its_own_line(many, cfg):
    ws, _, missing, _ = many
    result = cli("status", "--workspace", str(ws.root))
    assert result.exit_code == 0
    items = items_under(result.output, f"{len(missing)} OPD belum mengumpulkan:")
    assert [names_one_opd(item, cfg.opds) for item in items] == [o.singkatan for o in missing]


def test_a_config_change_that_drops_22_plans_lists_them_one_per_line(many, cfg):
    ws, senders, _, _ = many
    text = ws.config_path.read_text("utf-8")
    for key, year in (("tahun_awal", cfg.first_year), ("tahun_quick_win", cfg.quick_win_year)):
        text = text.replace(f"{key} = {year}", f"{key} = {year + 1}")
    ws.config_path.write_text(text, "utf-8")
    refused = cli("run", "--workspace", str(ws.root))
    assert refused.exit_code == 2
    lines = refused.output.strip().splitlines()
    # One summary sentence first, then a line per plan: its OPD, file and reason.
    assert f"menggugurkan {SUBMITTING} rencana" in lines[0]
    assert lines[0].endswith("Rencana yang akan gugur:")
    items = items_under(refused.output, "Rencana yang akan gugur:")
    assert len(items) == SUBMITTING
    for item, opd in zip(items, senders, strict=True):
        assert names_one_opd(item, cfg.opds) == opd.singkatan
        assert item.startswith(f"{opd.singkatan} ({opd.kode}): rencana {opd.singkatan}.xlsx: ")
        assert "periode" in item
    assert lines[1 + SUBMITTING].startswith("Pilihan:")
    assert "masterplan run --terima-konfigurasi" in lines[-1]
