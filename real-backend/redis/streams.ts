import type { RedisClient } from "./connection.ts";

export type StreamEntry = [id: string, fields: string[]];

/** How long a blocking read waits before it returns empty (and the reader checks whether it should stop). */
const BLOCK_MS = 1000;
const BATCH = 256;

/**
 * New entries of `stream` for `consumer` of `group` (XREADGROUP ... >), waiting up
 * to a second. Entries read stay pending (XPENDING) until the caller acknowledges
 * them, so a consumer that dies holding them leaves them to be claimed.
 */
export async function readStream(client: RedisClient, stream: string, group: string, consumer: string): Promise<StreamEntry[]> {
  const answer = (await client.xreadgroup("GROUP", group, consumer, "COUNT", BATCH, "BLOCK", BLOCK_MS, "STREAMS", stream, ">")) as [string, StreamEntry[]][] | null;
  return answer?.[0]?.[1] ?? [];
}
