"""The upload page from another machine of the network: a participant in their own
network namespace (a host with its own address, joined to the operator's laptop by a
virtual cable) reaches `masterplan serve` at the address it prints, hands in a file,
reads the problems, downloads and fixes the marked workbook and hands it in again until
`diterima`, without the operator touching anything. Needs root and iproute2 (as CI has);
skipped otherwise."""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from plans import DINKES, good_row, make_plan
from serving import Server, workspace_with

from pipeline import layout
from pipeline.read.references import load_config
from pipeline.store.access import shown

pytestmark = pytest.mark.slow
HERE = Path(__file__).resolve().parent


def _ip(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["ip", *args], capture_output=True, text=True, timeout=10)


@pytest.fixture
def participant_host():
    """A network namespace at 10.<n>.<m>.2, the laptop's side at .1; yields both."""
    if shutil.which("ip") is None or os.geteuid() != 0:
        pytest.skip("needs root and iproute2 to make a second host")
    tag = secrets.token_hex(3)
    ns, laptop_side, host_side = f"peserta{tag}", f"vo{tag}", f"vp{tag}"
    a, b = 64 + secrets.randbelow(60), secrets.randbelow(250)
    laptop, host = f"10.{a}.{b}.1", f"10.{a}.{b}.2"
    if _ip("netns", "add", ns).returncode != 0:
        pytest.skip("network namespaces are not available here")
    try:
        for args in (["link", "add", laptop_side, "type", "veth", "peer", "name", host_side],
                     ["link", "set", host_side, "netns", ns],
                     ["addr", "add", f"{laptop}/24", "dev", laptop_side],
                     ["link", "set", laptop_side, "up"],
                     ["netns", "exec", ns, "ip", "addr", "add", f"{host}/24", "dev", host_side],
                     ["netns", "exec", ns, "ip", "link", "set", host_side, "up"],
                     ["netns", "exec", ns, "ip", "link", "set", "lo", "up"]):
            done = _ip(*args)
            if done.returncode != 0:
                pytest.skip(f"cannot make the second host: ip {' '.join(args)}: {done.stderr}")
        yield ns, laptop
    finally:
        _ip("link", "del", laptop_side)
        _ip("netns", "del", ns)


def test_a_participant_on_another_host_hands_in_until_accepted(participant_host, tmp_path):
    ns, laptop = participant_host
    ws = workspace_with(tmp_path / "ws")
    cfg = load_config(ws)
    sent = make_plan(cfg, tmp_path / "templates", tmp_path / "Rencana Dinkes.xlsx", DINKES,
                     [good_row(cfg, dimensi="Smart Govrnance",
                               **{f"anggaran_{cfg.first_year}": "seratus juta"})])
    server = Server(ws, host="0.0.0.0")
    try:
        printed = "".join(server.lines)
        urls = re.findall(r"http://[\d.]+:\d+/", printed)
        url = next(u for u in urls if u.startswith(f"http://{laptop}:"))  # printed for the hall
        workdir = tmp_path / "peserta"
        workdir.mkdir()
        done = subprocess.run(
            ["ip", "netns", "exec", ns, sys.executable, str(HERE / "participant_client.py"),
             url, shown(server.codes()[DINKES]), str(sent), str(workdir)],
            capture_output=True, text=True, timeout=120)
    finally:
        server.stop()
    assert done.returncode == 0, done.stderr
    steps = json.loads(done.stdout)
    assert steps["page"] == 200
    assert steps["first"]["status"] == "ditolak" and len(steps["first"]["masalah"]) >= 2
    assert steps["download_without_code"] == 403 and steps["download"] == 200
    assert steps["second"]["status"] == "diterima", steps["second"]
    stored = sorted(p.name for p in (ws.inbox / layout.UPLOAD_DIR).iterdir())
    assert len(stored) == 2
