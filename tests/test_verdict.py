"""The verdict rules (store/verdict.py) as a pure function, in milliseconds: what the
ledger records for a path holding judged bytes. The same rules run end to end in
tests/test_replacements.py and tests/test_tarik.py (copies, re-sent files, withdrawn bytes)
and tests/test_serve.py (uploads claiming another OPD)."""

from __future__ import annotations

import pytest
from plans import DINKES, DISHUB

from pipeline import layout
from pipeline.catalogue import Code
from pipeline.results import FileRecord, FileState
from pipeline.store.verdict import Judged, Known, Verdict, claim_refused, verdict

SHA = "a" * 64
PLAN = Judged(SHA, FileState.ACCEPTED, "Diterima; 3 program.", DINKES, layout.KIND_PLAN)
REJECTED = Judged(SHA, FileState.REJECTED, "Ditolak: 2 kesalahan.", DINKES, layout.KIND_PLAN)


def record(path: str, seq: int, sha: str = SHA, **fields) -> FileRecord:
    return FileRecord(path, sha, 100, 0.0, "2026-01-01T10:00:00", seq,
                      fields.pop("status", FileState.ACCEPTED),
                      fields.pop("reason", PLAN.reason), **fields)


def test_a_file_carries_the_judgement_of_its_new_bytes(cfg):
    for judged in (PLAN, REJECTED):
        assert verdict(cfg, judged, Known(False, True), None) == Verdict(judged.status,
                                                                         judged.reason)


def test_new_bytes_twice_in_one_run_the_second_is_a_copy(cfg):
    given = verdict(cfg, PLAN, Known(False, True, first_in_run="a.xlsx"), None)
    assert (given.status, given.code) == (FileState.IGNORED, Code.BERKAS_SAMA)
    assert "'a.xlsx'" in given.reason


@pytest.mark.parametrize("claim", [DISHUB, "9.99.99"])
def test_an_upload_holding_another_opds_template_is_rejected(cfg, claim):
    known = Known(True, False, this_path=record("unggah/x.xlsx", 3))  # before anything else
    given = verdict(cfg, PLAN, known, claim)
    assert (given.status, given.code) == (FileState.REJECTED, Code.UNGGAH_OPD_LAIN)
    assert given.reason == claim_refused(cfg, claim, DINKES).message
    assert verdict(cfg, PLAN, Known(False, True), DINKES) == Verdict(PLAN.status, PLAN.reason)


def test_an_upload_of_a_file_naming_no_opd_is_not_refused(cfg):
    nameless = Judged(SHA, FileState.REJECTED, "Bukan template.", None, None)
    assert verdict(cfg, nameless, Known(False, True), DISHUB).code is None


def test_the_same_path_again_keeps_its_record(cfg):
    own = record("a.xlsx", 1, status=FileState.IGNORED, reason="salinan", code=Code.BERKAS_SAMA)
    assert verdict(cfg, PLAN, Known(True, False, this_path=own), None) == \
        Verdict(FileState.IGNORED, "salinan", Code.BERKAS_SAMA)


def test_judged_again_a_copy_stays_a_copy_and_a_file_takes_the_new_judgement(cfg):
    copy = record("b.xlsx", 2, status=FileState.IGNORED, reason="salinan",
                  code=Code.BERKAS_SAMA_DITARIK)
    assert verdict(cfg, REJECTED, Known(True, True, this_path=copy), None).code is \
        Code.BERKAS_SAMA_DITARIK
    own = record("a.xlsx", 1, status=FileState.ACCEPTED)
    assert verdict(cfg, REJECTED, Known(True, True, this_path=own), None) == \
        Verdict(REJECTED.status, REJECTED.reason)


def test_judged_again_a_re_sent_file_keeps_its_line_while_accepted(cfg):
    first = record("a.xlsx", 1)
    own = record("a (1).xlsx", 5, note=Code.BERKAS_DIHITUNG_LAGI)
    known = Known(True, True, this_path=own, earlier=(first,))
    kept = verdict(cfg, PLAN, known, None)
    assert (kept.note, kept.code, kept.status) == (Code.BERKAS_DIHITUNG_LAGI, None,
                                                   FileState.ACCEPTED)
    assert kept.reason.startswith(PLAN.reason + " ") and "'a.xlsx'" in kept.reason
    assert verdict(cfg, REJECTED, known, None) == Verdict(REJECTED.status, REJECTED.reason)


def test_known_bytes_under_a_new_name_are_a_copy(cfg):
    earlier = (record("a.xlsx", 1), record("b.xlsx", 2))
    given = verdict(cfg, REJECTED, Known(True, earlier=earlier), None)
    assert (given.status, given.code) == (FileState.IGNORED, Code.BERKAS_SAMA)
    assert "'a.xlsx'" in given.reason  # the earliest holder


def test_a_copy_of_what_its_opd_counts_now_is_a_copy_of_that(cfg):
    counted = record("counted.xlsx", 4)
    known = Known(True, earlier=(record("a.xlsx", 1), counted), counted=counted,
                  earlier_in_inbox=True)
    given = verdict(cfg, PLAN, known, None)
    assert given.code is Code.BERKAS_SAMA and "'counted.xlsx'" in given.reason


def test_a_copy_of_withdrawn_bytes_stays_withdrawn(cfg):
    earlier = (record("a.xlsx", 1, withdrawn_at="2026-01-01T11:00:00"),)
    given = verdict(cfg, PLAN, Known(True, earlier=earlier, earlier_in_inbox=True), DINKES)
    assert (given.status, given.code) == (FileState.IGNORED, Code.BERKAS_SAMA_DITARIK)


@pytest.mark.parametrize(("in_inbox", "claim", "counts"), [
    (True, None, True),  # sent again beside the earlier file
    (False, None, False),  # moved or renamed inside the inbox
    (False, DINKES, True),  # uploaded again: always a new sending
])
def test_replaced_bytes_sent_again_count_again_with_a_line(cfg, in_inbox, claim, counts):
    newer = record("newer.xlsx", 3, sha="b" * 64)
    known = Known(True, earlier=(record("a.xlsx", 1),), counted=newer, earlier_in_inbox=in_inbox)
    given = verdict(cfg, PLAN, known, claim)
    if counts:
        assert (given.status, given.code, given.note) == (FileState.ACCEPTED, None,
                                                          Code.BERKAS_DIHITUNG_LAGI)
        assert given.reason.startswith(PLAN.reason) and "'a.xlsx'" in given.reason
    else:
        assert given.code is Code.BERKAS_SAMA


@pytest.mark.parametrize("judged", [
    REJECTED, Judged(SHA, FileState.ACCEPTED, "Diterima.", None, None),
    Judged(SHA, FileState.ACCEPTED, "Diterima.", DINKES, "lain")])
def test_only_an_accepted_plan_or_evaluation_may_count_again(cfg, judged):
    known = Known(True, earlier=(record("a.xlsx", 1),), earlier_in_inbox=True)
    assert verdict(cfg, judged, known, None).code is Code.BERKAS_SAMA
