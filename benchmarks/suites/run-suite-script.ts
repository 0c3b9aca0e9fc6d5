import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * What the old comparison scripts became: a pointer and `tunelab bench --suite NAME`.
 * Arguments: `--seeds N` and `--out DIR` go to the runner (DIR defaults to a fixed folder
 * under the temporary directory, so a second run resumes); anything else is refused
 * with the pointer to the study script that keeps the script's own figures.
 */
export function runSuiteScript(script: string, suite: string, study: string, argv: readonly string[]): number {
  const pointer = `${script} moved: its grid is the "${suite}" suite of \`tunelab bench\`; its own figures are \`npx tsx ${study}\`.`;
  const args = [...argv];
  const pass: string[] = [];
  while (args.length > 0) {
    const flag = args.shift() as string;
    if ((flag === "--seeds" || flag === "--out") && args.length > 0) pass.push(flag, args.shift() as string);
    else {
      process.stderr.write(`${pointer}\n${script}: ${flag} is not a runner flag (only --seeds N and --out DIR); run the study script for it.\n`);
      return 2;
    }
  }
  if (!pass.includes("--out")) pass.push("--out", join(tmpdir(), `tunelab-bench-${suite}`));
  process.stderr.write(`${pointer}\nRunning: tunelab bench --suite ${suite} ${pass.join(" ")}\n`);
  const bin = fileURLToPath(new URL("../../bin/tunelab.js", import.meta.url));
  const child = spawnSync(process.execPath, [bin, "bench", "--suite", suite, ...pass], { stdio: "inherit" });
  return child.status ?? 1;
}
