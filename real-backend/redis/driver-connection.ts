import { randomUUID } from "node:crypto";
import { OptionError } from "../../core/contracts/index.ts";
import { integerAtLeast, nonEmptyString, positiveNumber } from "../../core/errors/option-checks.ts";
import { checkRedisUrl, connectRedis, redactUrl, type RedisClient } from "./connection.ts";
import { DRIVER_GROUP, REDIS_PROTOCOL_VERSION, RedisKeys, type WorkerInfo } from "./protocol.ts";

/** How a driver reaches the workers. */
export interface RedisDriverOptions {
  /** redis://[user:password@]host:port[/db] or rediss:// (TLS). */
  url: string;
  /** Keys prefix shared with the workers (`tunelab worker --namespace`). @defaultValue "tunelab" */
  namespace?: string;
  /** A worker whose heartbeat has not changed for this long (on the driver's clock, while Redis answers) is lost. @defaultValue 10 */
  workerTimeoutSeconds?: number;
  /** How often the driver reads the workers' heartbeats. @defaultValue 250 */
  pollMs?: number;
  /** At the start, and whenever nothing runs, how long to wait for a worker that can take the waiting trials. @defaultValue 60 */
  waitForWorkersSeconds?: number;
}

export interface CheckedDriverOptions {
  readonly url: string;
  readonly namespace: string;
  readonly workerTimeoutSeconds: number;
  readonly pollMs: number;
  readonly waitForWorkersSeconds: number;
}

export function checkDriverOptions(given: RedisDriverOptions | string): CheckedDriverOptions {
  const options = typeof given === "string" ? { url: given } : given;
  if (typeof options !== "object" || options === null) throw new OptionError("redis", "must be a Redis URL or { url, ... }");
  return {
    url: checkRedisUrl("redis.url", options.url),
    namespace: options.namespace === undefined ? "tunelab" : nonEmptyString("redis.namespace", options.namespace),
    workerTimeoutSeconds: options.workerTimeoutSeconds === undefined ? 10 : positiveNumber("redis.workerTimeoutSeconds", options.workerTimeoutSeconds),
    pollMs: options.pollMs === undefined ? 250 : integerAtLeast("redis.pollMs", options.pollMs, 10),
    waitForWorkersSeconds: options.waitForWorkersSeconds === undefined ? 60 : positiveNumber("redis.waitForWorkersSeconds", options.waitForWorkersSeconds),
  };
}

/**
 * A driver session's connections to Redis, opened before the experiment is built
 * (the engine builds executors synchronously, and asks at once whether any machine
 * could ever hold a trial: the workers must be known by then). One connection sends,
 * one blocks on the session's reply stream.
 */
export class RedisDriverConnection {
  private constructor(
    readonly options: CheckedDriverOptions,
    readonly keys: RedisKeys,
    readonly session: string,
    readonly client: RedisClient,
    readonly reader: RedisClient,
    /** The workers registered when the connection opened (with their protocol versions unchecked). */
    readonly initialWorkers: ReadonlyMap<string, WorkerInfo>,
  ) {}

  /** Connects and waits (up to waitForWorkersSeconds) until at least one worker of this protocol version is registered. */
  static async open(given: RedisDriverOptions | string): Promise<RedisDriverConnection> {
    const options = checkDriverOptions(given);
    const keys = new RedisKeys(options.namespace);
    const session = randomUUID();
    const client = await connectRedis(options.url, "tunelab-driver", "redis.url");
    const reader = await connectRedis(options.url, "tunelab-driver-reader", "redis.url").catch((error: unknown) => {
      client.disconnect();
      throw error;
    });
    try {
      await client.xgroup("CREATE", keys.replies(session), DRIVER_GROUP, "0", "MKSTREAM");
      const deadline = performance.now() + options.waitForWorkersSeconds * 1000;
      for (;;) {
        const workers = await readWorkers(client, keys);
        if ([...workers.values()].some((w) => w.v === REDIS_PROTOCOL_VERSION)) return new RedisDriverConnection(options, keys, session, client, reader, workers);
        if (performance.now() > deadline) {
          const others = [...workers.values()].map((w) => `${w.id} speaks version ${w.v}`);
          throw new OptionError(
            "redis",
            `no worker of protocol version ${REDIS_PROTOCOL_VERSION} joined ${redactUrl(options.url)} (namespace "${options.namespace}") within ${options.waitForWorkersSeconds} s` +
              (others.length > 0 ? ` (${others.join("; ")})` : "; start one with: tunelab worker --redis URL"),
          );
        }
        await new Promise((r) => setTimeout(r, options.pollMs));
      }
    } catch (error) {
      client.disconnect();
      reader.disconnect();
      throw error;
    }
  }

  close(): void {
    this.reader.disconnect();
    this.client.disconnect();
  }
}

/** The workers hash, parsed; entries that are not JSON objects are skipped. */
export async function readWorkers(client: RedisClient, keys: RedisKeys): Promise<Map<string, WorkerInfo>> {
  return parseWorkers(await client.hgetall(keys.workers));
}

export function parseWorkers(raw: Record<string, string>): Map<string, WorkerInfo> {
  const workers = new Map<string, WorkerInfo>();
  for (const [id, text] of Object.entries(raw)) {
    try {
      const info = JSON.parse(text) as WorkerInfo;
      if (typeof info === "object" && info !== null && typeof info.v === "number") workers.set(id, { ...info, id });
    } catch {
      // A foreign or torn entry: not a worker of ours.
    }
  }
  return workers;
}
