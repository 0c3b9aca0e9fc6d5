import { mkdtempSync, readFileSync, existsSync, writeFileSync, readdirSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { downloadLcbenchData, LCBENCH_FILES, locateLcbenchData, REPO_DATA_DIR, type FetchLike } from "../../../benchmarks/lcbench/index.ts";

/** What the public source serves: the shared copy's bytes, the statistics file with other scenarios mixed in (as YAHPO's global file has). */
function upstreamFiles(): Map<string, Uint8Array> {
  const served = new Map<string, Uint8Array>();
  for (const file of LCBENCH_FILES) {
    // A copy with its own ArrayBuffer (readFileSync may hand out a view of a shared pool).
    let bytes = new Uint8Array(readFileSync(join(REPO_DATA_DIR, file.name)));
    if (file.keepLcbenchRows) {
      const [header, ...rows] = new TextDecoder().decode(bytes).trimEnd().split("\n");
      const other = ["val_accuracy,max,0.9,rbv2_svm,1040", "auc,min,0.5,iaml_glmnet,40981"];
      bytes = new TextEncoder().encode([header, other[0], ...rows.slice(0, 5), other[1], ...rows.slice(5)].join("\n") + "\n");
    }
    served.set(file.source, bytes);
  }
  return served;
}

function fakeFetch(served: Map<string, Uint8Array>, base: string, calls: string[]): FetchLike {
  return async (url) => {
    calls.push(url);
    const bytes = served.get(url.slice(base.length));
    return { ok: bytes !== undefined, status: bytes ? 200 : 404, arrayBuffer: async () => (bytes ?? new Uint8Array()).slice().buffer };
  };
}

describe("LCBench data download", () => {
  const base = "https://mirror.example/yahpo/";

  it("fetches every file, keeps only lcbench statistics rows, verifies checksums, then serves from the cache", async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), "tunelab-lcbench-"));
    const calls: string[] = [];
    const fetch = fakeFetch(upstreamFiles(), base, calls);
    const dir = await downloadLcbenchData({ cacheDir, baseUrl: base, fetch });
    expect(dir).toBe(cacheDir);
    expect(calls).toHaveLength(LCBENCH_FILES.length);
    // Buffer.equals, not toEqual: a deep-equal walk over 2 MB takes half a minute.
    for (const file of LCBENCH_FILES) expect(readFileSync(join(dir, file.name)).equals(readFileSync(join(REPO_DATA_DIR, file.name))), file.name).toBe(true);
    expect(existsSync(join(dir, "LICENSE-2.0.txt"))).toBe(true);
    // Second use: nothing fetched.
    await downloadLcbenchData({ cacheDir, baseUrl: base, fetch });
    expect(calls).toHaveLength(LCBENCH_FILES.length);
    // A corrupted cached file is fetched again.
    writeFileSync(join(dir, "encoding.json"), "{}");
    await downloadLcbenchData({ cacheDir, baseUrl: base, fetch });
    expect(calls.at(-1)).toBe(`${base}lcbench/encoding.json`);
    expect(await locateLcbenchData({ dataDir: dir })).toBe(dir);
  });

  it("refuses bytes with the wrong checksum and leaves nothing behind", async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), "tunelab-lcbench-"));
    const served = upstreamFiles();
    const model = served.get("lcbench/model.onnx")!.slice();
    model[100] = (model[100]! + 1) % 256;
    served.set("lcbench/model.onnx", model);
    await expect(downloadLcbenchData({ cacheDir, baseUrl: base, fetch: fakeFetch(served, base, []) })).rejects.toThrow(/lcbench\/model.onnx has SHA-256 [0-9a-f]{64}, expected b45c0d85/);
    expect(readdirSync(cacheDir)).not.toContain("model.onnx");
    expect(readdirSync(cacheDir).some((n) => n.includes("partial"))).toBe(false);
  });

  it("reports an HTTP error and a network failure in one line naming the URL", async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), "tunelab-lcbench-"));
    await expect(downloadLcbenchData({ cacheDir, baseUrl: base, fetch: fakeFetch(new Map(), base, []) })).rejects.toThrow(`${base}lcbench/model.onnx answered HTTP 404`);
    const offline: FetchLike = async () => {
      throw new Error("getaddrinfo ENOTFOUND");
    };
    await expect(downloadLcbenchData({ cacheDir, baseUrl: base, fetch: offline })).rejects.toThrow(/cannot fetch .*: getaddrinfo ENOTFOUND/);
  });

  it("downloads over real HTTP with Node's fetch from a local file server", async () => {
    const served = upstreamFiles();
    const server = createServer((req, res) => {
      const bytes = served.get((req.url ?? "").replace(/^\/data\//, ""));
      res.writeHead(bytes ? 200 : 404, { "content-length": bytes ? bytes.length : 9, connection: "close" });
      res.end(bytes ?? "not found");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const cacheDir = mkdtempSync(join(tmpdir(), "tunelab-lcbench-"));
      const dir = await downloadLcbenchData({ cacheDir, baseUrl: `http://127.0.0.1:${port}/data` });
      expect(readFileSync(join(dir, "model.onnx")).equals(readFileSync(join(REPO_DATA_DIR, "model.onnx")))).toBe(true);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it("a given folder with a wrong file is refused, naming the file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tunelab-lcbench-"));
    await expect(locateLcbenchData({ dataDir: dir })).rejects.toThrow(/model.onnx is missing/);
  });
});
