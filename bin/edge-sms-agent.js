#!/usr/bin/env node
// Runs the compiled CLI (npm run build). From a source checkout without a build, use `npm run cli --`.
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
