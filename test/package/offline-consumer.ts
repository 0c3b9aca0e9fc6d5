import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join, posix } from "node:path";

/**
 * Writes package.json and package-lock.json for a consumer project that depends
 * on a packed TuneLab tarball, so that `npm ci --offline` installs it with no
 * network: every dependency's lockfile entry (resolved URL and integrity) is
 * copied from the repository's own package-lock.json, whose tarballs `npm ci`
 * put in the npm cache. (A plain `npm install --offline <tarball>` is not
 * enough: it needs the registry's package metadata, which `npm ci` does not
 * cache.)
 */
interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  [key: string]: unknown;
}

interface Manifest {
  name: string;
  version: string;
  license?: string;
  engines?: Record<string, string>;
  bin?: Record<string, string>;
  dependencies?: Record<string, string>;
}

/** The lockfile path node would load `name` from, required by the package at `from` (node's upward lookup). */
function resolveInLock(packages: Record<string, LockEntry>, from: string, name: string): string | undefined {
  for (let dir = from; ; ) {
    const candidate = dir === "" ? `node_modules/${name}` : `${dir}/node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (dir === "") return undefined;
    const cut = dir.lastIndexOf("/node_modules/");
    dir = cut === -1 ? "" : dir.slice(0, cut);
  }
}

export function writeOfflineConsumer(consumerDir: string, tarballPath: string, repoRoot: string): void {
  const manifest = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as Manifest;
  const repoLock = JSON.parse(readFileSync(join(repoRoot, "package-lock.json"), "utf8")) as { packages: Record<string, LockEntry> };
  const tarballSpec = `file:${posix.relative(consumerDir.split("\\").join("/"), tarballPath.split("\\").join("/"))}`;
  const integrity = `sha512-${createHash("sha512").update(readFileSync(tarballPath)).digest("base64")}`;

  const packages: Record<string, LockEntry> = {
    "": { name: "consumer", dependencies: { [manifest.name]: tarballSpec } },
    [`node_modules/${manifest.name}`]: {
      version: manifest.version,
      resolved: tarballSpec,
      integrity,
      ...(manifest.license ? { license: manifest.license } : {}),
      ...(manifest.dependencies ? { dependencies: manifest.dependencies } : {}),
      ...(manifest.bin ? { bin: manifest.bin } : {}),
      ...(manifest.engines ? { engines: manifest.engines } : {}),
    },
  };
  // The runtime dependency closure, taken from the repository's lockfile with
  // its layout (hoisted or nested) preserved.
  const pending: Array<[from: string, name: string]> = Object.keys(manifest.dependencies ?? {}).map((name) => ["", name]);
  while (pending.length > 0) {
    const [from, name] = pending.pop()!;
    const path = resolveInLock(repoLock.packages, from, name);
    if (path === undefined) throw new Error(`package-lock.json has no entry for ${name} (needed by ${from || "tunelab"}): run npm install`);
    if (packages[path]) continue;
    const { dev: _dev, devOptional: _devOptional, peer: _peer, ...entry } = repoLock.packages[path] as LockEntry;
    packages[path] = entry;
    for (const dep of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) pending.push([path, dep]);
  }
  writeFileSync(
    join(consumerDir, "package.json"),
    `${JSON.stringify({ name: "consumer", private: true, type: "module", dependencies: { [manifest.name]: tarballSpec } }, null, 2)}\n`,
  );
  writeFileSync(join(consumerDir, "package-lock.json"), `${JSON.stringify({ name: "consumer", lockfileVersion: 3, requires: true, packages }, null, 2)}\n`);
}
