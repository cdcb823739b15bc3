#!/usr/bin/env python3
"""zpgen against native Typst on the same content, paired runs.

usage: bench/peers.py [RUNS]      (make bench-peers)

Typst: the binary of the npm package @mdxport/linux-x64 (Typst compiled in,
driven through its --template option), installed into build/peers on first
use.  Content: ../shared/peers (data/lihu-2023.json, typst/report.typ).  Its
compiler reads no files, so the JSON is put inline into the template, and it
finds fonts only in $HOME/.mdxport/fonts, so HOME points at build/peers/home
where the three faces are linked.  zpgen renders data/lihu-2023.json (the
same 荔湖 report) and, for the long variant, a copy whose sections repeat
nine times (about 120 pages, like the peer's long variant).

Each round runs zpgen then Typst; the medians and their ratio are printed.
"""
import json
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEERS = os.path.normpath(os.path.join(ROOT, "..", "shared", "peers"))
B = os.path.join(ROOT, "build", "peers")
MDX = os.path.join(B, "node_modules", "@mdxport", "linux-x64", "mdxport")


def setup():
    os.makedirs(B, exist_ok=True)
    if not os.path.exists(MDX):
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", B,
                        "@mdxport/linux-x64"], check=True)
    with open(os.path.join(PEERS, "data", "lihu-2023.json"), encoding="utf-8") as f:
        data = f.read()
    fonts = json.loads(data)["meta"]["fonts"]
    fdir = os.path.join(B, "home", ".mdxport", "fonts")
    os.makedirs(fdir, exist_ok=True)
    for v in fonts.values():
        link = os.path.join(fdir, os.path.basename(v["file"]))
        if not os.path.exists(link):
            os.symlink(v["file"], link)
    with open(os.path.join(PEERS, "typst", "report.typ"), encoding="utf-8") as f:
        src = f.read()
    lit = '"' + data.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    src = src.replace('json("/data/lihu-2023.json")', "json(bytes(" + lit + "))")
    for variant in ("normal", "long"):
        s = src.replace('default: "normal")', 'default: "%s")' % variant)
        with open(os.path.join(B, "report-%s.typ" % variant), "w", encoding="utf-8") as f:
            f.write("#let article(..args, body) = [\n" + s + "\n]\n")
    with open(os.path.join(B, "empty.md"), "w") as f:
        f.write("x\n")
    with open(os.path.join(ROOT, "data", "lihu-2023.json"), encoding="utf-8") as f:
        d = json.load(f)
    for k in ("basic", "evaluation"):
        d[k]["sections"] = d[k]["sections"] * 9
    with open(os.path.join(B, "lihu-long.json"), "w", encoding="utf-8") as f:
        json.dump(d, f, ensure_ascii=False)


def timed(cmd, env=None):
    t = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, cwd=B)
    return time.perf_counter() - t


def pages(pdf):
    out = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout
    return next((l.split()[1] for l in out.splitlines() if l.startswith("Pages:")), "?")


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    setup()
    env = dict(os.environ, HOME=os.path.join(B, "home"))
    zp = os.environ.get("ZPGEN", os.path.join(ROOT, "bin", "zpgen"))
    tpl = os.path.join(ROOT, "templates", "dept-self-eval-report.xml")
    print("%d paired runs, %d cores" % (runs, os.cpu_count()))
    for variant, data in (("normal", os.path.join(ROOT, "data", "lihu-2023.json")),
                          ("long", os.path.join(B, "lihu-long.json"))):
        zcmd = [zp, "render", "--template", tpl, "--data", data, "-o",
                os.path.join(B, "zpgen-%s.pdf" % variant)]
        tcmd = [MDX, "empty.md", "--quiet", "--template", "report-%s.typ" % variant,
                "-o", os.path.join(B, "typst-%s.pdf" % variant)]
        timed(zcmd)  # warm the caches
        timed(tcmd, env)
        z, t = [], []
        for _ in range(runs):
            z.append(timed(zcmd))
            t.append(timed(tcmd, env))
        zm, tm = statistics.median(z), statistics.median(t)
        print("%-6s zpgen %6.1f ms (%s pages)   Typst %6.1f ms (%s pages)   ratio %.3f" % (
            variant, zm * 1000, pages(zcmd[-1]), tm * 1000, pages(tcmd[-1]), zm / tm))


if __name__ == "__main__":
    main()
