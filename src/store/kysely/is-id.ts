/**
 * True for strings that can be a BIGINT id. Lookups check this first because PostgreSQL rejects
 * the whole statement on `'abc'::bigint`; a malformed id is simply "not found".
 */
export const isId = (s: string): boolean => /^\d{1,18}$/.test(s) || (/^\d{19}$/.test(s) && s <= '9223372036854775807');
