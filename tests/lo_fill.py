"""Run by the system Python (/usr/bin/python3, which has Debian's python3-uno), never by
the project's virtual environment: one job for a running headless LibreOffice, read as
JSON from the command line.

    /usr/bin/python3 tests/lo_fill.py PIPE_NAME '{"action": "fill", ...}'

Actions:
  fill: {"src": path, "out": path, "cells": [[sheet, "A2", text], ...]} opens the workbook,
        selects each cell and enters its text with the .uno:EnterString command, the way
        the input line takes what a person types: the cell's number format decides
        whether 012345678 stays text or becomes the number 12345678. (XCell.setFormula
        does not: it makes a number even in a cell formatted as text.) Saves as .xlsx.
  csv:  {"src": path, "out": path, "quoted_as_text": bool} opens a CSV file with the
        "Quoted field as text" import option on or off and saves it as CSV again.
Tests call it through tests/libreoffice.py.
"""

import json
import os
import sys
import time

import uno
from com.sun.star.beans import PropertyValue

CONNECT_SECONDS = 90


def props(**values):
    out = []
    for name, value in values.items():
        prop = PropertyValue()
        prop.Name = name
        prop.Value = value
        out.append(prop)
    return tuple(out)


def connect(pipe):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    deadline = time.monotonic() + CONNECT_SECONDS
    while True:
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except Exception:
            if time.monotonic() > deadline:
                raise SystemExit(f"LibreOffice did not answer on pipe {pipe}") from None
            time.sleep(0.2)
    manager = context.ServiceManager
    desktop = manager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
    dispatcher = manager.createInstanceWithContext("com.sun.star.frame.DispatchHelper", context)
    return desktop, dispatcher


def url(path):
    return uno.systemPathToFileUrl(path)


# CSV filter option tokens (LibreOffice help, "CSV Filter Options"): 1 field separator 44
# (,), 2 text delimiter 34 ("), 3 character set 76 (UTF-8), 4 first line 1, 5 column
# formats (none: every column Standard), 6 language 0 (the user interface's), 7 on import
# "Quoted field as text", on export "Quote all text cells", 8 on import "Detect special
# numbers", on export "Save cell contents as shown" is token 9.
def csv_import_options(quoted_as_text):
    return f"44,34,76,1,,0,{'true' if quoted_as_text else 'false'},false"


CSV_EXPORT_OPTIONS = "44,34,76,1,,0,true,false,false"


def close(doc):
    """Close a document; LibreOffice dying while it closes one already stored (seen now and
    then under load: "Binary URP bridge disposed") loses nothing, and the harness starts a
    fresh LibreOffice for the next job."""
    try:
        doc.close(True)
    except Exception as exc:
        if "DisposedException" not in repr(type(exc)) and "DisposedException" not in repr(exc):
            raise


def fill(desktop, dispatcher, job):
    doc = desktop.loadComponentFromURL(url(job["src"]), "_blank", 0, props(Hidden=True))
    try:
        controller = doc.getCurrentController()
        frame = controller.getFrame()
        for sheet_name, address, text in job["cells"]:
            sheet = doc.Sheets.getByName(sheet_name)
            controller.setActiveSheet(sheet)
            controller.select(sheet.getCellRangeByName(address))
            dispatcher.executeDispatch(frame, ".uno:EnterString", "", 0, props(StringName=text))
        doc.storeToURL(url(job["out"]), props(FilterName="Calc Office Open XML", Overwrite=True))
    finally:
        close(doc)


def resave_csv(desktop, dispatcher, job):
    options = csv_import_options(job["quoted_as_text"])
    doc = desktop.loadComponentFromURL(
        url(job["src"]),
        "_blank",
        0,
        props(Hidden=True, FilterName="Text - txt - csv (StarCalc)", FilterOptions=options),
    )
    try:
        doc.storeToURL(
            url(job["out"]),
            props(
                FilterName="Text - txt - csv (StarCalc)",
                FilterOptions=CSV_EXPORT_OPTIONS,
                Overwrite=True,
            ),
        )
    finally:
        close(doc)


# Printed once the job's file is stored and its document closed; the harness takes a job
# that printed it as done whatever happens after.
DONE = "chainproof-lo-job-done"


def main():
    pipe, raw = sys.argv[1], sys.argv[2]
    job = json.loads(raw)
    desktop, dispatcher = connect(pipe)
    {"fill": fill, "csv": resave_csv}[job["action"]](desktop, dispatcher, job)
    sys.stdout.write(DONE + "\n")
    sys.stdout.flush()
    sys.stderr.flush()
    # pyuno can crash (SIGSEGV) while the interpreter tears down its objects and the bridge
    # at exit, after the work is done (seen in CI: exit -11 with nothing on stderr); the
    # job leaves without that teardown.
    os._exit(0)


if __name__ == "__main__":
    main()
