"""A participant on another machine of the hall's network (run inside a network namespace
by tests/test_serve_network.py): hand in a file, read every problem, download the marked
workbook, fix it there and hand it in again until it reads `diterima`.

    python participant_client.py URL CODE FILE WORKDIR

Prints one JSON object: what each step answered.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import httpx
import openpyxl

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def hand_in(client: httpx.Client, url: str, code: str, path: Path) -> dict:
    response = client.post(url + "unggah", data={"kode_akses": code},
                           files={"berkas": (path.name, path.read_bytes(), XLSX)},
                           headers={"Accept": "application/json"})
    return {"http": response.status_code, **response.json()}


def main() -> None:
    url, code, file, workdir = sys.argv[1], sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4])
    steps = {}
    with httpx.Client(timeout=60) as client:
        steps["page"] = client.get(url).status_code
        first = hand_in(client, url, code, file)
        steps["first"] = first
        steps["download_without_code"] = client.post(first["umpan_balik"]).status_code
        feedback = client.post(first["umpan_balik"], data={"kode_akses": code})
        steps["download"] = feedback.status_code
        marked = workdir / "umpan_balik.xlsx"
        marked.write_bytes(feedback.content)
        book = openpyxl.load_workbook(marked)
        for problem in first["masalah"]:  # the participant types what each message asks
            if problem["kode"] == "PILIHAN_TIDAK_DIKENAL":
                book[problem["sheet"]][problem["sel"]] = "Smart Governance"
            elif problem["kode"] == "UANG_TIDAK_TERBACA":
                book[problem["sheet"]][problem["sel"]] = 100_000_000
        fixed = workdir / "perbaikan.xlsx"
        book.save(fixed)
        steps["second"] = hand_in(client, url, code, fixed)
    print(json.dumps(steps))


if __name__ == "__main__":
    main()
