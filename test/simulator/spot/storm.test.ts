import { describe, expect, it } from "vitest";
import { Rng } from "../../../core/rng.ts";
import { checkStorm, parseStorm, pickVictims, stormVictims } from "../../../simulator/spot/index.ts";

describe("storms", () => {
  it("parses FRACTION@SECONDS[:TYPE]", () => {
    expect(parseStorm("--storm", "0.9@600")).toEqual({ fraction: 0.9, atSeconds: 600 });
    expect(parseStorm("--storm", "0.5@3600:gpu8")).toEqual({ fraction: 0.5, atSeconds: 3600, nodeType: "gpu8" });
  });

  it("refuses malformed storms in one line naming the flag", () => {
    expect(() => parseStorm("--storm", "90%")).toThrow("--storm: must be FRACTION@SECONDS[:TYPE], e.g. 0.9@600, got \"90%\"");
    expect(() => parseStorm("--storm", "1.5@600")).toThrow("--storm: fraction must be in (0, 1], got \"1.5\"");
    expect(() => parseStorm("--storm", "0.5@-1")).toThrow("--storm: time must be seconds >= 0");
    expect(() => checkStorm("cluster.storms[0]", { atSeconds: 10, fraction: 0 })).toThrow("cluster.storms[0].fraction: must be a finite number > 0 and <= 1, got 0");
  });

  it("takes round(fraction x n) distinct victims, the same for the same stream", () => {
    const nodes = Array.from({ length: 10 }, (_, i) => i);
    const a = stormVictims(nodes, 0.9, new Rng("s"));
    expect(a).toHaveLength(9);
    expect(new Set(a).size).toBe(9);
    expect(stormVictims(nodes, 0.9, new Rng("s"))).toEqual(a);
    expect(stormVictims(nodes, 0.04, new Rng("s"))).toHaveLength(0);
    expect(pickVictims(nodes, 20, new Rng("s"))).toHaveLength(10);
  });

  it("chooses every node equally often", () => {
    const rng = new Rng("uniform");
    const hits = new Array(5).fill(0) as number[];
    for (let i = 0; i < 5000; i++) for (const v of pickVictims([0, 1, 2, 3, 4], 2, rng)) hits[v]!++;
    // Each node is chosen with probability 2/5: 2000 times, sd about 35.
    for (const h of hits) expect(Math.abs(h - 2000)).toBeLessThan(150);
  });
});
