import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Principal } from '../access/principal.ts';
import { apiError } from '../errors.ts';
import type { RunFileRecord } from '../../store/ports/records.ts';
import { getOwn, invalidType, isInteger, missingKey, rejectUnknownKeys, tooLong } from '../validation/schema.ts';
import type { DomainDeps } from './domain-deps.ts';
import { isValidId } from './load-experiment.ts';
import type { TrainingRunService } from './training-run-service.ts';

/** Largest file a run may attach (the upload route's body limit is the same). */
export const MAX_RUN_FILE_BYTES = 16 * 1024 * 1024;
/** How long an upload link stays valid. */
export const UPLOAD_LINK_SECONDS = 15 * 60;

const FILE_KEYS = ['content_length', 'content_md5', 'content_type', 'filename', 'name'];
const MIME = /^[A-Za-z0-9][\w.+-]*\/[A-Za-z0-9][\w.+-]*$/;
const MD5_BASE64 = /^[A-Za-z0-9+/]{22}==$/;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** A declared file and the one-time token of its upload link (shown once, stored hashed). */
export interface DeclaredFile {
  readonly file: RunFileRecord;
  readonly token: string;
}

/**
 * Files of training runs (the python client's `log_image`): `POST /training_runs/{id}/files`
 * declares length, MD5 and type and gets an upload link to Sextant itself; the client then PUTs
 * the bytes there without its API token. The link carries a random token whose SHA-256 is stored
 * with the file, so any API process can check it (no shared signing key to distribute); it
 * expires after {@link UPLOAD_LINK_SECONDS} and works once. The content is stored in the database
 * (PGlite in embedded mode, PostgreSQL in distributed mode).
 */
export class RunFileService {
  constructor(
    private readonly deps: DomainDeps,
    private readonly runs: TrainingRunService,
  ) {}

  async declare(p: Principal, runId: string, body: Record<string, unknown>): Promise<DeclaredFile> {
    const run = await this.runs.load(p, runId, 'write');
    rejectUnknownKeys(body, FILE_KEYS);
    const length = getOwn(body, 'content_length');
    if (length === undefined || length === null) throw missingKey('content_length', body);
    if (!isInteger(length) || length < 0) throw invalidType('content_length', length, 'non_negative_integer');
    if (length > MAX_RUN_FILE_BYTES) throw apiError('FILE_TOO_LARGE', { max: MAX_RUN_FILE_BYTES, length });
    const type = getOwn(body, 'content_type');
    if (type === undefined || type === null) throw missingKey('content_type', body);
    if (typeof type !== 'string' || type.length > 100 || !MIME.test(type)) throw invalidType('content_type', type, 'mime_type');
    const md5 = getOwn(body, 'content_md5');
    if (md5 === undefined || md5 === null) throw missingKey('content_md5', body);
    if (typeof md5 !== 'string' || !MD5_BASE64.test(md5)) throw invalidType('content_md5', md5, 'md5');
    const names: Record<string, string | null> = {};
    for (const key of ['name', 'filename']) {
      const v = getOwn(body, key) ?? null;
      if (v !== null && typeof v !== 'string') throw invalidType(key, v, 'string');
      if (typeof v === 'string' && [...v].length > 100) throw tooLong(`.${key}`, 100);
      names[key] = v === '' ? null : (v as string | null);
    }
    if (names.name === null && names.filename === null) throw apiError('FILE_NAME_REQUIRED');
    const token = randomBytes(32).toString('base64url');
    const now = this.deps.clock.now();
    const file = await this.deps.store.trainingRuns.createFile({
      clientId: run.clientId,
      trainingRunId: run.id,
      userId: p.userId,
      name: names.name ?? null,
      filename: names.filename ?? null,
      contentType: type,
      contentLength: length,
      contentMd5: md5,
      uploadHash: sha256(token),
      uploadExpires: now + UPLOAD_LINK_SECONDS,
      created: now,
    });
    return { file, token };
  }

  /**
   * The upload through the link: a wrong, expired or used token is 403 (as object stores answer a
   * bad signature) and stores nothing; content that differs from the declared length or MD5 is 400.
   */
  async upload(fileId: string, token: string | undefined, content: Uint8Array): Promise<void> {
    const file = isValidId(fileId) ? await this.deps.store.trainingRuns.getFile(fileId) : null;
    if (!file) throw apiError('NOT_FOUND');
    const given = Buffer.from(sha256(token ?? ''), 'hex');
    const valid = token !== undefined && timingSafeEqual(given, Buffer.from(file.uploadHash, 'hex'));
    if (!valid || file.uploaded || this.deps.clock.now() > file.uploadExpires) {
      throw apiError('INVALID_UPLOAD_LINK');
    }
    if (content.length !== file.contentLength) {
      throw apiError('UPLOAD_LENGTH_MISMATCH', { length: content.length, contentLength: file.contentLength });
    }
    if (createHash('md5').update(content).digest('base64') !== file.contentMd5) throw apiError('UPLOAD_MD5_MISMATCH');
    if (!(await this.deps.store.trainingRuns.completeUpload(file.id, content))) {
      throw apiError('INVALID_UPLOAD_LINK');
    }
  }
}
