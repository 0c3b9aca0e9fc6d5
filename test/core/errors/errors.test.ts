import { describe, expect, it } from "vitest";
import {
  checkNumber,
  ContractError,
  DeadlockError,
  OptionError,
  parseNumberText,
  SavedStateError,
  TrialError,
  TuneLabError,
} from "../../../core/errors/index.ts";
import { SearchSpaceError } from "../../../core/space/index.ts";

describe("the error hierarchy", () => {
  it("every kind is a TuneLabError with its own class, field and exit code", () => {
    const cases: Array<[TuneLabError, string, string, number]> = [
      [new OptionError("trials", "must be an integer >= 1, got 0"), "OptionError", "trials", 2],
      [new ContractError("Scheduler.chooseTrialToRun", "chose a non-candidate"), "ContractError", "Scheduler.chooseTrialToRun", 1],
      [new SavedStateError("experiment state", "unknown version 9"), "SavedStateError", "experiment state", 1],
      [new DeadlockError("nothing runs"), "DeadlockError", "", 1],
      [new TrialError("t00001", "metric loss is NaN"), "TrialError", "t00001", 1],
    ];
    for (const [error, name, field, exitCode] of cases) {
      expect(error).toBeInstanceOf(TuneLabError);
      expect(error.name).toBe(name);
      expect(error.field).toBe(field);
      expect(error.exitCode).toBe(exitCode);
    }
    // The kinds do not overlap: a deadlock is not bad input.
    expect(new DeadlockError("x")).not.toBeInstanceOf(OptionError);
    expect(new ContractError("a", "b")).not.toBeInstanceOf(OptionError);
    expect(new SavedStateError("a", "b")).not.toBeInstanceOf(OptionError);
  });

  it("a search-space error is bad input and carries its path as the field", () => {
    const error = new SearchSpaceError("optimizer.lr", "loguniform needs 0 < low < high, got low=0");
    expect(error).toBeInstanceOf(OptionError);
    expect(error.field).toBe("optimizer.lr");
    expect(error.message).toBe("optimizer.lr: loguniform needs 0 < low < high, got low=0");
  });
});

describe("the one set of option validators", () => {
  it("names the field, the bound and the value", () => {
    expect(() => checkNumber("maxT", 0, { above: 0 })).toThrow("maxT: must be a finite number > 0, got 0");
    expect(() => checkNumber("trials", 1.5, { integer: true, min: 1 })).toThrow("trials: must be an integer >= 1, got 1.5");
    expect(() => checkNumber("quantile", 0.7, { min: 0, max: 0.5 })).toThrow("quantile: must be a finite number >= 0 and <= 0.5, got 0.7");
    expect(() => checkNumber("x", Number.NaN)).toThrow("x: must be a finite number, got NaN");
    expect(() => checkNumber("x", "3" as unknown as number)).toThrow('x: must be a finite number, got "3"');
    expect(checkNumber("x", 3, { integer: true, min: 1, max: 3 })).toBe(3);
  });

  it("parses command-line text with the same bounds and messages", () => {
    expect(parseNumberText("--trials", "12", { integer: true, min: 1 })).toBe(12);
    expect(() => parseNumberText("--trials", "1e3", { integer: true, min: 1 })).toThrow('--trials: must be an integer >= 1, got "1e3"');
    expect(() => parseNumberText("--rate", "", { min: 0 })).toThrow('--rate: must be a finite number >= 0, got ""');
    expect(() => parseNumberText("--rate", "Infinity", { min: 0 })).toThrow("--rate: must be a finite number >= 0");
    expect(parseNumberText("--rate", " 2.5 ", { above: 0 })).toBe(2.5);
  });
});
