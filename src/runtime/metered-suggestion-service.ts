import type { Principal } from '../domain/access/principal.ts';
import type { SuggestionRecord } from '../store/ports/records.ts';
import { SuggestionService } from '../domain/services/suggestion-service.ts';
import type { DomainDeps } from '../domain/services/domain-deps.ts';

/**
 * The suggestion service that also counts each created suggestion by source, so the operator
 * sees from `sextant_suggestions_total{source="fallback"}` when the optimizer falls behind. The
 * domain stays free of metrics; only the composition root picks this class.
 */
export class MeteredSuggestionService extends SuggestionService {
  constructor(
    deps: DomainDeps,
    private readonly count: (source: SuggestionRecord['source']) => void,
  ) {
    super(deps);
  }

  override async create(p: Principal, experimentId: string, body: Record<string, unknown>): ReturnType<SuggestionService['create']> {
    const result = await super.create(p, experimentId, body);
    this.count(result.item.source);
    return result;
  }
}
