/**
 * Public surface of the store: the port, its errors, the paging contract and the opener.
 * Services import from here; adapters and Kysely stay private to src/store.
 */
export type * from './store.ts';
export { openStore, type OpenStoreOptions } from './open-store.ts';
export { DuplicateKeyError } from './duplicate-key-error.ts';
export { InvalidSortKeyError } from './keyset.ts';
