import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    // Property tests (and the testing/ kit) share a pinned seed in CI (see test/_helpers/fast-check-setup.ts); a failure prints it.
    setupFiles: ["test/_helpers/fast-check-setup.ts", "test/_helpers/results-dir-setup.ts"],
  },
});
