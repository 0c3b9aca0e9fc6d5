import { configDefaults, defineConfig } from "vitest/config";

// Test files that replace a module with vi.mock need a module graph of their own;
// every other file shares its worker's modules (isolate: false), which saves each
// file re-importing the tree through the TypeScript transform: npm test ran 6 min 39 s
// isolated and about 4 min shared, on 2 cores. A file that mocks a module goes here.
const MODULE_MOCKS = ["test/algorithms/schedulers/pb2-log-scale.test.ts", "test/algorithms/schedulers/pb2-model-reuse.test.ts"];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    // Spies on process.stdout/stderr and the like end with their test: with shared modules, one left behind would leak into the next file.
    restoreMocks: true,
    // Property tests (and the testing/ kit) share a pinned seed in CI (see test/_helpers/fast-check-setup.ts); a failure prints it.
    setupFiles: ["test/_helpers/fast-check-setup.ts", "test/_helpers/results-dir-setup.ts"],
    projects: [
      { extends: true, test: { name: "shared-modules", isolate: false, include: ["test/**/*.test.ts"], exclude: [...configDefaults.exclude, ...MODULE_MOCKS] } },
      { extends: true, test: { name: "module-mocks", include: MODULE_MOCKS } },
    ],
  },
});
