"""Asserts what `serverless package` wrote for the serverless-idpc example app.

    python plugin_assert.py PACKAGED.json IDPC_BUILD.json STAGE

PACKAGED.json is .serverless/cloudformation-template-update-stack.json of
`serverless package --stage STAGE`; IDPC_BUILD.json is `idpc build
identity-pool.idp --target serverless --format json` of the same program,
which keeps the program's Serverless variable `${self:custom.stage}` as
written. Checks:
(a) every resource and output idpc wrote is in the packaged template,
    unchanged but for `${self:custom.stage}`, which is STAGE (the example's
    custom.stage is ${sls:stage}): Serverless resolved it;
(b) the pool (named STAGE + "ExampleIdentityPool", guests on, the user pool
    as provider), its role attachment, both roles' trust (Cognito
    federation, `aud` = this pool, `amr` = authenticated /
    unauthenticated), and the policy variable
    `${cognito-identity.amazonaws.com:sub}` in the object ARN once its
    Fn::Join is joined (CloudFormation's reading), and no `${` left in any
    string of idpc's resources (no variable left unresolved, none that
    Serverless could have read as its own);
(c) the rest of the stack is still there (resources: and generated names);
(d) the program's output has no `Export` added (as with ${file(...)}).
"""

from __future__ import annotations

import json
import sys
from typing import Any

failures: list[str] = []


def check(cond: bool, what: str) -> None:
    if not cond:
        failures.append(what)


def joined(value: Any) -> str:
    """The text of a string or Fn::Join, non-literal parts as <Ref X>/<X.Attr>."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and "Fn::Join" in value:
        sep, parts = value["Fn::Join"]
        return sep.join(joined(p) for p in parts)
    if isinstance(value, dict) and "Ref" in value:
        return f"<Ref {value['Ref']}>"
    if isinstance(value, dict) and "Fn::GetAtt" in value:
        return "<{}.{}>".format(*value["Fn::GetAtt"])
    return json.dumps(value)


def strings(value: Any) -> list[str]:
    """Every string in a JSON value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def substituted(value: Any, variable: str, text: str) -> Any:
    """The value with `variable` replaced by `text` in every string."""
    if isinstance(value, str):
        return value.replace(variable, text)
    if isinstance(value, dict):
        return {k: substituted(v, variable, text) for k, v in value.items()}
    if isinstance(value, list):
        return [substituted(v, variable, text) for v in value]
    return value


def trust(template: dict, role: str, amr: str) -> None:
    res = template["Resources"].get(role, {})
    check(res.get("Type") == "AWS::IAM::Role", f"{role} is not an AWS::IAM::Role")
    doc = res.get("Properties", {}).get("AssumeRolePolicyDocument", {})
    check(doc.get("Version") == "2012-10-17", f"{role}: trust policy Version is {doc.get('Version')!r}")
    [stmt] = doc.get("Statement", [{}])
    check(stmt.get("Principal") == {"Federated": "cognito-identity.amazonaws.com"}, f"{role}: principal {stmt.get('Principal')}")
    check(stmt.get("Action") in (["sts:AssumeRoleWithWebIdentity"], "sts:AssumeRoleWithWebIdentity"), f"{role}: action {stmt.get('Action')}")
    cond = stmt.get("Condition", {})
    check(cond.get("StringEquals", {}).get("cognito-identity.amazonaws.com:aud") == {"Ref": "ExampleIdentityPool"},
          f"{role}: aud condition {cond.get('StringEquals')}")
    check(cond.get("ForAnyValue:StringLike", {}).get("cognito-identity.amazonaws.com:amr") == amr,
          f"{role}: amr condition {cond.get('ForAnyValue:StringLike')}")


