"""Shared helpers for the .ci/ checks of compiled CloudFormation fragments.

A fragment is what one Serverless `resources:` entry holds: a mapping with
`Resources:` and usually `Outputs:`. A stubs file lists, one per line,
`LogicalId AWS::Type` for each resource the fragment references but does
not define (`#` starts a comment).
"""

from __future__ import annotations

import datetime
import re
import sys
from pathlib import Path
from typing import Any

import yaml

PSEUDO = {
    "AWS::Partition": "aws",
    "AWS::Region": "us-east-1",
    "AWS::AccountId": "123456789012",
    "AWS::URLSuffix": "amazonaws.com",
    "AWS::StackName": "stub-stack",
    "AWS::StackId": "arn:aws:cloudformation:us-east-1:123456789012:stack/stub-stack/stub",
}

# Serverless Framework variables (`${self:custom.stage}`, `${opt:stage}`, ...).
# `aws:` is deliberately absent: `${aws:username}` is also an IAM policy variable.
SLS_VAR = re.compile(r"\$\{(?:self|opt|sls|env|param|cf|ssm|s3|file|strToBool):[^}]*\}")


class FragmentError(Exception):
    pass


def die(tool: str, msg: str) -> None:
    print(f"{tool}: ERROR: {msg}", file=sys.stderr)
    sys.exit(2)


class _Loader(yaml.SafeLoader):
    """SafeLoader that also reads CloudFormation short-form tags as long form."""


def _tag(name: str):
    def construct(loader: yaml.SafeLoader, node: yaml.Node) -> dict:
        key = "Ref" if name == "Ref" else f"Fn::{name}"
        if isinstance(node, yaml.ScalarNode):
            value: Any = loader.construct_scalar(node)
            if name == "GetAtt":
                value = value.split(".", 1)
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        else:
            value = loader.construct_mapping(node, deep=True)
        return {key: value}

    return construct


for _name in ["Ref", "GetAtt", "Join", "Sub", "Select", "Split", "If", "Equals",
              "Not", "And", "Or", "ImportValue", "FindInMap", "Base64", "Cidr", "GetAZs"]:
    _Loader.add_constructor(f"!{_name}", _tag(_name))


def load_fragment(path: str | Path, reject_dates: bool = True) -> dict:
    text = Path(path).read_text(encoding="utf-8")
    try:
        doc = yaml.load(text, Loader=_Loader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as e:
        raise FragmentError(f"{path}: YAML does not parse: {e}") from e
    if not isinstance(doc, dict) or not isinstance(doc.get("Resources"), dict):
        raise FragmentError(f"{path}: not a resources fragment (no `Resources:` mapping)")
    dates = list(_find_dates(doc, "")) if reject_dates else []
    if dates:
        raise FragmentError(
            f"{path}: unquoted date(s) that YAML 1.1 readers (Serverless' js-yaml, PyYAML) turn "
            f"into timestamps, not strings: {', '.join(dates)}; quote them ('2012-10-17')"
        )
    return doc


def _find_dates(obj: Any, path: str):
    if isinstance(obj, (datetime.date, datetime.datetime)):
        yield f"{path.lstrip('.')}={obj}"
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _find_dates(v, f"{path}[{i}]")
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield from _find_dates(v, f"{path}.{k}")


# What `idpc uses` lists besides resource types: the stack's parameters and
# conditions the program refers to.
STACK_NAME_KINDS = ("Parameter", "Condition")


def load_stubs(path: str | Path) -> dict[str, str]:
    stubs: dict[str, str] = {}
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) != 2 or not (parts[1].startswith("AWS::") or parts[1] in STACK_NAME_KINDS):
            raise FragmentError(
                f"{path}:{n}: expected `LogicalId AWS::Service::Type` (or `Name Parameter`, "
                f"`Name Condition`), got {line!r}"
            )
        stubs[parts[0]] = parts[1]
    return stubs


def sidecar_stubs(fragment: str | Path) -> Path:
    """`x.yml` → `x.stubs` next to it."""
    return Path(fragment).with_suffix(".stubs")


def replace_sls_vars(obj: Any, value: str = "dev") -> Any:
    if isinstance(obj, str):
        return SLS_VAR.sub(value, obj)
    if isinstance(obj, list):
        return [replace_sls_vars(v, value) for v in obj]
    if isinstance(obj, dict):
        return {replace_sls_vars(k, value): replace_sls_vars(v, value) for k, v in obj.items()}
    return obj


def sub_names(template: str) -> list[str]:
    """Names referenced by an Fn::Sub template (`${X}`, `${X.Attr}`), not `${!X}`."""
    return [m for m in re.findall(r"\$\{([^}]*)\}", template) if not m.startswith("!")]


def referenced_conditions(fragment: dict) -> set[str]:
    """Stack conditions a fragment names: `Condition` of a resource or an
    output, and the first argument of each `Fn::If`."""
    found: set[str] = set()
    for section in ("Resources", "Outputs"):
        for item in (fragment.get(section) or {}).values():
            if isinstance(item, dict) and isinstance(item.get("Condition"), str):
                found.add(item["Condition"])

    def walk(o: Any) -> None:
        if isinstance(o, list):
            for v in o:
                walk(v)
        elif isinstance(o, dict):
            if len(o) == 1 and "Fn::If" in o and isinstance(o["Fn::If"], list) and o["Fn::If"]:
                if isinstance(o["Fn::If"][0], str):
                    found.add(o["Fn::If"][0])
            for v in o.values():
                walk(v)

    walk(fragment)
    return found


def referenced_ids(obj: Any) -> set[str]:
    """Logical IDs referenced with Ref / Fn::GetAtt / Fn::Sub (pseudo parameters excluded)."""
    found: set[str] = set()

    def walk(o: Any, sub_vars: frozenset = frozenset()) -> None:
        if isinstance(o, list):
            for v in o:
                walk(v)
        elif isinstance(o, dict):
            if len(o) == 1:
                (k, v), = o.items()
                if k == "Ref" and isinstance(v, str):
                    found.add(v)
                    return
                if k == "Fn::GetAtt":
                    name = v.split(".", 1)[0] if isinstance(v, str) else v[0]
                    if isinstance(name, str):
                        found.add(name)
                    return
                if k == "Fn::Sub":
                    template, variables = (v, {}) if isinstance(v, str) else (v[0], v[1])
                    for name in sub_names(template):
                        base = name.split(".", 1)[0]
                        if name not in variables:
                            found.add(base)
                    walk(variables)
                    return
            for v in o.values():
                walk(v)

    walk(obj)
    return {f for f in found if not f.startswith("AWS::")}
