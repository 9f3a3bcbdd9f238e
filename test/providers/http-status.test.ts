import { httpStatusOf } from "../../providers/http-status.js";

// One reader for the status of every cloud SDK's error (cloud-failure, retry-transient, the GCP
// trust client and the Kubernetes provider each had their own, each reading a different subset).
describe("httpStatusOf", () => {
  it.each([
    ["a fetch wrapper's or gaxios's status", { status: 404 }, 404],
    ["Azure's RestError statusCode", { statusCode: 403 }, 403],
    ["a response's status", { response: { status: 429 } }, 429],
    ["a response's statusCode", { response: { statusCode: 503 } }, 503],
    ["Kubernetes client-node's ApiException code", { code: 409 }, 409],
    ["a code given as a string (gaxios)", { code: "404" }, 404],
    ["a status given as a string", { status: "502" }, 502],
  ])("reads %s", (_what, error, status) => {
    expect(httpStatusOf(Object.assign(new Error("failed"), error))).toBe(status);
  });

  it("prefers status over code, and skips what is not an HTTP status (gRPC codes, errno names)", () => {
    expect(httpStatusOf({ status: 500, code: 409 })).toBe(500);
    expect(httpStatusOf({ code: 14 })).toBeUndefined();
    expect(httpStatusOf({ status: 7, response: { status: 403 } })).toBe(403);
    expect(httpStatusOf({ code: "ECONNREFUSED" })).toBeUndefined();
    expect(httpStatusOf({ status: "NOT_FOUND", code: 404 })).toBe(404);
  });

  it("is undefined for errors without a status, and for what is not an object", () => {
    for (const e of [new Error("socket hang up"), undefined, null, "HTTP 500", 500, { response: null }])
      expect(httpStatusOf(e)).toBeUndefined();
  });
});
