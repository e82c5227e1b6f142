#!/usr/bin/env python3
"""Writes a small programme as an XLSX file (arguments: the path, optionally another title
for the second session) for the browser test of the
XLSX import: a real Office Open XML workbook made with the standard library at test time, so
no spreadsheet is committed. German headers as the importer reads them, text cells inline."""
import sys
import zipfile
from xml.sax.saxutils import escape

ROWS = [
    ["ID", "Titel", "Datum", "Beginn", "Ende", "Station"],
    ["tabelle-eroeffnung", "Eröffnung aus der Tabelle", "04.03.2027", "09:00", "09:20", "Bühne"],
    ["tabelle-ozg", "OZG-Umsetzung aus der Tabelle", "04.03.2027", "10:00", "10:45", "Station 3"],
]


def column(index):
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[index]


def sheet():
    rows = []
    for r, values in enumerate(ROWS, start=1):
        cells = "".join(
            f'<c r="{column(c)}{r}" t="inlineStr"><is><t>{escape(v)}</t></is></c>'
            for c, v in enumerate(values)
        )
        rows.append(f'<row r="{r}">{cells}</row>')
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<sheetData>{"".join(rows)}</sheetData></worksheet>'
    )


PARTS = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>",
    "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>",
    "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Programm" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>",
}

if len(sys.argv) > 2:
    ROWS[2][1] = sys.argv[2]

with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as book:
    for name, text in PARTS.items():
        book.writestr(name, text)
    book.writestr("xl/worksheets/sheet1.xml", sheet())
