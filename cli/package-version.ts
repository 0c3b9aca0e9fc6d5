import { readFileSync } from "node:fs";

/**
 * TuneLab's version, from the package.json above this module. Walks up because
 * the module runs from cli/ in a source checkout and from dist/cli/ in the
 * installed package.
 */
export function packageVersion(): string {
  for (let dir = new URL("./", import.meta.url); ; ) {
    try {
      const pkg = JSON.parse(readFileSync(new URL("package.json", dir), "utf8")) as { name?: unknown; version?: unknown };
      if (pkg.name === "tunelab" && typeof pkg.version === "string") return pkg.version;
    } catch {
      // No readable package.json here: look one folder up.
    }
    const parent = new URL("../", dir);
    if (parent.href === dir.href) throw new Error("tunelab: cannot find its package.json to read the version");
    dir = parent;
  }
}
