import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// tune() always writes an experiment directory (default ~/tunelab_results/<name>): tests write theirs under a temporary root instead.
process.env["TUNELAB_RESULTS_DIR"] ??= mkdtempSync(join(tmpdir(), "tunelab-test-results-"));
