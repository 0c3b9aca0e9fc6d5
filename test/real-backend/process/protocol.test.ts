import { describe, expect, it } from "vitest";
import { encodeCommand, parseReply, PROTOCOL_VERSION, quote } from "../../../real-backend/process/protocol.ts";

describe("trial protocol v1: reply parsing", () => {
  it("reads every reply type, filling the optional fields' defaults", () => {
    expect(parseReply('{"type":"ready","version":1}')).toEqual({ type: "ready", version: 1, reuse: false });
    expect(parseReply('{"type":"ready","version":1,"reuse":true,"extra":"ignored"}')).toEqual({ type: "ready", version: 1, reuse: true });
    expect(parseReply('{"type":"result","metrics":{"loss":0.5,"acc":1}}')).toEqual({ type: "result", metrics: { loss: 0.5, acc: 1 }, done: false });
    expect(parseReply('{"type":"result","metrics":{},"done":true}')).toEqual({ type: "result", metrics: {}, done: true });
    expect(parseReply('{"type":"saved"}')).toEqual({ type: "saved" });
    expect(parseReply('{"type":"saved","rng":{"alea":[1]}}')).toEqual({ type: "saved", rng: { alea: [1] } });
    expect(parseReply('{"type":"error","message":"boom"}')).toEqual({ type: "error", message: "boom" });
  });

  it.each([
    ["[1,2]", "a message must be a JSON object"],
    ['"result"', "a message must be a JSON object"],
    ['{"metrics":{}}', 'missing field "type"'],
    ['{"type":"ready"}', 'missing field "version" (a number)'],
    ['{"type":"ready","version":1,"reuse":"yes"}', 'field "reuse" must be a boolean'],
    ['{"type":"result","metrics":[1]}', 'missing field "metrics" (an object of numbers)'],
    ['{"type":"result","metrics":{"loss":null}}', 'metric "loss" is not a finite number'],
    ['{"type":"result","metrics":{"loss":"0.5"}}', 'metric "loss" is not a finite number'],
    ['{"type":"result","metrics":{"loss":1},"done":"no"}', 'field "done" must be a boolean'],
    ['{"type":"error"}', 'missing field "message" (a string)'],
    ['{"type":"result","metrics":{"loss":NaN}}', "malformed JSON"],
  ])("refuses %s: %s", (line, problem) => {
    expect(() => parseReply(line)).toThrow(`protocol error: ${problem} in line ${quote(line)}`);
  });

  it("quotes an offending line on one line, cut to 160 characters", () => {
    expect(quote("a\nb\tc")).toBe('"a b c"');
    const q = quote("x".repeat(1000));
    expect(JSON.parse(q)).toBe(`${"x".repeat(160)}...`);
  });

  it("commands are single JSON lines", () => {
    const line = encodeCommand({ type: "start", version: PROTOCOL_VERSION, trialId: "t0", config: { note: "a\nb" }, seed: "s", restoreDir: null, iteration: 0 });
    expect(line.endsWith("\n")).toBe(true);
    expect(line.slice(0, -1)).not.toContain("\n");
    expect(JSON.parse(line)).toMatchObject({ type: "start", version: 1, config: { note: "a\nb" } });
  });
});
