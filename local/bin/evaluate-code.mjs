#!/usr/bin/env node
// Package `bin` entry: Node 20 cannot run .ts, so register tsx's loader, then run the TypeScript CLI.
import { register } from 'tsx/esm/api';

register();
await import('./evaluate-code.ts');
