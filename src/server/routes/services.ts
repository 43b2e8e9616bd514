import type { AccountService } from '../../domain/services/account-service.ts';
import type { ExperimentService } from '../../domain/services/experiment-service.ts';
import type { InsightService } from '../../domain/services/insight-service.ts';
import type { ObservationService } from '../../domain/services/observation-service.ts';
import type { ProjectService } from '../../domain/services/project-service.ts';
import type { AiExperimentService } from '../../domain/services/ai-experiment-service.ts';
import type { TrainingRunService } from '../../domain/services/training-run-service.ts';
import type { RunFileService } from '../../domain/services/run-file-service.ts';
import type { SuggestionService } from '../../domain/services/suggestion-service.ts';
import type { TenancyAdminService } from '../../domain/services/tenancy-admin-service.ts';
import type { TokenService } from '../../domain/services/token-service.ts';
import type { UserAccountService } from '../../domain/services/user-account-service.ts';
import type { Clock } from '../../domain/ports/clock.ts';

/** The domain services the routes call (one route → one service method). */
export interface Services {
  readonly accounts: AccountService;
  readonly experiments: ExperimentService;
  readonly suggestions: SuggestionService;
  readonly observations: ObservationService;
  readonly projects: ProjectService;
  readonly insights: InsightService;
  readonly tokens: TokenService;
  /** Tenancy administration (admin API, `sextant admin`). */
  readonly admin: TenancyAdminService;
  /** Password accounts: sign-up, login, own teams (POST /v1/users, /v1/sessions, /v1/clients). */
  readonly userAccounts: UserAccountService;
  readonly clock: Clock;
  /** Training runs and checkpoints (issue 12). */
  readonly trainingRuns: TrainingRunService;
  /** AI (runs-only) experiments (issue 12). */
  readonly aiExperiments: AiExperimentService;
  /** Run files and their upload links (issue 12). */
  readonly runFiles: RunFileService;
}
