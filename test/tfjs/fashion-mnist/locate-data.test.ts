/**
 * The download path with a small fixture of idx files served by a local HTTP
 * server (no internet, no Debian package): the same code as the real files, with
 * the fixture's checksums. One test reads Debian's copy when it is installed.
 */
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { sha256 } from "../../../benchmarks/data/checksummed-download.ts";
import { DEBIAN_FASHION_MNIST_DIR, FASHION_MNIST_FILES, type FashionMnistFile } from "../../../tfjs/fashion-mnist/data-files.ts";
import { loadFashionMnist, PIXELS } from "../../../tfjs/fashion-mnist/dataset.ts";
import { locateFashionMnist, readFashionMnistFile } from "../../../tfjs/fashion-mnist/locate-data.ts";

const HINT = "install Debian's dataset-fashion-mnist (apt-get install dataset-fashion-mnist)";
const ROWS = 12;

function idx(dims: number[], body: Uint8Array): Uint8Array {
  const header = new DataView(new ArrayBuffer(4 + 4 * dims.length));
  header.setUint32(0, 0x0800 | dims.length);
  dims.forEach((d, i) => header.setUint32(4 + 4 * i, d));
  return new Uint8Array([...new Uint8Array(header.buffer), ...body]);
}

/** 12 "images" whose pixels are their row number, labels row % 10: the four files, as idx bytes. */
function fixture(): { files: FashionMnistFile[]; raw: Map<string, Uint8Array> } {
  const raw = new Map<string, Uint8Array>();
  const files = FASHION_MNIST_FILES.map((f) => {
    const bytes =
      f.kind === "images"
        ? idx([ROWS, 28, 28], Uint8Array.from({ length: ROWS * PIXELS }, (_, i) => Math.floor(i / PIXELS) * 20))
        : idx([ROWS], Uint8Array.from({ length: ROWS }, (_, i) => i % 10));
    raw.set(f.name, bytes);
    return { ...f, sha256: sha256(bytes) };
  });
  return { files, raw };
}

async function withServer(serve: (path: string) => Uint8Array | undefined, body: (base: string, requested: string[]) => Promise<void>): Promise<void> {
  const requested: string[] = [];
  const server = createServer((req, res) => {
    requested.push(req.url ?? "");
    const bytes = serve((req.url ?? "").replace(/^\/fashion\//, ""));
    res.writeHead(bytes ? 200 : 404, { "content-length": bytes ? bytes.length : 9, connection: "close" });
    res.end(bytes ?? "not found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    await body(`http://127.0.0.1:${(server.address() as AddressInfo).port}/fashion/`, requested);
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

const noDebian = () => mkdtempSync(join(tmpdir(), "tunelab-no-debian-"));

describe("Fashion-MNIST data", () => {
  it("downloads the .gz files over HTTP, checks the idx bytes' SHA-256, caches them decompressed, then fetches nothing", async () => {
    const { files, raw } = fixture();
    const cacheDir = mkdtempSync(join(tmpdir(), "tunelab-fmnist-"));
    await withServer(
      (path) => {
        const bytes = raw.get(path.replace(/\.gz$/, ""));
        return bytes && gzipSync(bytes);
      },
      async (baseUrl, requested) => {
        const options = { cacheDir, baseUrl, files, debianDir: noDebian() };
        expect(await locateFashionMnist(options)).toBe(cacheDir);
        expect(requested.sort()).toEqual(files.map((f) => `/fashion/${f.gzName}`).sort());
        expect(readdirSync(cacheDir).sort()).toEqual(files.map((f) => f.name).sort());
        await locateFashionMnist(options);
        expect(requested).toHaveLength(4);
        const splits = loadFashionMnist(cacheDir, { trainRows: 8, validationRows: 4 }, files);
        expect(splits.train.rows).toBe(8);
        // Validation is the file's last rows (8..11), training its first.
        expect([...splits.validation.labels]).toEqual([8, 9, 0, 1]);
        expect(splits.validation.images[0]).toBeCloseTo((8 * 20) / 255, 6);
        expect(() => loadFashionMnist(cacheDir, { trainRows: 10, validationRows: 4 }, files)).toThrow("trainRows: plus validationRows must be at most 12 (the training file's rows), got 10 + 4");
      },
    );
  });

  it("refuses a corrupt download in one line that says how to install the data, and keeps nothing", async () => {
    const { files, raw } = fixture();
    const cacheDir = mkdtempSync(join(tmpdir(), "tunelab-fmnist-"));
    await withServer(
      (path) => {
        const bytes = raw.get(path.replace(/\.gz$/, ""))?.slice();
        if (bytes && path.startsWith("train-labels")) bytes[10] = 7;
        return bytes && gzipSync(bytes);
      },
      async (baseUrl) => {
        const error = await locateFashionMnist({ cacheDir, baseUrl, files, debianDir: noDebian() }).catch((e: Error) => e);
        expect((error as Error).message).toMatch(/^Fashion-MNIST: http:\/\/127\.0\.0\.1:\d+\/fashion\/train-labels-idx1-ubyte\.gz has SHA-256 [0-9a-f]{64}, expected [0-9a-f]{64} \(changed upstream or corrupted; nothing was kept\); install Debian's/);
        expect((error as Error).message).not.toContain("\n");
        expect(existsSync(join(cacheDir, "train-labels-idx1-ubyte"))).toBe(false);
      },
    );
    await withServer(
      () => undefined,
      async (baseUrl) => {
        await expect(locateFashionMnist({ cacheDir: mkdtempSync(join(tmpdir(), "tunelab-fmnist-")), baseUrl, files, debianDir: noDebian() })).rejects.toThrow(/answered HTTP 404; install Debian's/);
      },
    );
  });

  it("a missing or corrupt file in a data folder is a one-line error with the install hint", () => {
    const { files, raw } = fixture();
    const dir = mkdtempSync(join(tmpdir(), "tunelab-fmnist-"));
    const images = files[0]!;
    expect(() => readFashionMnistFile(dir, images)).toThrow(`Fashion-MNIST: ${join(dir, images.gzName)} is missing; ${HINT}`);
    writeFileSync(join(dir, images.gzName), "not gzip");
    expect(() => readFashionMnistFile(dir, images)).toThrow(new RegExp(`^Fashion-MNIST: ${join(dir, images.gzName)} is corrupt \\(.*\\); install Debian's`));
    const labels = files[1]!;
    writeFileSync(join(dir, labels.gzName), gzipSync(raw.get(files[3]!.name)!.subarray(0, 10)));
    expect(() => readFashionMnistFile(dir, labels)).toThrow(/is corrupt \(SHA-256 [0-9a-f]{12}\.\.\., expected [0-9a-f]{12}\.\.\.\); install Debian's/);
  });

  it.skipIf(!existsSync(join(DEBIAN_FASHION_MNIST_DIR, "train-labels-idx1-ubyte.gz")))("finds Debian's copy when nothing else is named, and its labels match the published checksum", async () => {
    expect(await locateFashionMnist({ download: false })).toBe(process.env.TUNELAB_FASHION_MNIST_DIR ?? DEBIAN_FASHION_MNIST_DIR);
    expect(readFashionMnistFile(DEBIAN_FASHION_MNIST_DIR, FASHION_MNIST_FILES[1]!).length).toBe(60_008);
  });
});
