/**
 * The checks intake-svc makes on an uploaded material (`POST /api/intake/v1/files`), made in the
 * browser before anything is sent, so a person learns at once that a file is too large or of the
 * wrong kind. The limits are intake's defaults (intake-svc `Settings.max_upload_bytes` and
 * `allowed_upload_types`, signatures from `services/storage.py`); the service checks again and its
 * 413/415 answer is shown under the material when an operator has set them tighter.
 */

/** Largest upload: 5 MiB (INTAKE_MAX_UPLOAD_BYTES). */
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

/** Types intake accepts (INTAKE_ALLOWED_UPLOAD_TYPES). */
export const UPLOAD_TYPES = ["application/pdf", "image/jpeg", "image/png", "application/ofd"] as const;
export type UploadType = (typeof UPLOAD_TYPES)[number];

const BY_EXTENSION: Record<string, UploadType> = {
  pdf: "application/pdf",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
  ofd: "application/ofd",
};

/** The first bytes each type starts with (a renamed .exe is not a PDF). */
const SIGNATURES: Record<UploadType, number[][]> = {
  "application/pdf": [[0x25, 0x50, 0x44, 0x46, 0x2d]], // %PDF-
  "image/jpeg": [[0xff, 0xd8, 0xff]],
  "image/png": [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  "application/ofd": [[0x50, 0x4b, 0x03, 0x04]], // OFD is a zip container
};

/** What the file picker offers (extensions for systems that do not know the OFD type). */
export const ACCEPT = [".pdf", ".jpg", ".jpeg", ".png", ".ofd", ...UPLOAD_TYPES].join(",");

export type FileProblem = "empty" | "tooLarge" | "type" | "content";
export type FileCheck = { ok: true; type: UploadType } | { ok: false; problem: FileProblem };

function isUploadType(value: string): value is UploadType {
  return (UPLOAD_TYPES as readonly string[]).includes(value);
}

/**
 * The type to send a file as: the one the browser declares when intake accepts it, else (no type,
 * or the generic one browsers give .ofd files) the one its extension says; null when neither is
 * accepted.
 */
export function uploadType(name: string, declared: string): UploadType | null {
  const type = declared.split(";")[0]!.trim().toLowerCase();
  if (isUploadType(type)) return type;
  if (type !== "" && type !== "application/octet-stream" && type !== "application/zip") return null;
  const extension = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase();
  return extension ? (BY_EXTENSION[extension] ?? null) : null;
}

function startsWith(head: Uint8Array, signature: number[]): boolean {
  return signature.length <= head.length && signature.every((byte, i) => head[i] === byte);
}

/** Check a chosen file as intake will: not empty, within the size limit, an accepted type whose content matches. */
export async function checkFile(file: Blob & { name: string }, maxBytes: number = MAX_UPLOAD_BYTES): Promise<FileCheck> {
  if (file.size === 0) return { ok: false, problem: "empty" };
  if (file.size > maxBytes) return { ok: false, problem: "tooLarge" };
  const type = uploadType(file.name, file.type);
  if (!type) return { ok: false, problem: "type" };
  const head = new Uint8Array(await file.slice(0, 8).arrayBuffer());
  if (!SIGNATURES[type].some((s) => startsWith(head, s))) return { ok: false, problem: "content" };
  return { ok: true, type };
}

/** A size as people read it: 812 KB, 4.2 MB. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  const mb = bytes / (1024 * 1024);
  return `${mb >= 10 ? Math.round(mb) : Math.round(mb * 10) / 10} MB`;
}
