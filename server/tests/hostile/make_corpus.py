#!/usr/bin/env python3
"""Generate a corpus of small hostile upload files for the import feature.

Usage: python3 make_corpus.py OUT_DIR

Each file is a valid-looking container, so the reader gets far enough to hit
the bomb. The output is deterministic.

far-cell.xlsx       has cells at A1 and XFD1048576 with a matching <dimension>, so a dense grid is 16384 x 1048576.
sst-count.xlsx      declares 100 000 000 000 shared strings but holds two, to test pre-allocation from count/uniqueCount.
huge-string.xlsx    holds one 160 MiB shared string (about 160 KB deflated) in A2, below a header row.
wide-span.xlsx      has cells at A1 and GR60000, inside the column limit but spanning a 200 x 60000 grid.
repeated.ods        has one row repeated 400 times holding one cell repeated 16384 times (6.5 million cells).
repeated-rows.ods   has a row of three valued cells repeated 1048576 times.
xml-bomb.xlsx       has a "billion laughs" DOCTYPE whose top entity is used in an inline string cell.
deep-nesting.xlsx   has 100 000 nested unknown elements inside sheetData.
zip-bomb.xlsx       has a sheet1.xml of 1 GiB of whitespace inside sheetData (about 1 MB deflated).
lying-sizes.xlsx    is a small valid xlsx whose central directory claims sheet1.xml is 4 GiB uncompressed.
truncated.xlsx      is the first half of a valid xlsx.
not-a-zip.xlsx      is a zip local-header magic followed by pseudo-random bytes.
quoted-newlines.csv has one quoted field of 2 MB of "a\\n" lines below a header.
empty-cells.csv     has 3000 lines of 100 empty cells each (300 000 bytes of separators).
ole-junk.xls        is an OLE header that declares an enormous FAT and DIFAT, followed by junk sectors.
many-sheets.xlsx    has a workbook naming 10 000 sheets that all point to the same part.
repeated-string.xlsx has one 9 000-character shared string in 20 000 cells: 180 MB of text once read.
valid.xlsx          is a small valid workbook used as a seed for mutation tests.
valid.ods           is the same table as an ODS spreadsheet, used as a seed for mutation tests.
valid.csv           is the same table as a semicolon CSV, used as a seed for mutation tests.
"""
import io
import os
import struct
import sys
import zipfile

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
ODS_MIME = "application/vnd.oasis.opendocument.spreadsheet"
MIB = 1 << 20

HEADER = ["Ragione sociale", "Partita IVA", "Città"]
ROWS = [
    ["Rossi Costruzioni S.r.l.", "01234567897", "Milano"],
    ["Bianchi & Figli S.p.A.", "12345678903", "Torino"],
    ["Trattoria Da Mario S.n.c.", "09876543217", "Napoli"],
]


class Rng:
    """Small xorshift32 generator with a constant seed, so output is deterministic."""

    def __init__(self, seed=0x2545F491):
        self.s = seed

    def bytes(self, n):
        out = bytearray()
        for _ in range(n):
            s = self.s
            s ^= (s << 13) & 0xFFFFFFFF
            s ^= s >> 17
            s ^= (s << 5) & 0xFFFFFFFF
            self.s = s
            out.append(s & 0xFF)
        return bytes(out)


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def num(ref, v):
    return '<c r="%s"><v>%s</v></c>' % (ref, v)


def sst_cell(ref, idx):
    return '<c r="%s" t="s"><v>%d</v></c>' % (ref, idx)


def inline(ref, text):
    return '<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, text)


def row(r, cells):
    return '<row r="%d">%s</row>' % (r, "".join(cells))


def sheet_xml(rows, dim=None, doctype="", extra=""):
    d = '<dimension ref="%s"/>' % dim if dim else ""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n%s<worksheet xmlns="%s" xmlns:r="%s">%s'
            "<sheetData>%s%s</sheetData></worksheet>" % (doctype, MAIN_NS, REL_NS, d, "".join(rows), extra))


def sst_xml(strings, count=None):
    n = str(len(strings)) if count is None else count
    si = "".join("<si><t>%s</t></si>" % esc(s) for s in strings)
    return XML_DECL + '<sst xmlns="%s" count="%s" uniqueCount="%s">%s</sst>' % (MAIN_NS, n, n, si)


def workbook_xml(n_sheets=1):
    sheets = "".join('<sheet name="Foglio%d" sheetId="%d" r:id="rId1"/>' % (i, i) for i in range(1, n_sheets + 1))
    return XML_DECL + '<workbook xmlns="%s" xmlns:r="%s"><sheets>%s</sheets></workbook>' % (MAIN_NS, REL_NS, sheets)


