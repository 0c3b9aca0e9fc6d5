import { dirname } from "node:path";
import { describe, expect, it } from "vitest";
import { ResourceChangingScheduler, ASHAScheduler } from "../../algorithms/schedulers/index.ts";
import { renderExperiment } from "../../cli/experiment-file/index.ts";
import { loadExperiment } from "../../cli/run-command.ts";
import { problemLines, validYaml, writeTemp } from "./_experiment-files.ts";

describe("experiment file: resourceChanging", () => {
  it("wraps the file's scheduler, keeps its options, and shows the field in the dry run", () => {
    const file = writeTemp(
      validYaml({ scheduler: "scheduler: { name: asha, maxT: 9 }", resources: "resourceChanging: { policy: top-job, increaseBy: { cpu: 1 }, increaseByTimes: 2 }" }),
    );
    const resolved = loadExperiment(file);
    const scheduler = resolved.scheduler.instance;
    expect(scheduler).toBeInstanceOf(ResourceChangingScheduler);
    expect((scheduler as ResourceChangingScheduler).base).toBeInstanceOf(ASHAScheduler);
    expect(renderExperiment(resolved)["resourceChanging"]).toEqual({ policy: "top-job", increaseBy: { cpu: 1 }, increaseByTimes: 2 });
  });

  it.each<[string, string, string[]]>([
    ["an unknown policy", "resourceChanging: { policy: evenly }", ['resourceChanging.policy: got unknown name "evenly"; known: distribute, top-job']],
    ["a missing policy", "resourceChanging: { increaseByTimes: 2 }", ["resourceChanging.policy: is required"]],
    ["a negative reserve", "resourceChanging: { policy: distribute, reserveResources: { gpu: -1 } }", ["resourceChanging.reserveResources.gpu: must be a finite number >= 0, got -1"]],
    ["a fractional limit", "resourceChanging: { policy: distribute, increaseByTimes: 1.5 }", ["resourceChanging.increaseByTimes: must be an integer, got 1.5"]],
    ["an empty growth step", "resourceChanging: { policy: distribute, increaseBy: { cpu: 0 } }", ["resourceChanging.increaseBy: needs a cpu or gpu amount > 0 (at least 0.001)"]],
    ["an unknown key", "resourceChanging: { policy: distribute, increase_by: { cpu: 1 } }", ["resourceChanging.increase_by: unknown field; did you mean increaseBy?"]],
  ])("%s is one line naming the field", (_case, line, expected) => {
    const file = writeTemp(validYaml({ resources: line }));
    expect(problemLines(file).map((l) => l.replace(dirname(file), "<dir>"))).toEqual(expected);
  });
});
