#!/usr/bin/env node
// Runs the TypeScript command line through tsx, so there is no build step to forget.
import { register } from "tsx/esm/api";

register();
await import("../graders/kit/cli/main.ts");
