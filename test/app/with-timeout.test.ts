import { CallTimeoutError, withTimeout } from "../../app/with-timeout.js";

describe("withTimeout", () => {
  it("passes a prompt answer through", async () => {
    await expect(withTimeout("gcp", 1000, Promise.resolve(7))).resolves.toBe(7);
  });

  it("gives up on a hung call with an error naming it and the limit", async () => {
    const hung = new Promise<never>(() => undefined);
    const r = withTimeout("listing gcp", 20, hung);
    await expect(r).rejects.toBeInstanceOf(CallTimeoutError);
    await expect(withTimeout("listing gcp", 20, hung)).rejects.toThrow(
      "listing gcp did not answer within 20 ms",
    );
  });

  it("passes a failure through unchanged", async () => {
    await expect(withTimeout("azure", 1000, Promise.reject(new Error("403")))).rejects.toThrow("403");
  });
});
