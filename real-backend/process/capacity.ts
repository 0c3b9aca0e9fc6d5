import { spawnSync } from "node:child_process";
import { availableParallelism } from "node:os";
import type { GpuDevice, MachineCapacity } from "./resource-allocator.ts";

/** Runs a command and returns its stdout, or undefined when it does not exist or fails. */
export type CommandRunner = (command: string, args: readonly string[]) => string | undefined;

export const runCommand: CommandRunner = (command, args) => {
  const out = spawnSync(command, args, { encoding: "utf8", timeout: 10_000 });
  if (out.error !== undefined || out.status !== 0) return undefined;
  return out.stdout;
};

/** GPUs as nvidia-smi lists them; none when nvidia-smi is missing or fails. */
export function detectGpus(run: CommandRunner = runCommand): GpuDevice[] {
  const out = run("nvidia-smi", ["--query-gpu=index,memory.total", "--format=csv,noheader"]);
  if (out === undefined) return [];
  const gpus: GpuDevice[] = [];
  for (const line of out.split("\n")) {
    // "0, 81559 MiB"
    const match = /^\s*(\d+)\s*,\s*(\d+(?:\.\d+)?)\s*MiB\s*$/i.exec(line);
    if (match) gpus.push({ index: Number(match[1]), memoryMB: Number(match[2]) });
  }
  return gpus;
}

/** This machine: all its CPUs (os.availableParallelism) and the GPUs nvidia-smi reports. */
export function detectCapacity(run: CommandRunner = runCommand): MachineCapacity {
  return { cpu: availableParallelism(), gpus: detectGpus(run) };
}
