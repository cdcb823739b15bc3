#!/usr/bin/env python3
"""Builds a benchmark corpus of N reports from the samples in data/.

usage: bench/corpus.py N OUTDIR

Each report gets its own department name (district x unit) and its own
figures: every budget amount is multiplied by a whole factor, so that the
sums and the stated rates still hold (`zpgen check` passes on every file).
Reports (the two 自评报告 samples) read two data files: their own figures,
and the "measures" chapter shared by every report of the same district
(OUTDIR/shared/DISTRICT.json); forms (the 自评表 sample) read their own file.
Writes OUTDIR/manifest.jsonl (paths relative to OUTDIR) and the data files.
"""
import copy
import json
import os
import sys

DISTRICTS = ["越秀区", "海珠区", "荔湾区", "天河区", "白云区", "黄埔区",
             "番禺区", "花都区", "南沙区", "从化区", "增城区"]
UNITS = ["农业农村局", "教育局", "卫生健康局", "民政局", "司法局", "财政局",
         "交通运输局", "水务局", "文化广电旅游体育局", "人力资源和社会保障局",
         "住房和城乡建设局", "市场监督管理局", "生态环境分局", "统计局",
         "城市管理和综合执法局", "科技工业商务和信息化局", "退役军人事务局",
         "应急管理局", "医疗保障局", "政务服务数据管理局", "林业和园林局",
         "规划和自然资源分局", "档案馆", "图书馆", "文化馆"]
SAMPLES = [("liwan-agri-2023", "dept-self-eval-report"),
           ("lihu-2023", "dept-self-eval-report"),
           ("panyu-agri-2021-table", "dept-self-eval-table")]
MONEY = {"total", "executed", "carryover", "amount", "budget"}


def scale(node, k, in_budget=False):
    """Multiplies the money of every budget object by k (exact in 0.01)."""
    if isinstance(node, dict):
        for key, v in node.items():
            inside = in_budget or key == "budget"
            if inside and key in MONEY and isinstance(v, (int, float)) \
                    and not isinstance(v, bool):
                node[key] = round(v * k, 2)
            else:
                scale(v, k, inside)
    elif isinstance(node, list):
        for v in node:
            scale(v, k, in_budget)


def rename(node, old, new):
    if isinstance(node, dict):
        return {k: rename(v, old, new) for k, v in node.items()}
    if isinstance(node, list):
        return [rename(v, old, new) for v in node]
    if isinstance(node, str):
        return node.replace(old, new)
    return node


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    os.makedirs(os.path.join(out, "data"), exist_ok=True)
    os.makedirs(os.path.join(out, "shared"), exist_ok=True)
    os.makedirs(os.path.join(out, "pdf"), exist_ok=True)
    samples = []
    for name, tpl in SAMPLES:
        with open(os.path.join(root, "data", name + ".json"), encoding="utf-8") as f:
            samples.append((name, tpl, json.load(f)))
    shared_done = set()
    lines = []
    for i in range(n):
        name, tpl, data = samples[i % len(samples)]
        district = DISTRICTS[(i // len(samples)) % len(DISTRICTS)]
        unit = UNITS[(i // (len(samples) * len(DISTRICTS))) % len(UNITS)]
        dept = "广州市" + district + unit
        if (i // (len(samples) * len(DISTRICTS) * len(UNITS))) > 0:
            dept += "第%d分局" % (i // (len(samples) * len(DISTRICTS) * len(UNITS)))
        old = data["meta"]["department"]
        d = rename(copy.deepcopy(data), old, dept)
        scale(d, 1 + i % 7)
        rid = "%04d-%s" % (i, name)
        files = ["data/%s.json" % rid]
        if "measures" in d:
            shared = "shared/%s.json" % district
            if shared not in shared_done:
                with open(os.path.join(out, shared), "w", encoding="utf-8") as f:
                    json.dump({"measures": d["measures"]}, f, ensure_ascii=False, indent=1)
                shared_done.add(shared)
            del d["measures"]
            files.append(shared)
        with open(os.path.join(out, files[0]), "w", encoding="utf-8") as f:
            json.dump(d, f, ensure_ascii=False, indent=1)
        lines.append(json.dumps({"id": rid,
                                 "template": os.path.join(root, "templates", tpl + ".xml"),
                                 "data": files, "output": "pdf/%s.pdf" % rid},
                                ensure_ascii=False))
    with open(os.path.join(out, "manifest.jsonl"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
