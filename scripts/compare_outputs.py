"""Compares two output folders made by scripts/outputs.sh, file by file.

Workbooks are compared part by part (the zip container may differ where the
parts do not); manifest.json without its timings and output hashes. Each
OLD=NEW argument replaces OLD with NEW in the old files before comparing
(a folder name, or the hash of a configuration file that changed on purpose).

    python3 scripts/compare_outputs.py BEFORE AFTER [OLD=NEW ...]
"""
import sys, os, zipfile, hashlib, json
a, b = sys.argv[1], sys.argv[2]
subs = []  # (old, new) strings to substitute in a before comparing
if len(sys.argv) > 3:
    for pair in sys.argv[3:]:
        o, n = pair.split('=')
        subs.append((o.encode(), n.encode()))
def files(root):
    out = {}
    for d, _, fs in os.walk(root):
        for f in fs:
            p = os.path.join(d, f)
            out[os.path.relpath(p, root)] = p
    return out
fa, fb = files(a), files(b)
same = diff = 0
for k in sorted(set(fa) | set(fb)):
    if k not in fa or k not in fb:
        print("ONLY IN", "old" if k in fa else "new", k); diff += 1; continue
    da, db = open(fa[k], 'rb').read(), open(fb[k], 'rb').read()
    if da == db:
        same += 1; continue
    if k.endswith('.xlsx'):
        za, zb = zipfile.ZipFile(fa[k]), zipfile.ZipFile(fb[k])
        na, nb = za.namelist(), zb.namelist()
        bad = []
        if na != nb: bad.append('members differ')
        for m in na:
            if m not in nb: continue
            x, y = za.read(m), zb.read(m)
            for o, n in subs: x = x.replace(o, n)
            if x != y: bad.append(m)
        if bad:
            print("DIFF", k, bad); diff += 1
        else:
            print("SAME-AFTER-SUBST", k); same += 1
        continue
    x = da
    for o, n in subs: x = x.replace(o, n)
    if k.endswith('manifest.json'):
        ja, jb = json.loads(x), json.loads(db)
        for j in (ja, jb):
            j.pop('timings_seconds', None); j.pop('outputs', None)
        if ja == jb:
            print("SAME-EXCEPT-TIMINGS/OUTPUT-HASHES", k); same += 1
        else:
            print("DIFF", k); diff += 1
        continue
    if x == db:
        print("SAME-AFTER-SUBST", k); same += 1
    else:
        print("DIFF", k); diff += 1
print(f"same {same}, differ {diff}")
