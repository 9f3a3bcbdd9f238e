import type { SimState } from "../state.js";

/** What every shape builder needs: the data, and the base URL links point at. */
export interface ShapeContext {
  state: SimState;
  /** REST base URL, e.g. `http://127.0.0.1:40123`. */
  base: string;
}

/** Base64 node id in GitHub's style (`<type>:<id>`). */
export function nodeId(type: string, id: number | string): string {
  return Buffer.from(`0:${type}${id}`).toString("base64").replace(/=+$/, "");
}
