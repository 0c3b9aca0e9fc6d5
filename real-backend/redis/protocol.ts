import type { CheckpointRef, Config, Resources } from "../../core/contracts/index.ts";
import type { TrainableSource } from "../process/process-executor.ts";

/**
 * The driver-worker protocol over Redis, version 1 (docs/architecture/redis.md).
 * Every message carries `v`; the driver ignores a worker registered with another
 * version (and says so once), a worker answers a command of another version with
 * a `refused` reply. Bumped on any change an old peer would misread.
 */
export const REDIS_PROTOCOL_VERSION = 1;

/** What a worker publishes about itself in the workers hash. */
export interface WorkerInfo {
  readonly v: number;
  readonly id: string;
  readonly host: string;
  readonly pid: number;
  readonly cpu: number;
  readonly gpu: number;
  /** GPU device indexes the worker hands out (nvidia-smi's, or 0..gpu-1). */
  readonly gpuIndexes: readonly number[];
}

/** Fields every trial command carries: which driver session and which attempt of the trial it belongs to, and its place in that attempt's order. */
interface TrialCommandBase {
  readonly v: number;
  readonly session: string;
  readonly trialId: string;
  /** The driver's attempt number of this trial in this session (a fresh placement is a new attempt). */
  readonly attempt: number;
  /** 1, 2, ... per attempt: a worker runs each seq once; a repeated seq gets the cached reply again. */
  readonly seq: number;
}

/** Driver to worker (the worker's command stream). */
export type WorkerCommand =
  | {
      readonly v: number;
      readonly type: "open";
      readonly session: string;
      /** The experiment (its directory): a worker closes older sessions of the same experiment (a restarted driver). */
      readonly experiment: string;
      readonly seed: number | string;
      /** Checkpoints and per-trial logs: a path every machine reaches. */
      readonly storageDir: string;
      /** What the experiment names: a module path or a command on the worker's machine. Never code. */
      readonly trainable: TrainableSource;
      readonly reuseActors?: boolean;
      readonly stepTimeoutSeconds?: number;
      readonly maxMemoryMB?: number;
    }
  | { readonly v: number; readonly type: "close"; readonly session: string }
  | (TrialCommandBase & { readonly type: "start"; readonly config: Config; readonly resources: Resources; readonly restoreFrom?: CheckpointRef })
  | (TrialCommandBase & { readonly type: "continue" })
  | (TrialCommandBase & { readonly type: "save" })
  | (TrialCommandBase & { readonly type: "restore"; readonly checkpoint: CheckpointRef; readonly config: Config })
  | (TrialCommandBase & { readonly type: "stop" });

export type TrialCommand = Extract<WorkerCommand, { trialId: string }>;

/** Fields every reply carries: the worker, and the command it answers. */
interface ReplyBase {
  readonly v: number;
  readonly worker: string;
  readonly trialId: string;
  readonly attempt: number;
  readonly seq: number;
}

/** Worker to driver (the session's reply stream). */
export type WorkerReply =
  | (ReplyBase & { readonly type: "result"; readonly iteration: number; readonly metrics: Record<string, number>; readonly timeTotal: number; readonly done: boolean })
  | (ReplyBase & { readonly type: "checkpointed"; readonly checkpoint: CheckpointRef })
  | (ReplyBase & { readonly type: "failed"; readonly reason: string; readonly stack?: string });

/** The Redis keys of one namespace (several clusters may share a Redis under different namespaces). */
export class RedisKeys {
  constructor(readonly namespace: string) {}
  /** Hash: worker id -> WorkerInfo JSON. */
  get workers(): string {
    return `${this.namespace}:workers`;
  }
  /** Hash: worker id -> heartbeat counter (bumped every beat; the driver times changes on its own clock). */
  get heartbeats(): string {
    return `${this.namespace}:heartbeats`;
  }
  /** Set: workers a driver declared lost; a worker that finds itself here drops its actors and registers anew. */
  get lost(): string {
    return `${this.namespace}:lost`;
  }
  /** Stream of commands to one worker (consumer group WORKER_GROUP). */
  commands(workerId: string): string {
    return `${this.namespace}:worker:${workerId}:commands`;
  }
  /** Stream of replies to one driver session (consumer group DRIVER_GROUP). */
  replies(session: string): string {
    return `${this.namespace}:session:${session}:replies`;
  }
  /** Key with a TTL the driver refreshes: gone means the driver died, and workers free its actors. */
  sessionAlive(session: string): string {
    return `${this.namespace}:session:${session}:alive`;
  }
}

export const WORKER_GROUP = "worker";
export const DRIVER_GROUP = "driver";
/** The field of a stream entry that holds the message's JSON. */
export const MESSAGE_FIELD = "m";

/** Parses a stream entry's message; undefined (the caller counts it) when it is not a JSON object with a numeric `v`. */
export function parseMessage(fields: readonly string[]): { v: number; type?: unknown } | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] !== MESSAGE_FIELD) continue;
    try {
      const parsed = JSON.parse(fields[i + 1] as string) as unknown;
      if (typeof parsed === "object" && parsed !== null && typeof (parsed as { v?: unknown }).v === "number") return parsed as { v: number };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The key that makes a result count once: trial, iteration, attempt. */
export function resultKey(trialId: string, attempt: number, iteration: number): string {
  return `${trialId}\u0000${attempt}\u0000${iteration}`;
}
