#!/usr/bin/env node
import { runCli } from "./program.js";

// The one place the CLI reads the process's environment; everything below takes it as `env`.
process.exitCode = await runCli(process.argv, { env: process.env });
