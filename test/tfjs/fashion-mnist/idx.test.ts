import { describe, expect, it } from "vitest";
import { parseIdx } from "../../../tfjs/fashion-mnist/idx.ts";

function idx(dims: number[], body: number[]): Uint8Array {
  const header = new DataView(new ArrayBuffer(4 + 4 * dims.length));
  header.setUint32(0, 0x0800 | dims.length);
  dims.forEach((d, i) => header.setUint32(4 + 4 * i, d));
  return new Uint8Array([...new Uint8Array(header.buffer), ...body]);
}

describe("idx files", () => {
  it("reads the big-endian header and the bytes after it", () => {
    const parsed = parseIdx(idx([2, 2, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]), "t");
    expect(parsed.shape).toEqual([2, 2, 3]);
    expect([...parsed.data]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it("refuses a wrong magic number, a short body and a tiny file in one line naming the file", () => {
    const bad = idx([3], [1, 2, 3]);
    bad[2] = 0x0d; // float data, not unsigned bytes
    expect(() => parseIdx(bad, "labels")).toThrow("labels: magic 0x00000d01 is not an unsigned-byte idx file");
    expect(() => parseIdx(idx([4], [1, 2, 3]), "labels")).toThrow("labels: idx header says 4 (4 bytes) but the file holds 3");
    expect(() => parseIdx(new Uint8Array([8]), "x")).toThrow("x: 1 bytes is too short for an idx file");
  });
});