def static_parts(with_sst, n_sheets=1):
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml."
    over = ('<Override PartName="/xl/workbook.xml" ContentType="%ssheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="%sworksheet+xml"/>' % (ct, ct))
    rels = '<Relationship Id="rId1" Type="%s/worksheet" Target="worksheets/sheet1.xml"/>' % REL_NS
    if with_sst:
        over += '<Override PartName="/xl/sharedStrings.xml" ContentType="%ssharedStrings+xml"/>' % ct
        rels += '<Relationship Id="rId2" Type="%s/sharedStrings" Target="sharedStrings.xml"/>' % REL_NS
    return [
        ("[Content_Types].xml", XML_DECL + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
         '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
         '<Default Extension="xml" ContentType="application/xml"/>%s</Types>' % over),
        ("_rels/.rels", XML_DECL + '<Relationships xmlns="%s"><Relationship Id="rId1" Type="%s/officeDocument" '
         'Target="xl/workbook.xml"/></Relationships>' % (PKG_REL, REL_NS)),
        ("xl/workbook.xml", workbook_xml(n_sheets)),
        ("xl/_rels/workbook.xml.rels", XML_DECL + '<Relationships xmlns="%s">%s</Relationships>' % (PKG_REL, rels)),
    ]


def new_zip(target):
    return zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9)


def put(z, name, data, method=zipfile.ZIP_DEFLATED):
    """Add one entry with a fixed timestamp, so the output is byte-for-byte reproducible."""
    z.writestr(zipfile.ZipInfo(name), data, compress_type=method, compresslevel=9)


def xlsx_bytes(sheet, sst=None, n_sheets=1):
    buf = io.BytesIO()
    with new_zip(buf) as z:
        for name, data in static_parts(sst is not None, n_sheets):
            put(z, name, data)
        put(z, "xl/worksheets/sheet1.xml", sheet)
        if sst is not None:
            put(z, "xl/sharedStrings.xml", sst)
    return buf.getvalue()


