#!/usr/bin/env node
// A stand-in for the idpc binary in the plugin's unit tests: it records how
// it was called and answers what the test asks for through the environment.
//   FAKE_IDPC_RECORD  file to write {args, cwd} to (JSON)
//   FAKE_IDPC_STDOUT  text to print on stdout
//   FAKE_IDPC_STDERR  text to print on stderr
//   FAKE_IDPC_STATUS  exit status (default 0)
'use strict';
const fs = require('fs');
if (process.env.FAKE_IDPC_RECORD) {
  fs.writeFileSync(process.env.FAKE_IDPC_RECORD, JSON.stringify({ args: process.argv.slice(2), cwd: process.cwd() }));
}
process.stdout.write(process.env.FAKE_IDPC_STDOUT || '');
process.stderr.write(process.env.FAKE_IDPC_STDERR || '');
process.exitCode = Number(process.env.FAKE_IDPC_STATUS || 0);
