import { OptionError } from "../../core/contracts/index.ts";

/** ioredis is loaded on use (a dynamic import), so nothing else in TuneLab pays for it. */
export type RedisClient = import("ioredis").Redis;

/**
 * Checks a Redis URL: `redis://[user:password@]host:port[/db]` or `rediss://` (TLS).
 * The password and TLS are ioredis's: it reads both from the URL.
 */
export function checkRedisUrl(field: string, url: unknown): string {
  if (typeof url !== "string" || url === "") throw new OptionError(field, `must be a Redis URL such as redis://127.0.0.1:6379, got ${JSON.stringify(url)}`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new OptionError(field, `is not a URL: ${JSON.stringify(url)}`);
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") {
    throw new OptionError(field, `must start with redis:// or rediss:// (TLS), got ${JSON.stringify(parsed.protocol)}`);
  }
  if (parsed.hostname === "") throw new OptionError(field, `names no host: ${JSON.stringify(url)}`);
  return url;
}

/**
 * A connection that rides out a Redis restart: commands wait in ioredis's offline
 * queue (no retry limit) and commands in flight when the connection dropped are
 * sent again after it comes back (`autoResendUnfulfilledCommands`, ioredis's
 * default). A re-sent XADD can therefore deliver a message twice: every consumer
 * of ours ignores repeats (see the protocol's attempt and seq).
 */
export async function connectRedis(url: string, name: string, field = "redis"): Promise<RedisClient> {
  const { Redis } = await import("ioredis");
  const client = new Redis(url, {
    maxRetriesPerRequest: null,
    connectionName: name,
    // Reconnect quickly: a Redis restart under AOF takes about a second.
    retryStrategy: (times: number) => Math.min(50 * times, 500),
    lazyConnect: true,
  });
  // Errors while reconnecting are expected during a Redis restart; the commands wait for the connection.
  let firstError: Error | undefined;
  client.on("error", (error: Error) => {
    firstError ??= error;
  });
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    client.disconnect();
    // The socket's own error (ECONNREFUSED, WRONGPASS) says more than ioredis's "Connection is closed".
    throw new OptionError(field, `cannot reach ${redactUrl(url)}: ${(firstError ?? (error as Error)).message}`);
  }
  return client;
}

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== "") parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparsable URL)";
  }
}
