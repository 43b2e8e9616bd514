import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import type { OpenApiDocument } from './openapi-document.ts';

/**
 * Serves the OpenAPI document as browsable documentation at `/docs` (Swagger UI, assets bundled
 * in the package: nothing is loaded from the internet). The document is the one generated from
 * the route table and also served at `/v1/openapi.json`; @fastify/swagger runs in static mode
 * because the routes carry no Fastify schemas (their bodies are parsed and validated by the
 * SigOpt rules, which JSON Schema cannot express, such as the messages of docs/api-compatibility.md#validation-rules).
 *
 * Outside `/v1` and without authentication, like `/health`: the document holds no data.
 */
export function registerApiDocs(app: FastifyInstance, document: OpenApiDocument): void {
  void app.register(async (scope) => {
    // Swagger UI sends HTML, scripts and images: keep the API's JSON headers off these routes.
    scope.addHook('onRoute', (route) => {
      route.config = { ...(route.config ?? {}), raw: true, name: 'docs' };
    });
    await scope.register(swagger, { mode: 'static', specification: { document: document as never } });
    await scope.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list', deepLinking: true } });
  });
}
