import { networkCause } from "../../core/network-cause.js";

describe("networkCause", () => {
  it.each([
    ["a refused connection", { code: "ECONNREFUSED" }, "connection refused"],
    [
      "fetch's TypeError around it",
      Object.assign(new TypeError("fetch failed"), { cause: { code: "ENOTFOUND" } }),
      "host not found",
    ],
    [
      "an AggregateError of both address families",
      { cause: { errors: [{ code: "ECONNREFUSED" }, { code: "ECONNREFUSED" }] } },
      "connection refused",
    ],
    [
      "a deadline of ours",
      new DOMException("no answer within 10 s", "TimeoutError"),
      "no answer within 10 s",
    ],
    [
      "the platform's timeout",
      new DOMException("The operation was aborted due to timeout", "TimeoutError"),
      "no answer in time",
    ],
    [
      "a TLS failure",
      { cause: { code: "DEPTH_ZERO_SELF_SIGNED_CERT" } },
      "its TLS certificate is self-signed",
    ],
  ])("%s", (_name, e, words) => {
    expect(networkCause(e)).toBe(words);
  });

  it.each([
    ["an HTTP answer", { status: 403, message: "Forbidden" }],
    ["a numeric code (Kubernetes' status)", { code: 404 }],
    ["nothing", undefined],
  ])("%s is not a network failure", (_name, e) => {
    expect(networkCause(e)).toBeUndefined();
  });
});
