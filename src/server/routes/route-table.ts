import type { LiveSettings } from '../../config/live-settings.ts';
import type { Principal } from '../../domain/access/principal.ts';
import type { RouteDef } from '../http/route.ts';
import { accountRoutes } from './account-routes.ts';
import { adminRoutes } from './admin-routes.ts';
import { aiExperimentRoutes } from './ai-experiment-routes.ts';
import { experimentRoutes } from './experiment-routes.ts';
import { observationRoutes } from './observation-routes.ts';
import { projectRoutes } from './project-routes.ts';
import type { Services } from './services.ts';
import { suggestionRoutes } from './suggestion-routes.ts';
import { tenancyAdminRoutes } from './tenancy-admin-routes.ts';
import { tokenRoutes } from './token-routes.ts';
import { trainingRunRoutes } from './training-run-routes.ts';
import { userAccountRoutes } from './user-account-routes.ts';
import { API_VERSION, buildOpenApiDocument, type OpenApiDocument } from '../openapi/openapi-document.ts';

/** What the admin (settings) routes need beyond the domain services. */
export interface AdminRouteDeps {
  readonly settings: LiveSettings;
  requireOperator(p: Principal): Promise<void>;
}

/**
 * Every API route, in one list: the server registers it, and the access matrix and the tenancy
 * fuzz check they cover exactly these routes.
 */
export function routeTable(services: Services, admin: AdminRouteDeps, opts: { readonly batchBodyLimit: number }): RouteDef[] {
  const table: RouteDef[] = [
    ...accountRoutes(services),
    ...experimentRoutes(services),
    ...suggestionRoutes(services),
    ...observationRoutes(services, { batchBodyLimit: opts.batchBodyLimit }),
    ...projectRoutes(services),
    ...adminRoutes(admin.settings, admin.requireOperator),
    ...tokenRoutes(services),
    ...tenancyAdminRoutes(services),
    ...trainingRunRoutes(services, { batchBodyLimit: opts.batchBodyLimit }),
    ...aiExperimentRoutes(services),
    ...userAccountRoutes(services),
  ];
  // The OpenAPI document describes this very table (itself included), built on first request.
  let document: OpenApiDocument | null = null;
  table.push({
    method: 'GET',
    path: '/v1/openapi.json',
    auth: 'none',
    name: 'openapi',
    handler: async () => (document ??= buildOpenApiDocument(table, { version: API_VERSION })),
  });
  return table;
}
