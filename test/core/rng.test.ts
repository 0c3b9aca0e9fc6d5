import { describe, expect, it } from "vitest";
import fc from "fast-check";
import seedrandom from "seedrandom";
import { SavedStateError } from "../../core/contracts/index.ts";
import { Rng, rngFor, streamSeed } from "../../core/rng.ts";

// Rng steps alea itself (its four numbers as fields): it must give seedrandom's numbers bit for bit,
// or every pinned trace digest, saved experiment and seeded figure would move.
describe("Rng", () => {
  it("draws seedrandom's alea sequence, bit for bit, for any seed", () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 1, max: 300 }), (seed, n) => {
        const reference = seedrandom.alea(seed);
        const rng = new Rng(seed);
        for (let i = 0; i < n; i++) expect(Object.is(rng.next(), reference())).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("saves seedrandom's state format and restores mid-stream to the same continuation", () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 0, max: 50 }), fc.integer({ min: 1, max: 50 }), (seed, before, after) => {
        const reference = seedrandom.alea(seed, { state: true });
        const rng = new Rng(seed);
        for (let i = 0; i < before; i++) {
          reference();
          rng.next();
        }
        const saved = rng.save();
        expect(saved.alea).toEqual(reference.state());
        expect(Object.keys(saved.alea)).toEqual(["c", "s0", "s1", "s2"]);
        const expected = Array.from({ length: after }, () => reference());
        // Restored in place, and in a fresh stream built from the JSON of the state.
        for (let i = 0; i < after; i++) rng.next();
        rng.restore(saved);
        const fresh = new Rng(seed, JSON.parse(JSON.stringify(saved)));
        for (const value of expected) {
          expect(Object.is(rng.next(), value)).toBe(true);
          expect(Object.is(fresh.next(), value)).toBe(true);
        }
      }),
      { numRuns: 100 },
    );
  });

  it("refuses a saved state whose numbers alea could not have written, naming it", () => {
    const rng = new Rng("x");
    const bad = { alea: { ...rng.save().alea, s1: 0.1 } };
    expect(() => rng.restore(bad)).toThrow(SavedStateError);
    expect(() => new Rng("x", bad)).toThrow(/alea number 0\.1 is not k \/ 2\^32/);
  });

  it("keeps the spare normal across save and restore, and int and uniform read the same stream", () => {
    const rng = rngFor(7, "test", "t00001");
    const reference = seedrandom.alea(streamSeed(7, "test", "t00001"));
    rng.normal(); // uses two uniforms, leaves a spare
    reference();
    reference();
    const saved = rng.save();
    expect(saved.spare).toBeTypeOf("number");
    const spare = rng.normal();
    rng.restore(saved);
    expect(rng.normal()).toBe(spare);
    expect(rng.int(1000)).toBe(Math.floor(reference() * 1000));
    expect(rng.uniform()).toBe(reference());
  });
});
