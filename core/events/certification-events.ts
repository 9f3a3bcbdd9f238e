import type { CertifiedItem } from "../certification/certification-scopes.js";
import { isoSeconds } from "../certification/certification-status.js";
import { eventId } from "./build-events.js";
import {
  LIFECYCLE_SCHEMA_VERSION,
  type CertificationEvent,
  type CertificationItemRef,
} from "./lifecycle-event.js";

/** The facts of a certification event; `type` picks which. */
export interface CertificationFact {
  type: CertificationEvent["type"];
  now: Date;
  repository: string;
  policy: string;
  items: CertifiedItem[];
  pr?: number;
  headSha?: string;
  due?: Date;
  reminder?: "before" | "due";
  reviewers?: string[];
  certifiedUntil?: Date;
}

/**
 * A certification lifecycle event. Its id names the fact, never the time it was seen: the same PR
 * opened, the same reminder, the same merge or the same lapse gets the same id on every run.
 */
export function certificationEvent(f: CertificationFact): CertificationEvent {
  const items: CertificationItemRef[] = f.items.map((i) => ({
    kind: i.kind,
    name: i.name,
    onNoResponse: i.onNoResponse,
  }));
  const due = f.due ? isoSeconds(f.due) : undefined;
  const key =
    f.type === "certification-lapsed"
      ? [due ?? "never", items.map((i) => `${i.kind}:${i.name}`).join(",")]
      : f.type === "certification-due"
        ? [f.pr, f.reminder]
        : [f.pr, f.headSha];
  return {
    schemaVersion: LIFECYCLE_SCHEMA_VERSION,
    id: eventId(f.type, f.repository, f.policy, ...key),
    type: f.type,
    time: f.now.toISOString(),
    repository: f.repository,
    policy: f.policy,
    items,
    ...(f.pr !== undefined ? { pr: f.pr } : {}),
    ...(f.headSha ? { headSha: f.headSha } : {}),
    ...(due ? { due } : {}),
    ...(f.reminder ? { reminder: f.reminder } : {}),
    ...(f.reviewers ? { reviewers: f.reviewers } : {}),
    ...(f.certifiedUntil ? { certifiedUntil: isoSeconds(f.certifiedUntil) } : {}),
  };
}
