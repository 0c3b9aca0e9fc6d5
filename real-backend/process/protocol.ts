import type { Config } from "../../core/contracts/index.ts";

/**
 * The trial protocol, version 1 (docs/protocol.md): JSON lines on two pipes the
 * trainable's own prints never touch: the driver writes commands to the child's
 * file descriptor 3 and reads replies from its descriptor 4. The Node worker host
 * and the Python helper are its two client libraries.
 */
export const PROTOCOL_VERSION = 1;
/** How much of an offending line an error message quotes. */
const QUOTE_CHARS = 160;

/** Driver to trainable. */
export type Command =
  | {
      readonly type: "start";
      readonly version: number;
      readonly trialId: string;
      readonly config: Config;
      /** Seed string of the trial's random stream (core/rng.ts `streamSeed`): a trainable seeds its own generator from it. */
      readonly seed: string;
      /** A checkpoint directory to restore before the first step, or null. */
      readonly restoreDir: string | null;
      /** Iterations already done: 0, or the restored checkpoint's iteration. */
      readonly iteration: number;
      /** The trial's own saved random state (opaque to the driver) when restoring its own checkpoint; absent otherwise. */
      readonly rng?: unknown;
    }
  | { readonly type: "continue" }
  | { readonly type: "save"; readonly dir: string }
  | { readonly type: "restore"; readonly dir: string; readonly config: Config; readonly iteration: number; readonly rng?: unknown }
  | { readonly type: "stop" };

/** Trainable to driver. */
export type Reply =
  | { readonly type: "ready"; readonly version: number; readonly reuse: boolean }
  | { readonly type: "result"; readonly metrics: Record<string, number>; readonly done: boolean }
  | { readonly type: "saved"; readonly rng?: unknown }
  | { readonly type: "error"; readonly message: string };

/** A line that breaks the protocol; its message is one line and quotes the line, cut short. */
export class ProtocolViolation extends Error {
  constructor(problem: string, line: string) {
    super(`protocol error: ${problem} in line ${quote(line)}`);
  }
}

export function quote(line: string): string {
  const flat = line.replace(/\s+/g, " ").trim();
  return JSON.stringify(flat.length > QUOTE_CHARS ? `${flat.slice(0, QUOTE_CHARS)}...` : flat);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Parses and checks one reply line from a trainable; throws ProtocolViolation when it is not a valid reply. */
export function parseReply(line: string): Reply {
  let msg: unknown;
  try {
    msg = JSON.parse(line);
  } catch {
    throw new ProtocolViolation("malformed JSON", line);
  }
  if (!isRecord(msg)) throw new ProtocolViolation("a message must be a JSON object", line);
  const type = msg["type"];
  switch (type) {
    case "ready": {
      const version = msg["version"];
      if (typeof version !== "number") throw new ProtocolViolation('missing field "version" (a number)', line);
      if (version !== PROTOCOL_VERSION) throw new ProtocolViolation(`protocol version ${version} is not supported (this driver speaks ${PROTOCOL_VERSION})`, line);
      const reuse = msg["reuse"] ?? false;
      if (typeof reuse !== "boolean") throw new ProtocolViolation('field "reuse" must be a boolean', line);
      return { type, version, reuse };
    }
    case "result": {
      const metrics = msg["metrics"];
      if (!isRecord(metrics)) throw new ProtocolViolation('missing field "metrics" (an object of numbers)', line);
      for (const [name, value] of Object.entries(metrics)) {
        if (typeof value !== "number" || !Number.isFinite(value)) throw new ProtocolViolation(`metric "${name}" is not a finite number`, line);
      }
      const done = msg["done"] ?? false;
      if (typeof done !== "boolean") throw new ProtocolViolation('field "done" must be a boolean', line);
      return { type, metrics: metrics as Record<string, number>, done };
    }
    case "saved":
      return "rng" in msg ? { type, rng: msg["rng"] } : { type };
    case "error": {
      const message = msg["message"];
      if (typeof message !== "string") throw new ProtocolViolation('missing field "message" (a string)', line);
      return { type, message };
    }
    case undefined:
      throw new ProtocolViolation('missing field "type"', line);
    default:
      throw new ProtocolViolation(`unknown message type ${JSON.stringify(type)}`, line);
  }
}

/** One command as a line. */
export function encodeCommand(command: Command): string {
  return `${JSON.stringify(command)}\n`;
}
