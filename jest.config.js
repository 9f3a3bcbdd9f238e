import { availableParallelism } from "node:os";

/** Jest 30 + ts-jest ESM preset; relative `.js` imports map back to their `.ts` sources. */
export default {
  preset: "ts-jest/presets/default-esm",
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1" },
  transform: {
    "^.+\\.ts$": [
      "ts-jest",
      { useESM: true, tsconfig: "tsconfig.json", diagnostics: { ignoreCodes: [151002] } },
    ],
  },
  testTimeout: 30000,
  // Jest's default, a worker per core but one, runs in band on two cores. Most end-to-end suites
  // mostly wait on loopback servers, child processes and timers, so four workers at least: on two
  // cores the suite took 217 s with two workers and 144 s with four. ts-jest only transpiles
  // (isolatedModules in tsconfig.json); `npm run typecheck` checks the types.
  maxWorkers: Math.max(4, availableParallelism() - 1),
  // No test reaches past loopback; the slowest suites are listed after every run.
  setupFiles: ["<rootDir>/test/setup/no-network.cjs"],
  reporters: ["default", "<rootDir>/test/setup/slowest-suites.cjs"],
};
