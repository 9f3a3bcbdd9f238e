import type { FaultSpec } from "../shared/fault-plan.js";
import type { CloudService } from "./types.js";

/** A planned failure or slowdown: the next `times` calls matching service, method and path are affected. */
export interface CloudFaultSpec extends FaultSpec<CloudService> {
  /** Exact request path (e.g. `/v3/projects/p:setIamPolicy`) or a regex tested on the path. */
  path: string | RegExp;
}
