"""Prints the check-serverless expectations a compiled fragment implies.

    python fragment_expectations.py FRAGMENT.yml

One argument per line: every resource (`--expect-resource NAME=TYPE`) and
output (`--expect-output NAME`) the fragment defines must survive packaging,
and every policy variable it writes split for Serverless (`'$'` followed by
`'{key}...'` in an Fn::Join) must arrive joined (`--expect-variable key`).
"""

from __future__ import annotations

import re
import sys

import yaml


def joins(obj):
    if isinstance(obj, dict):
        if len(obj) == 1 and "Fn::Join" in obj:
            yield obj["Fn::Join"][1]
        for value in obj.values():
            yield from joins(value)
    elif isinstance(obj, list):
        for value in obj:
            yield from joins(value)


def main() -> int:
    with open(sys.argv[1], encoding="utf-8") as handle:
        fragment = yaml.safe_load(handle)
    for name, resource in (fragment.get("Resources") or {}).items():
        print("--expect-resource")
        print(f"{name}={resource['Type']}")
    for name in fragment.get("Outputs") or {}:
        print("--expect-output")
        print(name)
    variables = set()
    for parts in joins(fragment):
        for before, after in zip(parts, parts[1:]):
            if before == "$" and isinstance(after, str):
                match = re.match(r"\{([^}]+)\}", after)
                if match:
                    variables.add(match.group(1))
    for variable in sorted(variables):
        print("--expect-variable")
        print(variable)
    return 0


if __name__ == "__main__":
    sys.exit(main())
