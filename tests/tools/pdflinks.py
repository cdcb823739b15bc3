#!/usr/bin/env python3
"""pdflinks.py PDF — the link annotations of a PDF, one a line, in page
order: "PAGE uri URL" or "PAGE dest PAGE" (pages 1-based).  A small reader
for the PDFs zpgen writes (libharu: objects uncompressed, no object
streams); not a general PDF parser."""
import re
import sys

data = open(sys.argv[1], "rb").read()
objs = {int(m.group(1)): m.group(2)
        for m in re.finditer(rb"(\d+) 0 obj(.*?)endobj", data, re.S)}


def refs(s):
    return [int(x) for x in re.findall(rb"(\d+) 0 R", s)]


def pages(n, out):
    o = objs[n]
    if re.search(rb"/Type\s*/Pages", o):
        kids = re.search(rb"/Kids\s*\[([^\]]*)\]", o).group(1)
        for k in refs(kids):
            pages(k, out)
    else:
        out.append(n)


def unescape(s):
    return re.sub(rb"\\([0-7]{1,3})", lambda m: bytes([int(m.group(1), 8)]),
                  s).decode("latin-1")


catalog = next(o for o in objs.values() if re.search(rb"/Type\s*/Catalog", o))
root = int(re.search(rb"/Pages\s+(\d+) 0 R", catalog).group(1))
order = []
pages(root, order)
index = {n: i + 1 for i, n in enumerate(order)}
for n in order:
    m = re.search(rb"/Annots\s*\[([^\]]*)\]", objs[n])
    if not m:
        continue
    for a in refs(m.group(1)):
        o = objs[a]
        if not re.search(rb"/Subtype\s*/Link", o):
            continue
        u = re.search(rb"/URI\s*\(((?:[^\\)]|\\.)*)\)", o)
        if u:
            print(index[n], "uri", unescape(u.group(1)))
            continue
        d = re.search(rb"/Dest\s+(\d+) 0 R", o)
        arr = objs[int(d.group(1))] if d else re.search(rb"/Dest\s*(\[[^\]]*\])", o).group(1)
        print(index[n], "dest", index[refs(arr)[0]])
