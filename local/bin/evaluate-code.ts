#!/usr/bin/env node
// `npm run evaluate-code -- --code FILE --function request|response --context CTX.json`
import { main } from './evaluateCodeCli.ts';

process.exitCode = await main(process.argv.slice(2));
