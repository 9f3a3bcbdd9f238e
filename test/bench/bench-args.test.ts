import { BENCH_USAGE, parseBenchArgs } from "../../bench/bench-args.js";

// `npm run bench -- ...`: a wrong flag or value is a usage error (2) with the usage, not a stack trace.

describe("the bench's arguments", () => {
  it("takes --json, --quick and --load-seconds", () => {
    expect(parseBenchArgs(["--json", "--load-seconds", "30"])).toEqual({
      values: { json: true, quick: undefined },
      loadSeconds: 30,
    });
    expect(parseBenchArgs(["--quick"])).toMatchObject({ loadSeconds: 3 });
    expect(parseBenchArgs([])).toMatchObject({ loadSeconds: 10 });
  });

  it("prints the usage for --help and -h, exit 0", () => {
    expect(parseBenchArgs(["--help"])).toEqual({ exit: 0, text: BENCH_USAGE });
    expect(parseBenchArgs(["-h"])).toEqual({ exit: 0, text: BENCH_USAGE });
  });

  it("refuses an unknown option with the usage, exit 2", () => {
    const r = parseBenchArgs(["--bogus"]);
    expect(r).toMatchObject({ exit: 2 });
    // The first line is Node's own parseArgs message (its wording differs between Node versions).
    expect("text" in r && r.text.startsWith("bench: Unknown option '--bogus'")).toBe(true);
    expect("text" in r && r.text.endsWith(`\n\n${BENCH_USAGE}`)).toBe(true);
  });

  it("refuses a --load-seconds that is not a positive number, exit 2", () => {
    for (const v of ["x", "0", "NaN"])
      expect(parseBenchArgs(["--load-seconds", v])).toEqual({
        exit: 2,
        text: `bench: --load-seconds must be a number of seconds above 0, not "${v}"\n`,
      });
  });
});