def main() -> int:
    packaged = json.load(open(sys.argv[1]))
    written = json.load(open(sys.argv[2]))
    stage = sys.argv[3]
    res, outs = packaged.get("Resources", {}), packaged.get("Outputs", {})
    check("${self:custom.stage}" in json.dumps(written), "idpc's build has no ${self:custom.stage} to resolve")
    built = substituted(written, "${self:custom.stage}", stage)

    # (a) nothing lost or altered on the way, the variable resolved
    for section in ("Resources", "Outputs"):
        for key, value in built.get(section, {}).items():
            check(packaged.get(section, {}).get(key) is not None, f"{section}.{key} missing from the packaged template")
            if section == "Resources":
                check(res.get(key) == value, f"Resources.{key} differs from what idpc wrote")

    # (b) the pool, its roles, their trust and the policy variable
    pool = res.get("ExampleIdentityPool", {})
    check(pool.get("Type") == "AWS::Cognito::IdentityPool", "ExampleIdentityPool is not an identity pool")
    props = pool.get("Properties", {})
    check(props.get("IdentityPoolName") == f"{stage}ExampleIdentityPool",
          f"the pool's name is {props.get('IdentityPoolName')!r}, not {stage}ExampleIdentityPool")
    check(props.get("AllowUnauthenticatedIdentities") is True, "guests are not allowed on the pool")
    check(props.get("CognitoIdentityProviders") == [{
        "ClientId": {"Ref": "CognitoUserPoolClient"},
        "ProviderName": {"Fn::GetAtt": ["CognitoUserPool", "ProviderName"]}}],
        f"providers: {props.get('CognitoIdentityProviders')}")
    attach = res.get("ExampleIdentityPoolRoles", {})
    check(attach.get("Type") == "AWS::Cognito::IdentityPoolRoleAttachment", "no role attachment")
    check(attach.get("Properties", {}).get("IdentityPoolId") == {"Ref": "ExampleIdentityPool"}, "attachment's pool")
    check(attach.get("Properties", {}).get("Roles") == {
        "authenticated": {"Fn::GetAtt": ["ExampleAuthRole", "Arn"]},
        "unauthenticated": {"Fn::GetAtt": ["ExampleGuestRole", "Arn"]}},
        f"attachment's roles: {attach.get('Properties', {}).get('Roles')}")
    trust(packaged, "ExampleAuthRole", "authenticated")
    trust(packaged, "ExampleGuestRole", "unauthenticated")
    arns = [joined(r)
            for policy in res.get("ExampleAuthRole", {}).get("Properties", {}).get("Policies", [])
            for stmt in policy["PolicyDocument"]["Statement"]
            for r in (stmt["Resource"] if isinstance(stmt["Resource"], list) else [stmt["Resource"]])]
    check("<AttachmentsBucket.Arn>/private/${cognito-identity.amazonaws.com:sub}/*" in arns,
          f"the signed-in role's object ARN with the policy variable is missing; ARNs: {arns}")
    for key in built.get("Resources", {}):
        left = [s for s in strings(res.get(key)) if "${" in s]
        check(not left, f"Resources.{key} holds `${{` in {left}: unresolved, or readable by Serverless")

    # (c) the rest of the stack
    for key, kind in (("CognitoUserPool", "AWS::Cognito::UserPool"), ("AttachmentsBucket", "AWS::S3::Bucket"),
                      ("HelloLambdaFunction", "AWS::Lambda::Function"), ("ApiGatewayRestApi", "AWS::ApiGateway::RestApi")):
        check(res.get(key, {}).get("Type") == kind, f"{key} ({kind}) missing from the packaged template")

    # (d) the output, as idpc wrote it
    check(outs.get("ExampleIdentityPoolId") == {"Value": {"Ref": "ExampleIdentityPool"}},
          f"output ExampleIdentityPoolId is {outs.get('ExampleIdentityPoolId')}")
    check("UserPoolId" in outs and "ServiceEndpoint" in outs, "the stack's other outputs are missing")

    for f in failures:
        print(f"plugin_assert: {f}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
