#!/usr/bin/python3
"""Writes the 番禺 自评表 as an .xlsx workbook, as a bureau keeps it, and the
mapping that imports it back to the JSON a template reads:

    data/panyu-agri-2021-table.xlsx   the workbook (sheet 自评表)
    data/panyu-import.json            the mapping for zpgen import

from data/panyu-agri-2021-table.json, so that

    zpgen import data/panyu-agri-2021-table.xlsx --mapping data/panyu-import.json -o x.json

gives data that renders the same PDF.  With --bad DIR it also writes two
broken workbooks for the tests: DIR/bad-merge.xlsx (a 一级指标's merged
cell a row short, so that its last 二级指标's merged cell runs past it) and DIR/number-as-text.xlsx (a
分值 typed as text).  Needs Debian's python3-openpyxl.
"""
import json
import os
import sys

import openpyxl
from openpyxl.utils import get_column_letter

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "panyu-agri-2021-table.json")


def build(data, damage=None):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "自评表"
    values = {}  # JSON path -> "CELL TYPE"

    def put(ref, value, path, typ=None):
        ws[ref] = value
        if typ is None:
            typ = "number" if isinstance(value, (int, float)) and not isinstance(value, bool) else "string"
        values[path] = ref + ("" if typ == "string" else " " + typ)

    m = data["meta"]
    put("A1", m["attachment"], "meta.attachment")
    put("A2", m["title"], "meta.title")
    ws.merge_cells("A2:J2")
    put("A3", m["year_label"], "meta.year_label")
    ws.merge_cells("A3:J3")
    put("A4", m["year"], "meta.year")
    put("B4", m["department"], "meta.department")
    put("C4", m["department_label"], "meta.department_label")
    put("D4", m["units"], "meta.units")
    put("E4", m["section"], "meta.section")
    g = data["goal"]
    for i, k in enumerate(["target", "achieved", "reasons"]):
        r = 5 + i
        put("A%d" % r, g["labels"][k], "goal.labels." + k)
        put("B%d" % r, g[k], "goal." + k)
        ws.merge_cells("B%d:J%d" % (r, r))
    b = data["budget"]
    put("A8", b["label"], "budget.label")
    put("B8", b["unit"], "budget.unit")
    for i, k in enumerate(["budget", "executed", "rate"]):
        put("%s9" % "BCD"[i], b["row_labels"][k], "budget.row_labels." + k)
    r = 10
    for gi, grp in enumerate(["by_source", "by_structure", "by_level"]):
        put("%s9" % "EFG"[gi], b["group_labels"][grp], "budget.group_labels." + grp)
        for j, x in enumerate(b[grp]):
            p = "budget.%s[%d]." % (grp, j)
            put("A%d" % r, x["name"], p + "name")
            for c, k in zip("BCD", ["budget", "executed", "rate"]):
                put("%s%d" % (c, r), x[k], p + k, "number?")
            r += 1
    # the two header rows of the scoring table
    for i, name in enumerate(["管理效能", "履职效能"]):
        for j, label in enumerate(data["columns"][name]):
            put("%s%d" % (get_column_letter(j + 1), 17 + i), label, "columns.%s[%d]" % (name, j))
    # the indicators: 一级 in A:B, 二级 in C:D (merged over their rows),
    # 三级 in E:J, one row each
    tables = []
    r = 20
    for a in data["indicators"]:
        first = r
        leaf_keys = [k for k in a["children"][0]["children"][0] if k not in ("name", "weight", "score", "basis")]
        for bb in a["children"]:
            bfirst = r
            for c in bb["children"]:
                ws["E%d" % r] = c["name"]
                ws["F%d" % r] = c["weight"]
                ws["G%d" % r] = c[leaf_keys[0]]
                ws["H%d" % r] = c[leaf_keys[1]]
                ws["I%d" % r] = c["score"]
                ws["J%d" % r] = c["basis"]
                r += 1
            ws["C%d" % bfirst] = bb["name"]
            ws["D%d" % bfirst] = bb["weight"]
            if r - 1 > bfirst:
                ws.merge_cells("C%d:C%d" % (bfirst, r - 1))
                ws.merge_cells("D%d:D%d" % (bfirst, r - 1))
        ws["A%d" % first] = a["name"]
        ws["B%d" % first] = a["weight"]
        if damage == "text" and a is data["indicators"][0]:
            ws["D%d" % first] = str(a["children"][0]["weight"])  # a 分值 typed as text
        if r - 1 > first:
            # damaged: 管理效能's merged 一级指标 a row short, so that its last
            # 二级指标's merged cell runs past it
            end = r - 2 if damage == "merge" and a is data["indicators"][0] else r - 1
            ws.merge_cells("A%d:A%d" % (first, end))
            ws.merge_cells("B%d:B%d" % (first, end))
        tables.append({
            "path": "indicators",
            "rows": "%d:%d" % (first, r - 1),
            "levels": [
                {"group": "A", "fields": {"name": "A", "weight": "B number"}},
                {"group": "C", "fields": {"name": "C", "weight": "D number"}},
                {"fields": {"name": "E", "weight": "F number", leaf_keys[0]: "G", leaf_keys[1]: "H",
                            "score": "I number", "basis": "J string?"}},
            ]})
    r += 1
    t = data["total"]
    put("A%d" % r, t["label"], "total.label")
    put("B%d" % r, t["weight"], "total.weight")
    put("I%d" % r, t["score"], "total.score")
    put("A%d" % (r + 1), data["note"], "note")
    ws.column_dimensions["E"].width = 30
    return wb, {"sheet": "自评表", "values": values, "tables": tables}


def main():
    data = json.load(open(SRC, encoding="utf-8"))
    wb, mapping = build(data)
    wb.save(os.path.join(HERE, "panyu-agri-2021-table.xlsx"))
    with open(os.path.join(HERE, "panyu-import.json"), "w", encoding="utf-8") as f:
        json.dump(mapping, f, ensure_ascii=False, indent=2)
        f.write("\n")
    if len(sys.argv) == 3 and sys.argv[1] == "--bad":
        build(data, "merge")[0].save(os.path.join(sys.argv[2], "bad-merge.xlsx"))
        build(data, "text")[0].save(os.path.join(sys.argv[2], "number-as-text.xlsx"))


if __name__ == "__main__":
    main()
