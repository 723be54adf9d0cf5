"""Wraps Serverless `resources:` fragments into full CloudFormation templates
that cfn-lint can check on their own.

    python cfn_wrap.py --out DIR [--stubs FILE] FRAGMENT...

For each FRAGMENT writes DIR/<stem>.template.yml and prints its path:
`AWSTemplateFormatVersion` + the fragment's Resources and Outputs + a minimal
stub resource for every logical ID the fragment references but does not
define. Stub types come from --stubs, else from the sidecar `<stem>.stubs`
next to the fragment. Serverless variables (`${self:custom.stage}`...)
become `dev`.
"""

from __future__ import annotations

import argparse
import copy
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cfn_common import (  # noqa: E402
    FragmentError,
    load_fragment,
    load_stubs,
    referenced_conditions,
    referenced_ids,
    replace_sls_vars,
    sidecar_stubs,
)

# The least each stub type needs to lint clean; add types here as the
# compiler learns to reference them.
STUB_PROPERTIES: dict[str, dict] = {
    "AWS::Cognito::UserPool": {},
    "AWS::Cognito::UserPoolClient": {"UserPoolId": "us-east-1_EXAMPLE11"},
    "AWS::S3::Bucket": {},
    "AWS::ApiGateway::RestApi": {"Name": "dev-stub-api"},
    "AWS::DynamoDB::Table": {
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
    },
    "AWS::SNS::Topic": {},
    "AWS::SQS::Queue": {},
    "AWS::IAM::OIDCProvider": {"Url": "https://login.example.com", "ClientIdList": ["stub-client"]},
    "AWS::IAM::SAMLProvider": {},
    "AWS::Location::Map": {"MapName": "stub-map", "Configuration": {"Style": "VectorEsriStreets"}},
    "AWS::AppSync::GraphQLApi": {"Name": "stub-api", "AuthenticationType": "AWS_IAM"},
    "AWS::Kinesis::Stream": {"ShardCount": 1},
    "AWS::Location::PlaceIndex": {"IndexName": "stub-index", "DataSource": "Esri"},
    "AWS::Lambda::Function": {
        "Code": {"ZipFile": "exports.handler = async () => ({});"},
        "Handler": "index.handler",
        "Runtime": "nodejs22.x",
        "Role": "arn:aws:iam::123456789012:role/stub-lambda-role",
    },
    # A `use role` a pool attaches (tests/gen: `authenticated role Outside0`).
    "AWS::IAM::Role": {
        "AssumeRolePolicyDocument": {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Federated": "cognito-identity.amazonaws.com"},
                    "Action": "sts:AssumeRoleWithWebIdentity",
                }
            ],
        }
    },
}

# Properties that are a stub's primary identifier: made unique per stub.
UNIQUE_NAME_PROPERTY: dict[str, str] = {
    "AWS::Location::Map": "MapName",
    "AWS::Location::PlaceIndex": "IndexName",
    "AWS::AppSync::GraphQLApi": "Name",
}


def wrap(fragment_path: str, stubs: dict[str, str]) -> dict:
    fragment = replace_sls_vars(load_fragment(fragment_path))
    defined = set(fragment["Resources"])
    # The stack's parameters and conditions this fragment names (a stubs
    # file may list those of several programs): a String parameter with a
    # default, and a condition that depends on the Region (one always true
    # or false is itself a cfn-lint finding).
    referenced = referenced_ids(fragment)
    for resource in fragment["Resources"].values():
        depends = resource.get("DependsOn") if isinstance(resource, dict) else None
        referenced.update([depends] if isinstance(depends, str) else depends or [])
    parameters = {
        n: {"Type": "String", "Default": "stub"}
        for n, k in stubs.items()
        if k == "Parameter" and n in referenced
    }
    named_conditions = referenced_conditions(fragment)
    conditions = {
        n: {"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]}
        for n, k in stubs.items()
        if k == "Condition" and n in named_conditions
    }
    missing = sorted(referenced - defined - set(parameters))
    resources = dict(fragment["Resources"])
    for name in missing:
        kind = stubs.get(name)
        if kind is None:
            raise FragmentError(
                f"{fragment_path}: references {name!r}, which it does not define and the stubs "
                f"file does not list; add a line `{name} AWS::Service::Type`"
            )
        if kind not in STUB_PROPERTIES:
            raise FragmentError(
                f"{fragment_path}: no stub properties known for {kind} (stub {name}); "
                f"add it to STUB_PROPERTIES in {Path(__file__).name}"
            )
        stub: dict = {"Type": kind}
        if STUB_PROPERTIES[kind]:
            # A copy per stub: a shared dict would be dumped as a YAML alias (W1101).
            stub["Properties"] = copy.deepcopy(STUB_PROPERTIES[kind])
            # Names that identify the resource must differ between stubs (E3019).
            if kind in UNIQUE_NAME_PROPERTY:
                stub["Properties"][UNIQUE_NAME_PROPERTY[kind]] = f"stub-{name}"
        resources[name] = stub
    template: dict = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": f"cfn-lint wrapper for {Path(fragment_path).name} with stubs for {', '.join(missing) or 'nothing'}",
    }
    if parameters:
        template["Parameters"] = parameters
    if conditions:
        template["Conditions"] = conditions
    template["Resources"] = resources
    if fragment.get("Outputs"):
        template["Outputs"] = fragment["Outputs"]
    return template


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="directory for the wrapped templates")
    ap.add_argument("--stubs", help="`LogicalId AWS::Type` lines (default: sidecar <fragment>.stubs)")
    ap.add_argument("fragments", nargs="+")
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    try:
        for i, frag in enumerate(args.fragments):
            stubs_path = Path(args.stubs) if args.stubs else sidecar_stubs(frag)
            stubs = load_stubs(stubs_path) if stubs_path.exists() else {}
            template = wrap(frag, stubs)
            dest = out / f"{i:02d}-{Path(frag).stem}.template.yml"
            dest.write_text(yaml.safe_dump(template, sort_keys=False, width=1000), encoding="utf-8")
            print(dest)
    except (FragmentError, OSError) as e:
        print(f"cfn_wrap: ERROR: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
