"""Open a workbook in LibreOffice through its UNO bridge, as a participant would, and
type fixes into cells. Run by the system Python (which has `uno`, from Debian's
python3-uno), not the project's venv: tests/test_uno.py calls it in a subprocess.

Usage: python3 uno_client.py SOFFICE JOB.json
JOB: {"source": path, "target": path (.xlsx), "profile": folder,
      "look": [[sheet, cell], ...], "type": [[sheet, cell, text], ...]}
Prints JSON: {"looked": [{"sheet", "cell", "protected", "locked", "validation",
"input_message"}, ...], "typed": [[sheet, cell, string shown after typing], ...]}.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import time
import uuid
from pathlib import Path

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException

CONNECT_SECONDS = 90  # a first start with a fresh profile takes a while


def prop(name: str, value) -> PropertyValue:
    item = PropertyValue()
    item.Name, item.Value = name, value
    return item


def connect(pipe: str):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + CONNECT_SECONDS
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except NoConnectException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def main(soffice: str, job_path: str) -> None:
    job = json.loads(Path(job_path).read_text("utf-8"))
    pipe = f"masterplan_{uuid.uuid4().hex}"
    office = subprocess.Popen(
        [soffice, "--headless", "--invisible", "--nologo", "--norestore", "--nodefault",
         f"-env:UserInstallation={Path(job['profile']).as_uri()}",
         f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        context = connect(pipe)
        desktop = context.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", context)
        doc = desktop.loadComponentFromURL(Path(job["source"]).as_uri(), "_blank", 0,
                                           (prop("Hidden", True),))
        looked = []
        for sheet_name, ref in job["look"]:
            sheet = doc.Sheets.getByName(sheet_name)
            cell = sheet.getCellRangeByName(ref)
            validation = cell.Validation
            looked.append({"sheet": sheet_name, "cell": ref,
                           "protected": bool(sheet.isProtected()),
                           "locked": bool(cell.CellProtection.IsLocked),
                           "validation": validation.Type.value,
                           "input_message": validation.InputMessage})
        typed = []
        for sheet_name, ref, text in job["type"]:
            cell = doc.Sheets.getByName(sheet_name).getCellRangeByName(ref)
            cell.setFormula(text)  # what typing does: "90" becomes a number, text stays text
            typed.append([sheet_name, ref, cell.getString()])
        doc.storeToURL(Path(job["target"]).as_uri(),
                       (prop("FilterName", "Calc MS Excel 2007 XML"), prop("Overwrite", True)))
        doc.close(True)
        with contextlib.suppress(Exception):  # the bridge drops as the office quits
            desktop.terminate()
        print(json.dumps({"looked": looked, "typed": typed}))
    finally:
        try:
            office.wait(timeout=30)
        except subprocess.TimeoutExpired:
            office.kill()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
