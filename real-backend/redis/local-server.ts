// A private redis-server (Debian's package) on loopback, on a free port, with AOF persistence,
// in a temporary directory: for the Redis tests' harness and the throughput benchmark. It is
// stopped with the process that started it (even on an uncaught error), and killed by the next
// start if that process was SIGKILLed without stopping it.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The redis-server binary, or undefined when it is not installed. */
export const REDIS_SERVER: string | undefined = ["/usr/bin/redis-server", "/usr/local/bin/redis-server"].find(existsSync) ?? which("redis-server");

/** Where each server started here is recorded (owner pid, server pid), so a later start can kill orphans. */
const RECORDS = join(tmpdir(), "tunelab-redis-harness");

export interface RedisServer {
  readonly port: number;
  readonly url: string;
  readonly dir: string;
  readonly pid: number;
  /** SIGTERM (Redis flushes the AOF and exits), then the same server again on the same port and data. */
  restart(): Promise<void>;
  /** SIGTERM and wait; kills with SIGKILL after 5 s. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * `describe` for tests that need Redis: skipped with a message when redis-server is not
 * installed here, but failing under CI=true (CI must install it: apt-get install redis-server).
 */
export async function startRedisServer(options: { password?: string } = {}): Promise<RedisServer> {
  if (REDIS_SERVER === undefined) throw new Error("redis-server is not installed");
  killOrphans();
  const dir = mkdtempSync(join(tmpdir(), "tunelab-redis-"));
  let port = await freePort();
  let child: ChildProcess | undefined;
  for (let tries = 0; child === undefined; tries++) {
    try {
      child = await launch(port, dir, options.password);
    } catch (error) {
      if (tries >= 3) throw error;
      port = await freePort(); // taken between the probe and the bind: another port
    }
  }
  let current = child;
  const auth = options.password === undefined ? "" : `:${encodeURIComponent(options.password)}@`;
  const server: RedisServer = {
    port,
    url: `redis://${auth}127.0.0.1:${port}`,
    dir,
    get pid() {
      return current.pid as number;
    },
    async restart() {
      await terminate(current);
      current = await launch(port, dir, options.password);
    },
    async stop() {
      await terminate(current);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return server;
}

async function launch(port: number, dir: string, password: string | undefined): Promise<ChildProcess> {
  const args = [
    "--port", String(port),
    "--bind", "127.0.0.1",
    "--dir", dir,
    "--appendonly", "yes",
    "--save", "",
    "--daemonize", "no",
    "--logfile", join(dir, "redis.log"),
    ...(password === undefined ? [] : ["--requirepass", password]),
  ];
  const child = spawn(REDIS_SERVER as string, args, { stdio: "ignore" });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  record(child.pid as number);
  // The starting process exiting (even on an uncaught error) takes the server with it.
  const onExit = () => child.kill("SIGKILL");
  process.once("exit", onExit);
  child.once("exit", () => {
    process.off("exit", onExit);
    unrecord(child.pid as number);
  });
  const deadline = Date.now() + 10_000;
  for (;;) {
    const early = await Promise.race([exited, new Promise<"running">((r) => setTimeout(() => r("running"), 50))]);
    if (early !== "running") {
      const log = existsSync(join(dir, "redis.log")) ? readFileSync(join(dir, "redis.log"), "utf8").split("\n").slice(-5).join(" | ") : "";
      throw new Error(`redis-server exited with ${early} on port ${port}: ${log}`);
    }
    if (await answersPing(port)) return child;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`redis-server did not answer PING on port ${port} within 10 s`);
    }
  }
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await gone;
  clearTimeout(timer);
}

/** PING on a raw socket: +PONG, or -NOAUTH when a password is set; either way the server is up. */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once("error", () => done(false));
    socket.once("data", (data) => done(/^(\+PONG|-NOAUTH)/.test(data.toString())));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.setTimeout(1000, () => done(false));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

function record(pid: number): void {
  mkdirSync(RECORDS, { recursive: true });
  writeFileSync(join(RECORDS, `${pid}.json`), JSON.stringify({ owner: process.pid, pid }));
}

function unrecord(pid: number): void {
  rmSync(join(RECORDS, `${pid}.json`), { force: true });
}

/** Servers whose starting process died without stopping them (SIGKILL, OOM): killed now. */
function killOrphans(): void {
  if (!existsSync(RECORDS)) return;
  for (const file of readdirSync(RECORDS)) {
    try {
      const { owner, pid } = JSON.parse(readFileSync(join(RECORDS, file), "utf8")) as { owner: number; pid: number };
      if (alive(owner)) continue;
      const cmdline = existsSync(`/proc/${pid}/cmdline`) ? readFileSync(`/proc/${pid}/cmdline`, "utf8") : "";
      if (cmdline.includes("redis-server")) process.kill(pid, "SIGKILL");
      rmSync(join(RECORDS, file), { force: true });
    } catch {
      rmSync(join(RECORDS, file), { force: true });
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function which(name: string): string | undefined {
  const found = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" });
  return found.status === 0 && found.stdout.trim() !== "" ? found.stdout.trim() : undefined;
}
