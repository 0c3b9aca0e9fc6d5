import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { OptionError } from "../../../core/contracts/index.ts";
import { allocationEnv, ResourceAllocator, type Allocation } from "../../../real-backend/process/resource-allocator.ts";

const machine = { cpu: 8, gpus: [{ index: 0 }, { index: 1 }, { index: 2 }] };

describe("ResourceAllocator", () => {
  it("shares a GPU between fractional requests and gives whole requests whole, unshared devices", () => {
    const a = new ResourceAllocator(machine);
    const quarter1 = a.allocate({ cpu: 1, gpu: 0.25 });
    const quarter2 = a.allocate({ cpu: 1, gpu: 0.25 });
    // Best fit: the second quarter joins the first on device 0, keeping 1 and 2 whole.
    expect(quarter1?.gpus).toEqual([{ index: 0, share: 0.25 }]);
    expect(quarter2?.gpus).toEqual([{ index: 0, share: 0.25 }]);
    const two = a.allocate({ cpu: 2, gpu: 2 });
    expect(two?.gpus.map((g) => g.index)).toEqual([1, 2]);
    expect(a.allocate({ cpu: 1, gpu: 1 })).toBeUndefined(); // no whole device left
    expect(a.allocate({ cpu: 1, gpu: 0.5 })?.gpus).toEqual([{ index: 0, share: 0.5 }]);
    expect(a.allocate({ cpu: 1, gpu: 0.1 })).toBeUndefined(); // device 0 is full
    expect(a.allocate({ cpu: 5, gpu: 0 })).toBeUndefined(); // 5 of 8 CPUs are taken, 3 left
    expect(allocationEnv(two as Allocation)).toEqual({ CUDA_VISIBLE_DEVICES: "1,2", OMP_NUM_THREADS: "2" });
    expect(allocationEnv({ cpu: 0.5, gpus: [] })).toEqual({ CUDA_VISIBLE_DEVICES: "", OMP_NUM_THREADS: "1" });
    a.release(two as Allocation);
    expect(a.allocate({ cpu: 1, gpu: 1 })?.gpus).toEqual([{ index: 1, share: 1 }]);
  });

  it("three thirds fill one GPU exactly (shares compare with a tolerance)", () => {
    const a = new ResourceAllocator({ cpu: 3, gpus: [{ index: 0 }] });
    for (let k = 0; k < 3; k++) expect(a.allocate({ cpu: 1, gpu: 1 / 3 })).toBeDefined();
    expect(a.gpuInUse(0)).toBeCloseTo(1, 12);
  });

  it("refuses impossible shapes with the field named", () => {
    const a = new ResourceAllocator(machine);
    expect(() => a.allocate({ cpu: 1, gpu: 1.5 })).toThrow(new OptionError("resources.gpu", "a request above one GPU must be a whole number of GPUs, got 1.5"));
    expect(() => a.allocate({ cpu: -1, gpu: 0 })).toThrow(/resources\.cpu: must be a finite number >= 0, got -1/);
    expect(() => a.allocate({ cpu: Number.NaN, gpu: 0 })).toThrow(/resources\.cpu/);
  });

  it("never over-commits a CPU or a GPU, whatever the sizes and the start/stop order", () => {
    const request = fc.record({
      cpu: fc.constantFrom(0, 0.5, 1, 2, 3),
      gpu: fc.constantFrom(0, 0.1, 0.25, 1 / 3, 0.5, 1, 2, 3),
    });
    // Each op starts a trial of some size, or stops the k-th running one.
    const op = fc.oneof(fc.record({ start: request }), fc.record({ stop: fc.nat() }));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 8 }), fc.array(op, { maxLength: 60 }), (gpuCount, cpu, ops) => {
        const gpus = Array.from({ length: gpuCount }, (_, index) => ({ index }));
        const a = new ResourceAllocator({ cpu, gpus });
        const running: Allocation[] = [];
        for (const o of ops) {
          if ("start" in o) {
            const fits = a.fits(o.start);
            const got = a.allocate(o.start);
            expect(got !== undefined).toBe(fits);
            if (got) {
              expect(got.cpu).toBe(o.start.cpu);
              expect(got.gpus.reduce((s, g) => s + g.share, 0)).toBeCloseTo(o.start.gpu, 12);
              // A whole-GPU request never shares a device.
              if (o.start.gpu >= 1) for (const g of got.gpus) expect(g.share).toBe(1);
              expect(new Set(got.gpus.map((g) => g.index)).size).toBe(got.gpus.length);
              running.push(got);
            }
          } else if (running.length > 0) {
            a.release(running.splice(o.stop % running.length, 1)[0] as Allocation);
          }
          // The invariant, recomputed from what is running (not from the allocator's own books).
          const cpuUsed = running.reduce((s, r) => s + r.cpu, 0);
          expect(cpuUsed).toBeLessThanOrEqual(cpu + 1e-9);
          for (const g of gpus) {
            const used = running.flatMap((r) => r.gpus).filter((x) => x.index === g.index);
            expect(used.reduce((s, x) => s + x.share, 0)).toBeLessThanOrEqual(1 + 1e-9);
            if (used.some((x) => x.share === 1)) expect(used).toHaveLength(1);
          }
          expect(a.cpuInUse).toBeCloseTo(cpuUsed, 9);
        }
      }),
    );
  });
});
