/**
 * The idx format of (Fashion-)MNIST: a big-endian header (magic 0x0000080n with n
 * dimensions, then n sizes), then unsigned bytes. Only what these files use.
 */
export interface IdxArray {
  readonly shape: readonly number[];
  readonly data: Uint8Array;
}

/** Parses idx bytes; throws a one-line reason for anything else (naming `what`). */
export function parseIdx(bytes: Uint8Array, what: string): IdxArray {
  if (bytes.length < 4) throw new Error(`${what}: ${bytes.length} bytes is too short for an idx file`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  const dims = magic & 0xff;
  if (magic >>> 8 !== 0x08 || dims < 1 || dims > 3) throw new Error(`${what}: magic 0x${magic.toString(16).padStart(8, "0")} is not an unsigned-byte idx file`);
  const headerBytes = 4 + 4 * dims;
  if (bytes.length < headerBytes) throw new Error(`${what}: truncated idx header`);
  const shape = Array.from({ length: dims }, (_, i) => view.getUint32(4 + 4 * i));
  const size = shape.reduce((a, b) => a * b, 1);
  if (bytes.length !== headerBytes + size) throw new Error(`${what}: idx header says ${shape.join("x")} (${size} bytes) but the file holds ${bytes.length - headerBytes}`);
  return { shape, data: bytes.subarray(headerBytes) };
}
