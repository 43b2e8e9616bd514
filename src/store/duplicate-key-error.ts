/**
 * A unique constraint refused an insert (SQLSTATE 23505), e.g. a project id already used in its
 * client. The domain turns it into its own 409; anything else from the database is a real fault.
 */
export class DuplicateKeyError extends Error {
  /** Name of the violated constraint or index, when the driver reports it. */
  readonly constraint: string | undefined;

  constructor(constraint: string | undefined, cause?: unknown) {
    super(`duplicate key${constraint ? ` violates ${constraint}` : ''}`, { cause });
    this.name = 'DuplicateKeyError';
    this.constraint = constraint;
  }
}

/** Runs `fn`, translating a unique violation of either driver into {@link DuplicateKeyError}. */
export async function mapDuplicateKey<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    const e = error as { code?: unknown; constraint?: unknown };
    if (e && e.code === '23505') {
      throw new DuplicateKeyError(typeof e.constraint === 'string' ? e.constraint : undefined, error);
    }
    throw error;
  }
}
