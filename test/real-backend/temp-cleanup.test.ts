import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");

it("the real-backend tests leave nothing in the temp folder", () => {
  const temp = mkdtempSync(join(tmpdir(), "tunelab-cleanup-"));
  try {
    const others = readdirSync(import.meta.dirname).filter((f) => f.endsWith(".test.ts") && f !== "temp-cleanup.test.ts");
    const r = spawnSync(process.execPath, [join(root, "node_modules/vitest/vitest.mjs"), "run", ...others.map((f) => `test/real-backend/${f}`)], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, TMPDIR: temp, TMP: temp, TEMP: temp },
    });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(readdirSync(temp).filter((f) => f.startsWith("tunelab"))).toEqual([]);
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}, 120_000);
