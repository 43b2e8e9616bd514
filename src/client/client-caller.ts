import type { ClientRouteName } from './client-routes.ts';
import type { CallOptions, QueryValue, ResendCheck } from './http-transport.ts';

/** How resources reach the server: a named route, its path parameters, query and body. */
export interface ClientCaller {
  call<T>(
    route: ClientRouteName,
    params: Readonly<Record<string, string>>,
    request: { readonly query?: object; readonly body?: unknown },
    opts?: CallOptions,
    resendCheck?: ResendCheck<T>,
  ): Promise<T>;
}

/** Query objects of the resources, as the transport takes them. */
export type QueryObject = Readonly<Record<string, QueryValue>>;
