import { Document } from "yaml";
import type { CertificationRecord } from "./certification-record.js";

/** The schema comment editors read to check and complete a record. */
export const RECORD_SCHEMA_COMMENT =
  " yaml-language-server: $schema=https://raw.githubusercontent.com/jitops/jitops/v0.1.0/schemas/certification.schema.json";

/** Renders a record as the YAML a certification pull request writes: block style, no anchors, stable. */
export function renderRecord(record: CertificationRecord): string {
  const doc = new Document(record, { aliasDuplicateObjects: false });
  doc.commentBefore = RECORD_SCHEMA_COMMENT;
  return doc.toString({ lineWidth: 0 });
}
