#!/usr/bin/env node
// Refuses a Node.js this project does not support, with what to do instead: runs before
// `npm start` and `npm test` (prestart, pretest), ahead of tsx and everything else, so an old
// Node prints this message rather than a stack trace from deep inside a dependency. Plain ES2017
// and no imports beyond node:, so it runs on the old Node it is meant to refuse.
//
//   node scripts/check-node-version.mjs            # checks this Node
//   node scripts/check-node-version.mjs 18.20.4    # checks the version given (exit 1: unsupported)
import { readFileSync } from 'node:fs';

const INSTALL_HINT =
  'Install Node.js 24 (the active LTS line) or 22, for example with nvm (`nvm install 24`) or from https://nodejs.org, then run the command again.';

/** `^20.19.0 || ^22.15.0 || >=24.0.0` → [{ major: 20, minimum: [20, 19, 0], open: false }, …]. */
function parseRange(range) {
  return range.split('||').map((part) => {
    const match = /^\s*(\^|>=)(\d+)\.(\d+)\.(\d+)\s*$/.exec(part);
    if (!match)
      throw new Error(`package.json "engines.node" part "${part.trim()}" is not of the form ^X.Y.Z or >=X.Y.Z, which this check reads.`);
    const minimum = [Number(match[2]), Number(match[3]), Number(match[4])];
    return { minimum, open: match[1] === '>=' };
  });
}

function atLeast(version, minimum) {
  for (let i = 0; i < 3; i += 1) {
    if (version[i] !== minimum[i]) return version[i] > minimum[i];
  }
  return true;
}

function supports(lines, version) {
  return lines.some((line) => atLeast(version, line.minimum) && (line.open || version[0] === line.minimum[0]));
}

/** "20.19+, 22.15+ or 24+" */
function describe(lines) {
  const names = lines.map(({ minimum: [major, minor] }) => (minor === 0 ? `${major}+` : `${major}.${minor}+`));
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}` : names[0];
}

const { engines } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const lines = parseRange(engines.node);
const given = process.argv[2] || process.versions.node;
const version = given.replace(/^v/, '').split('.').map(Number);
if (version.length !== 3 || version.some((n) => !Number.isInteger(n))) {
  console.error(`"${given}" is not a Node.js version (expected X.Y.Z).`);
  process.exit(2);
}
if (!supports(lines, version)) {
  console.error(
    `This project needs Node.js ${describe(lines)} (package.json "engines"); this is Node.js v${version.join('.')}.\n${INSTALL_HINT}`,
  );
  process.exit(1);
}
