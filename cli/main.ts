// The `tunelab` command's entry (bin/tunelab.js imports it; `npx tsx cli/main.ts ...` runs it too).
// The commands are in program.ts. A run that ends on an error exits with its code; one that
// ran to its end exits when its work is done (with process.exitCode, if the command set one).
import { runCli } from "./program.ts";

const code = await runCli(process.argv);
if (code !== undefined) process.exit(code);
