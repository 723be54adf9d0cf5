"""Asserts facts about the template `serverless package` wrote.

    python sls_assert.py TEMPLATE.json [--expect-resource NAME[=TYPE]]...
                         [--expect-output NAME]... [--expect-variable VAR]...

(a) Every Fn::Join / Fn::Sub inside a policy document that holds an IAM policy
    variable yields, once joined, only well-formed `${...}` variables (not a
    lone `$` or `{...}` left over), and each
    --expect-variable (such as `cognito-identity.amazonaws.com:sub`) appears.
(b) Every policy document's `Version` is the string `2012-10-17`.
(a) and (b) look only at resources defined in the --fragment files (all
resources when none is given: Serverless' own deployment-bucket policy has
no Version). (c) Each --expect-resource is in Resources (with TYPE when given) and each
    --expect-output is in Outputs.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from typing import Any, Iterator

POLICY_KEYS = ("PolicyDocument", "AssumeRolePolicyDocument", "KeyPolicy")
PLACEHOLDER = "\x00"  # stands for a non-literal part of a join


def policy_documents(obj: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(obj, dict):
        for k, v in obj.items():
            p = f"{path}.{k}" if path else k
            if k in POLICY_KEYS:
                yield p, v
            else:
                yield from policy_documents(v, p)
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from policy_documents(v, f"{path}[{i}]")


def joins(obj: Any, path: str) -> Iterator[tuple[str, str]]:
    """(path, text) for each Fn::Join / Fn::Sub, non-literal parts as PLACEHOLDER."""
    if isinstance(obj, dict):
        if len(obj) == 1 and "Fn::Join" in obj:
            sep, parts = obj["Fn::Join"]
            text = sep.join(p if isinstance(p, str) else PLACEHOLDER for p in parts)
            yield f"{path}.Fn::Join", text
        elif len(obj) == 1 and "Fn::Sub" in obj:
            v = obj["Fn::Sub"]
            template = v if isinstance(v, str) else v[0]
            # ${!X} is the literal ${X}; other ${...} are CloudFormation's own.
            text = re.sub(r"\$\{(?!!)[^}]*\}", PLACEHOLDER, template).replace("${!", "${")
            yield f"{path}.Fn::Sub", text
        for k, v in obj.items():
            yield from joins(v, f"{path}.{k}")
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from joins(v, f"{path}[{i}]")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("template")
    ap.add_argument("--expect-resource", action="append", default=[])
    ap.add_argument("--expect-output", action="append", default=[])
    ap.add_argument("--expect-variable", action="append", default=[])
    ap.add_argument("--fragment", action="append", default=[], help="compiled fragment whose resources (a)/(b) check")
    args = ap.parse_args()
    expect_vars = args.expect_variable

    with open(args.template, encoding="utf-8") as f:
        template = json.load(f)
    problems: list[str] = []
    seen_vars: set[str] = set()
    n_docs = n_joins = 0

    resources = template.get("Resources", {})
    checked = resources
    if args.fragment:
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        from cfn_common import load_fragment

        ids = {i for f in args.fragment for i in load_fragment(f, reject_dates=False)["Resources"]}
        missing = sorted(ids - set(resources))
        problems.extend(f"(c) Resources.{i}: defined in a fragment but not in the packaged template" for i in missing)
        checked = {k: v for k, v in resources.items() if k in ids}
    for doc_path, doc in policy_documents(checked, "Resources"):
        n_docs += 1
        version = doc.get("Version") if isinstance(doc, dict) else None
        if version != "2012-10-17":
            problems.append(f"(b) {doc_path}.Version: expected the string '2012-10-17', found {json.dumps(version)}")
        for join_path, text in joins(doc, doc_path):
            holds_variable = "$" in text or re.search(r"\{[\w.-]+:[\w/${}-]+\}", text)
            if not holds_variable:
                continue
            n_joins += 1
            variables = re.findall(r"\$\{([^}]*)\}", text)
            seen_vars.update(variables)
            leftover = re.sub(r"\$\{[^}]*\}", "", text)
            shown = text.replace(PLACEHOLDER, "<intrinsic>")
            if not variables or "$" in leftover or re.search(r"\{[\w.-]+:[^}]*\}", leftover):
                problems.append(f"(a) {join_path}: joins to {shown!r}, which holds a broken policy variable")
    for var in expect_vars:
        if var not in seen_vars:
            problems.append(f"(a) no policy document holds the variable ${{{var}}}")
    if n_docs == 0:
        problems.append("(b) no policy documents found at all")

    for spec in args.expect_resource:
        name, _, kind = spec.partition("=")
        if name not in resources:
            problems.append(f"(c) Resources.{name}: missing")
        elif kind and resources[name].get("Type") != kind:
            problems.append(f"(c) Resources.{name}: Type {resources[name].get('Type')!r}, expected {kind!r}")
    outputs = template.get("Outputs", {})
    for name in args.expect_output:
        if name not in outputs:
            problems.append(f"(c) Outputs.{name}: missing")

    if problems:
        print(f"sls_assert: FAILED on {args.template}:", file=sys.stderr)
        for p in problems:
            print(f"  {p}", file=sys.stderr)
        return 1
    print(
        f"sls_assert: ok ({n_docs} policy documents, {n_joins} joins with policy variables, "
        f"{len(args.expect_resource)} resources and {len(args.expect_output)} outputs as expected)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
