/**
 * `sextant/client`: the typed TypeScript client of Sextant's SigOpt v1 API, for Node 20 and
 * browsers (fetch only; no node: imports). See docs/client.md.
 */
export { SextantClient, ExperimentsResource, ProjectsResource, AccountResource } from './sextant-client.ts';
export {
  ExperimentHandle,
  SuggestionsResource,
  QueuedSuggestionsResource,
  ObservationsResource,
  type SuggestionListQuery,
  type ObservationListQuery,
} from './experiment-handle.ts';
export { AdminResource, type AdminAnswer } from './admin-resource.ts';
export { experimentLoop, LoopSuggestion, toValues, type LoopOptions, type ReportedValues } from './experiment-loop.ts';
export {
  HttpTransport,
  DEFAULT_RETRY,
  isRetryable,
  parseRetryAfter,
  type CallOptions,
  type FetchLike,
  type RetryOptions,
  type TransportOptions,
  type HttpRequest,
  type ResendCheck,
} from './http-transport.ts';
export {
  SextantError,
  SextantApiError,
  SextantNetworkError,
  SextantTimeoutError,
  SextantLostAnswerError,
  type RequestDescription,
} from './api-error.ts';
export { iteratePages, type PageFetcher } from './page-iterator.ts';
export { findObservationOfSuggestion, LOST_CHECK_PAGE_SIZE, type ObservationPageReader } from './lost-observation.ts';
export { CLIENT_ROUTES, type ClientRouteName } from './client-routes.ts';
export type * from './api-types.ts';
