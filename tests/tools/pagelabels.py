#!/usr/bin/env python3
"""Prints the page label of every page of a PDF that zpgen wrote, one a
line: the catalog's /PageLabels number tree (/Nums) read as PDF 32000-1
12.4.2 says, for the N pages given.  zpgen's writer keeps the catalog
uncompressed and the tree flat (a direct /Nums array of direct
dictionaries), which is all this reads; anything else is an error.

usage: pagelabels.py FILE.pdf PAGES
"""
import re
import sys


def roman(n, upper):
    vals = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"),
            (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"),
            (5, "v"), (4, "iv"), (1, "i")]
    out = ""
    for v, s in vals:
        while n >= v:
            out += s
            n -= v
    return out.upper() if upper else out


def string(tok):
    if tok.startswith("<"):
        b = bytes.fromhex(tok[1:-1])
        if b.startswith(b"\xfe\xff"):
            return b[2:].decode("utf-16-be")
        return b.decode("latin-1")
    return tok[1:-1]


def main():
    data = open(sys.argv[1], "rb").read().decode("latin-1")
    pages = int(sys.argv[2])
    m = re.search(r"/PageLabels\s*<<\s*/Nums\s*\[(.*?)\]\s*>>", data, re.S)
    if not m:
        sys.exit("no /PageLabels")
    ranges = []
    for start, body in re.findall(r"(\d+)\s*<<(.*?)>>", m.group(1), re.S):
        s = re.search(r"/S\s*/(\w)", body)
        st = re.search(r"/St\s+(\d+)", body)
        p = re.search(r"/P\s*(<[0-9A-Fa-f]*>|\([^)]*\))", body)
        ranges.append((int(start), s.group(1) if s else None,
                       int(st.group(1)) if st else 1,
                       string(p.group(1)) if p else ""))
    if not ranges or ranges[0][0] != 0:
        sys.exit("the first range does not start at page 0")
    for i in range(pages):
        r = [x for x in ranges if x[0] <= i][-1]
        n = r[2] + i - r[0]
        num = {"D": str(n), "r": roman(n, False), "R": roman(n, True)}.get(
            r[1], "")
        print(r[3] + num)


main()
