// Test harness: the private redis-server of real-backend/redis/local-server.ts (loopback, free
// port, AOF, temporary directory), and `describe` for tests that need it.
import { describe, it } from "vitest";
import { REDIS_SERVER } from "../../../real-backend/redis/local-server.ts";

export { REDIS_SERVER, startRedisServer, type RedisServer } from "../../../real-backend/redis/local-server.ts";

/**
 * `describe` for tests that need Redis: skipped with a message when redis-server is not
 * installed here, but failing under CI=true (CI must install it: apt-get install redis-server).
 */
export function describeWithRedis(name: string, body: () => void): void {
  if (REDIS_SERVER !== undefined) {
    describe(name, body);
    return;
  }
  if (process.env["CI"] === "true") {
    describe(name, () => {
      it("needs redis-server", () => {
        throw new Error("redis-server is not installed, and CI=true: install it (apt-get install -y redis-server)");
      });
    });
    return;
  }
  process.stderr.write(`skipping "${name}": redis-server is not installed (apt-get install -y redis-server)\n`);
  describe.skip(name, body);
}
