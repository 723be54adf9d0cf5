"""Extracts the IAM policy documents of compiled fragments as plain JSON
policies, intrinsics filled with realistic stub values, for iam-validator.

    python iam_extract.py --out DIR [--stubs FILE] FRAGMENT...

Writes DIR/trust/<n>-<Role>.json (each role's AssumeRolePolicyDocument) and
DIR/identity/<n>-<Role>-<PolicyName>.json (each inline policy, and each
AWS::IAM::Policy / ManagedPolicy document). Types of referenced resources
come from the fragment itself or from --stubs / the sidecar <fragment>.stubs;
they decide what a `Ref` or `Fn::GetAtt ... Arn` looks like (an S3 bucket ARN
is `arn:aws:s3:::name`, a role ARN `arn:aws:iam::123456789012:role/name`...),
so that iam-validator's ARN and action/resource checks see real shapes.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cfn_common import (  # noqa: E402
    PSEUDO,
    FragmentError,
    load_fragment,
    load_stubs,
    replace_sls_vars,
    sidecar_stubs,
)

REGION, ACCOUNT = PSEUDO["AWS::Region"], PSEUDO["AWS::AccountId"]

# `Ref: AWS::NoValue`: the list item it stands for is left out.
NO_VALUE = object()


def ref_value(name: str, kind: str) -> str:
    low = re.sub(r"[^a-z0-9-]", "", name.lower())
    return {
        "AWS::Cognito::IdentityPool": f"{REGION}:11111111-2222-3333-4444-555555555555",
        "AWS::Cognito::UserPool": f"{REGION}_EXAMPLE11",
        "AWS::Cognito::UserPoolClient": "1example23456789abcdefghij",
        "AWS::ApiGateway::RestApi": "a1b2c3d4e5",
        "AWS::S3::Bucket": f"stub-{low}",
        # Types whose Ref is their ARN.
        "AWS::SNS::Topic": f"arn:aws:sns:{REGION}:{ACCOUNT}:stub-{low}",
    }.get(kind, f"stub-{low}")


def arn_value(name: str, kind: str) -> str:
    r = ref_value(name, kind)
    arns = {
        "AWS::S3::Bucket": f"arn:aws:s3:::{r}",
        "AWS::IAM::Role": f"arn:aws:iam::{ACCOUNT}:role/{r}",
        "AWS::IAM::ManagedPolicy": f"arn:aws:iam::{ACCOUNT}:policy/{r}",
        "AWS::Cognito::UserPool": f"arn:aws:cognito-idp:{REGION}:{ACCOUNT}:userpool/{r}",
        "AWS::DynamoDB::Table": f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{r}",
        "AWS::SNS::Topic": r,
        "AWS::SQS::Queue": f"arn:aws:sqs:{REGION}:{ACCOUNT}:{r}",
        "AWS::Lambda::Function": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{r}",
        "AWS::Location::Map": f"arn:aws:geo:{REGION}:{ACCOUNT}:map/{r}",
        "AWS::Location::PlaceIndex": f"arn:aws:geo:{REGION}:{ACCOUNT}:place-index/{r}",
        "AWS::Kinesis::Stream": f"arn:aws:kinesis:{REGION}:{ACCOUNT}:stream/{r}",
        "AWS::AppSync::GraphQLApi": f"arn:aws:appsync:{REGION}:{ACCOUNT}:apis/{r}",
    }
    if kind not in arns:
        raise FragmentError(f"no stub ARN shape for {kind} ({name}.Arn); add it to arn_value in {Path(__file__).name}")
    return arns[kind]


def get_att(name: str, attr: str, kind: str) -> str:
    if attr == "Arn":
        return arn_value(name, kind)
    if kind == "AWS::Cognito::UserPool" and attr == "ProviderName":
        return f"cognito-idp.{REGION}.amazonaws.com/{ref_value(name, kind)}"
    return f"stub-{name.lower()}-{attr.lower()}"


class Resolver:
    def __init__(self, types: dict[str, str], where: str):
        self.types, self.where = types, where

    def kind(self, name: str) -> str:
        if name not in self.types:
            raise FragmentError(f"{self.where}: {name!r} is referenced but neither defined nor in the stubs file")
        return self.types[name]

    def ref(self, name: str) -> Any:
        if name == "AWS::NoValue":
            return NO_VALUE
        if name in PSEUDO:
            return PSEUDO[name]
        kind = self.kind(name)
        # A stack parameter (`idpc uses`: `Name Parameter`): a stub value.
        return f"stub-{name.lower()}" if kind == "Parameter" else ref_value(name, kind)

    def sub(self, template: str, variables: dict) -> str:
        def one(m: re.Match) -> str:
            name = m.group(1)
            if name.startswith("!"):
                return "${" + name[1:] + "}"
            if name in variables:
                return str(variables[name])
            if "." in name and not name.startswith("AWS::"):
                n, a = name.split(".", 1)
                return get_att(n, a, self.kind(n))
            return self.ref(name)

        return re.sub(r"\$\{([^}]*)\}", one, template)

    def resolve(self, o: Any) -> Any:
        if isinstance(o, list):
            return [r for r in (self.resolve(v) for v in o) if r is not NO_VALUE]
        if not isinstance(o, dict):
            return o
        o = {k: self.resolve(v) for k, v in o.items()}
        if len(o) != 1:
            return o
        (k, v), = o.items()
        if k == "Ref":
            return self.ref(v)
        if k == "Fn::GetAtt":
            n, a = v.split(".", 1) if isinstance(v, str) else v
            return get_att(n, a, self.kind(n))
        if k == "Fn::Join":
            sep, parts = v
            return sep.join(str(p) for p in parts)
        if k == "Fn::Sub":
            template, variables = (v, {}) if isinstance(v, str) else (v[0], v[1])
            return self.sub(template, variables)
        if k == "Fn::Select":
            return v[1][int(v[0])]
        if k == "Fn::ImportValue":
            # Another stack's export (`$(import NAME)`): an id-like stub, as
            # for a parameter; a whole imported ARN is given its shape by
            # `imported_arns`.
            return f"{IMPORTED}{safe(str(v)).lower()}"
        if k == "Fn::If":
            # The branch taken when the condition holds: a statement under
            # `if Cond` (the other branch is `AWS::NoValue`) is validated.
            return v[1]
        if k.startswith("Fn::"):
            raise FragmentError(f"{self.where}: cannot stub {k} yet; extend {Path(__file__).name}")
        return o


def safe(s: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", s)


# What an `Fn::ImportValue` resolves to, before the export's name.
IMPORTED = "imported-"

# The ARN an imported value stands for when it starts a statement's
# resource, by the service of the statement's actions.
IMPORTED_ARN_PREFIX = {
    "s3": "arn:aws:s3:::",
    "dynamodb": f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/",
}


def imported_arns(policy: Any, where: str) -> Any:
    """A statement resource that starts with an imported value (`"$(import
    bucket-arn)/*"`) is an ARN: the stub gets the ARN shape of the
    statement's service."""
    statements = policy.get("Statement") if isinstance(policy, dict) else None
    for st in statements if isinstance(statements, list) else []:
        resources = st.get("Resource")
        if not isinstance(resources, (list, str)):
            continue
        actions = st.get("Action")
        actions = [actions] if isinstance(actions, str) else actions or []
        services = {a.split(":", 1)[0] for a in actions if isinstance(a, str)}
        fixed = []
        for r in [resources] if isinstance(resources, str) else resources:
            if isinstance(r, str) and r.startswith(IMPORTED):
                prefixes = {IMPORTED_ARN_PREFIX.get(svc) for svc in services}
                if len(prefixes) != 1 or None in prefixes:
                    raise FragmentError(f"{where}: no stub ARN shape for an imported resource of {sorted(services)}; extend IMPORTED_ARN_PREFIX in {Path(__file__).name}")
                r = prefixes.pop() + r
            fixed.append(r)
        st["Resource"] = fixed[0] if isinstance(resources, str) else fixed
    return policy


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--stubs")
    ap.add_argument("fragments", nargs="+")
    args = ap.parse_args()
    out = Path(args.out)
    (out / "trust").mkdir(parents=True, exist_ok=True)
    (out / "identity").mkdir(parents=True, exist_ok=True)
    count = 0
    try:
        for i, frag in enumerate(args.fragments):
            stubs_path = Path(args.stubs) if args.stubs else sidecar_stubs(frag)
            types = load_stubs(stubs_path) if stubs_path.exists() else {}
            doc = replace_sls_vars(load_fragment(frag))
            types.update({k: v.get("Type", "") for k, v in doc["Resources"].items()})
            for rid, res in doc["Resources"].items():
                props = res.get("Properties") or {}
                r = Resolver(types, f"{frag}: Resources.{rid}")
                docs: list[tuple[str, str, Any]] = []
                if res.get("Type") == "AWS::IAM::Role":
                    if "AssumeRolePolicyDocument" in props:
                        docs.append(("trust", f"{i:02d}-{rid}", props["AssumeRolePolicyDocument"]))
                    for p in props.get("Policies") or []:
                        docs.append(("identity", f"{i:02d}-{rid}-{p.get('PolicyName', 'unnamed')}", p.get("PolicyDocument")))
                elif res.get("Type") in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
                    docs.append(("identity", f"{i:02d}-{rid}", props.get("PolicyDocument")))
                for kind, name, policy in docs:
                    dest = out / kind / f"{safe(name)}.json"
                    resolved = imported_arns(r.resolve(policy), r.where)
                    dest.write_text(json.dumps(resolved, indent=2) + "\n", encoding="utf-8")
                    print(dest)
                    count += 1
    except (FragmentError, OSError, ValueError, TypeError, IndexError) as e:
        print(f"iam_extract: ERROR: {e}", file=sys.stderr)
        return 2
    if count == 0:
        print("iam_extract: ERROR: no IAM policy documents in the fragments", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
