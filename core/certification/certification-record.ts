import { fileStem } from "../check-request.js";
import type { FileError, FileResult } from "../file-error.js";
import { validateCertification } from "../generated/validators.js";
import { parseRfc3339 } from "../rfc3339.js";
import { quoteValue } from "../schema/quote-value.js";
import { schemaErrors } from "../schema/schema-errors.js";
import type { SourceFile } from "../types.js";
import { parseYaml } from "../yaml/parse-yaml.js";

/** One eligible person in a record: login, numeric id, and why (teams, or `user` for a direct listing). */
export interface RecordPerson {
  login: string;
  id?: number;
  via: string[];
  lastActivity?: string;
}

/** A grant held when the snapshot was taken. */
export interface RecordHeld {
  request: string;
  login: string;
  from: string;
  until: string;
}

/** A certified entitlement in a record. */
export interface RecordEntitlement {
  name: string;
  eligible: RecordPerson[];
  held?: RecordHeld[];
  added?: string[];
  removed?: string[];
}

/** What policy trusts for a workload, as a record shows it. */
export interface RecordTrust {
  issuer?: string;
  repository?: string;
  repositoryId?: number;
  ownerId?: number;
  ref?: string;
  environment?: string;
  workflow?: string;
  cluster?: string;
  namespace?: string;
  serviceAccount?: string;
  grants?: string[];
}

/** A certified workload in a record. */
export interface RecordWorkload {
  name: string;
  trust: RecordTrust;
  lastActivity?: string;
}

/** `access/certifications/<policy>.yaml` (schemas/certification.schema.json). */
export interface CertificationRecord {
  apiVersion: "jitops.dev/v1";
  kind: "Certification";
  metadata: { name: string };
  spec: {
    date: string;
    asOf: string;
    previous?: { date: string };
    entitlements?: RecordEntitlement[];
    workloads?: RecordWorkload[];
  };
}

/** A record that passed its checks, with its dates parsed and where each listed name sits. */
export interface CheckedRecord {
  path: string;
  record: CertificationRecord;
  date: Date;
  asOf: Date;
  previousDate: Date | undefined;
  /** JSON pointer of each listed item's name, by `entitlement:NAME` or `workload:NAME`. */
  pointers: Map<string, string>;
  /** Position of each pointer, for errors found later (an item the base policy does not certify). */
  at: (pointer: string) => { line: number; column: number };
}

const DATES = ["/spec/date", "/spec/asOf", "/spec/previous/date"];

/**
 * Parses and checks a certification record: safe YAML, the schema, RFC 3339 dates, and
 * metadata.name equal to the file stem (the policy it certifies). Never throws.
 */
export function parseCertificationRecord(file: SourceFile): FileResult<CheckedRecord> {
  const parsed = parseYaml(file.content);
  if (!parsed.ok) return parsed;
  const { data, spans } = parsed.value;
  const errors: FileError[] = [];
  const at = (pointer: string) => (spans.get(pointer) ?? { value: { line: 1, column: 1 } }).value;
  const push = (pointer: string, code: string, message: string) =>
    errors.push({ ...at(pointer), code, message });
  if (!validateCertification(data))
    errors.push(...schemaErrors(validateCertification.errors ?? [], data, spans));
  if (errors.length > 0) return { ok: false, errors };
  const record = data as CertificationRecord;
  const stem = fileStem(file.path);
  if (record.metadata.name !== stem)
    push(
      "/metadata/name",
      "certification.name-mismatch",
      `metadata.name ${quoteValue(record.metadata.name)} must equal the file name stem ${quoteValue(stem)}: a record is access/certifications/<policy>.yaml`,
    );
  const dates = DATES.map((p) => {
    if (!spans.has(p)) return undefined;
    const text =
      p === "/spec/date"
        ? record.spec.date
        : p === "/spec/asOf"
          ? record.spec.asOf
          : record.spec.previous?.date;
    const d = parseRfc3339(text);
    if (!d)
      push(
        p,
        "certification.date-invalid",
        `${p.slice(6).replace("/", ".")} ${quoteValue(String(text))} is not an RFC 3339 time with a zone, e.g. 2027-02-22T10:00:00Z`,
      );
    return d;
  });
  const pointers = new Map<string, string>();
  const unique = (kind: string, list: { name: string }[] | undefined, base: string) =>
    (list ?? []).forEach((x, i) => {
      const key = `${kind}:${x.name}`;
      if (pointers.has(key))
        push(`${base}/${i}/name`, "certification.duplicate-item", `${kind} ${x.name} is listed twice`);
      else pointers.set(key, `${base}/${i}/name`);
    });
  unique("entitlement", record.spec.entitlements, "/spec/entitlements");
  unique("workload", record.spec.workloads, "/spec/workloads");
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      path: file.path,
      record,
      date: dates[0]!,
      asOf: dates[1]!,
      previousDate: dates[2],
      pointers,
      at,
    },
  };
}
