import type { FaultSpec } from "../shared/fault-plan.js";
import type { IdentityService } from "./types.js";

/** A planned failure or slowdown: the next `times` calls matching service, method and path are affected. */
export interface IdentityFaultSpec extends FaultSpec<IdentityService> {
  /** Path relative to the service URL (`/v1/token`), or a regex tested on it; any when omitted. */
  path?: string | RegExp;
}