def xlsx_streamed(path, big_name, head, fill, fill_size, tail, sheet=None):
    """Write an xlsx whose part big_name is head + fill_size bytes of fill + tail, streamed in 1 MiB chunks."""
    chunk = fill * (MIB // len(fill))
    with new_zip(path) as z:
        for name, data in static_parts(big_name.endswith("sharedStrings.xml")):
            put(z, name, data)
        if sheet is not None:
            put(z, "xl/worksheets/sheet1.xml", sheet)
        with z.open(big_name, "w", force_zip64=True) as f:
            f.write(head.encode())
            left = fill_size
            while left > 0:
                f.write(chunk[:left])
                left -= len(chunk)
            f.write(tail.encode())


def ods_bytes(table_body):
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')
    content = ('<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content %s office:version="1.2">'
               '<office:body><office:spreadsheet><table:table table:name="Foglio1">%s</table:table>'
               "</office:spreadsheet></office:body></office:document-content>" % (ns, table_body))
    manifest = ('<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" manifest:version="1.2" manifest:media-type="%s"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>" % ODS_MIME)
    buf = io.BytesIO()
    with new_zip(buf) as z:
        put(z, "mimetype", ODS_MIME, zipfile.ZIP_STORED)
        put(z, "META-INF/manifest.xml", manifest)
        put(z, "content.xml", content)
    return buf.getvalue()


def ods_cell(text, repeat=None):
    rep = ' table:number-columns-repeated="%d"' % repeat if repeat else ""
    return '<table:table-cell%s office:value-type="string"><text:p>%s</text:p></table:table-cell>' % (rep, esc(text))


def ods_float(v):
    return '<table:table-cell office:value-type="float" office:value="%s"><text:p>%s</text:p></table:table-cell>' % (v, v)


def ods_row(cells, repeat=None):
    rep = ' table:number-rows-repeated="%d"' % repeat if repeat else ""
    return "<table:table-row%s>%s</table:table-row>" % (rep, "".join(cells))


def col(n):
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def valid_xlsx():
    strings = HEADER + [v for r in ROWS for v in r]
    rows = [row(i + 1, [sst_cell("%s%d" % (col(j + 1), i + 1), i * 3 + j) for j in range(3)]) for i in range(4)]
    return xlsx_bytes(sheet_xml(rows, dim="A1:C4"), sst_xml(strings))


def patch_cd_size(data, name, size):
    """Set the uncompressed size of `name` in the central directory to `size`."""
    data = bytearray(data)
    pos = data.find(b"PK\x01\x02")
    while pos >= 0:
        n, m, k = struct.unpack_from("<HHH", data, pos + 28)
        if data[pos + 46:pos + 46 + n] == name.encode():
            struct.pack_into("<I", data, pos + 24, size)
            return bytes(data)
        pos = data.find(b"PK\x01\x02", pos + 46 + n + m + k)
    raise ValueError("entry not found: " + name)


def ole_junk():
    rng = Rng(0xC0FFEE)
    head = struct.pack("<8s16sHHHHH6sIIIIIIIII", bytes.fromhex("D0CF11E0A1B11AE1"), bytes(16), 0x3E, 3, 0xFFFE,
                       9, 6, bytes(6), 0, 0x7FFFFFFF, 1, 0, 0x1000, 2, 0x3FFFFFFF, 3, 0x3FFFFFFF)
    head += struct.pack("<109I", *(i % 8 for i in range(109)))
    return head + rng.bytes(8 * 512)


def build(out):
    files = {}
    w = lambda name, data: files.__setitem__(name, data.encode() if isinstance(data, str) else data)
    two = [row(1, [num("A1", 1)]), row(1048576, [num("XFD1048576", 2)])]
    w("far-cell.xlsx", xlsx_bytes(sheet_xml(two, dim="A1:XFD1048576")))
    rows = [row(1, [sst_cell("A1", 0), sst_cell("B1", 1)]), row(2, [sst_cell("A2", 1), sst_cell("B2", 0)])]
    w("sst-count.xlsx", xlsx_bytes(sheet_xml(rows, dim="A1:B2"), sst_xml(["Nome", "Email"], "100000000000")))
    # A 9 000-character shared string in 20 columns of 1 000 rows: 180 MB of text once read, the
    # cells each within the cell limit, the file a few KB.
    cols = [col(c) for c in range(1, 21)]
    spread = [row(1, [sst_cell("%s1" % c, 0) for c in cols])] + [
        row(r, [sst_cell("%s%d" % (c, r), 1) for c in cols]) for r in range(2, 1002)]
    w("repeated-string.xlsx", xlsx_bytes(sheet_xml(spread, dim="A1:T1001"), sst_xml(["Nome", "x" * 9000])))
    w("wide-span.xlsx", xlsx_bytes(sheet_xml([row(1, [num("A1", 1)]), row(60000, [num("GR60000", 2)])],
                                             dim="A1:GR60000")))
    w("repeated.ods", ods_bytes(ods_row([ods_cell("x", 16384)], 400)))
    w("repeated-rows.ods", ods_bytes(ods_row([ods_cell(h) for h in HEADER]) +
                                     ods_row([ods_float(1), ods_float(2), ods_float(3)], 1048576)))
    ents = '<!ENTITY lol0 "lol">' + "".join('<!ENTITY lol%d "%s">' % (i, ("&lol%d;" % (i - 1)) * 10)
                                              for i in range(1, 10))
    w("xml-bomb.xlsx", xlsx_bytes(sheet_xml([row(1, [inline("A1", "&lol9;")])],
                                            doctype="<!DOCTYPE worksheet [%s]>\n" % ents)))
    deep = "<x>" * 100000 + "</x>" * 100000
    w("deep-nesting.xlsx", xlsx_bytes(sheet_xml([row(1, [inline("A1", "Nome")])], extra=deep)))
    many_rows = [row(i + 1, [num("A%d" % (i + 1), i)]) for i in range(3)]
    w("lying-sizes.xlsx", patch_cd_size(xlsx_bytes(sheet_xml(many_rows, dim="A1:A3")),
                                        "xl/worksheets/sheet1.xml", 0xFFFFFFFE))
    valid = valid_xlsx()
    w("truncated.xlsx", valid[:len(valid) // 2])
    w("not-a-zip.xlsx", b"PK\x03\x04" + Rng().bytes(4096))
    w("quoted-newlines.csv", 'Nome;Email\n"' + "a\n" * MIB + '";mario.rossi@example.com\n')
    w("empty-cells.csv", (";" * 99 + "\n") * 3000)
    w("ole-junk.xls", ole_junk())
    w("many-sheets.xlsx", xlsx_bytes(sheet_xml([row(1, [num("A1", 1)])], dim="A1"), n_sheets=10000))
    w("valid.xlsx", valid)
    table = [HEADER] + ROWS
    w("valid.ods", ods_bytes("".join(ods_row([ods_cell(v) for v in r]) for r in table)))
    w("valid.csv", "".join(";".join(r) + "\n" for r in table))
    for name, data in files.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)

    # The two big parts are streamed straight into the zip file on disk.
    xlsx_streamed(os.path.join(out, "huge-string.xlsx"), "xl/sharedStrings.xml",
                  XML_DECL + '<sst xmlns="%s" count="3" uniqueCount="3"><si><t>Nome</t></si><si><t>Email</t></si>'
                  "<si><t>" % MAIN_NS, b"A", 160 * MIB, "</t></si></sst>",
                  sheet=sheet_xml([row(1, [sst_cell("A1", 0), sst_cell("B1", 1)]), row(2, [sst_cell("A2", 2)])],
                                  dim="A1:B2"))
    head = sheet_xml([row(1, [inline("A1", "Nome")])]).split("</sheetData>")[0]
    xlsx_streamed(os.path.join(out, "zip-bomb.xlsx"), "xl/worksheets/sheet1.xml", head, b" ", 1024 * MIB,
                  row(2, [inline("A2", "Mario")]) + "</sheetData></worksheet>")
    return sorted(list(files) + ["huge-string.xlsx", "zip-bomb.xlsx"])


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make_corpus.py OUT_DIR")
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name in build(out):
        print(name, os.path.getsize(os.path.join(out, name)))


if __name__ == "__main__":
    main()
