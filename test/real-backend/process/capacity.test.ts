import { availableParallelism } from "node:os";
import { describe, expect, it } from "vitest";
import { detectCapacity, detectGpus, type CommandRunner } from "../../../real-backend/process/capacity.ts";

describe("capacity detection", () => {
  it("reads GPUs from nvidia-smi's CSV and all CPUs from availableParallelism", () => {
    const calls: string[] = [];
    const smi: CommandRunner = (command, args) => {
      calls.push([command, ...args].join(" "));
      return "0, 81559 MiB\n1, 81559 MiB\n3, 40960 MiB\n";
    };
    expect(detectCapacity(smi)).toEqual({
      cpu: availableParallelism(),
      gpus: [
        { index: 0, memoryMB: 81559 },
        { index: 1, memoryMB: 81559 },
        { index: 3, memoryMB: 40960 },
      ],
    });
    expect(calls).toEqual(["nvidia-smi --query-gpu=index,memory.total --format=csv,noheader"]);
  });

  it("no nvidia-smi (or a failing one) means no GPU", () => {
    expect(detectGpus(() => undefined)).toEqual([]);
    expect(detectGpus(() => "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver\n")).toEqual([]);
  });
});
