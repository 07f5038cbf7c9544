import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { METRICS_NAMESPACE } from './metric-names';

export { METRIC } from './metric-names';

/**
 * One logger, tracer and metrics registry for the task code. Service name, log level and metrics
 * namespace come from the standard Powertools variables (POWERTOOLS_SERVICE_NAME,
 * POWERTOOLS_LOG_LEVEL, POWERTOOLS_METRICS_NAMESPACE), set by the stack.
 */
const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'drs-orchestrator';

export const logger = new Logger({ serviceName });
export const tracer = new Tracer({ serviceName });
export const metrics = new Metrics({
  serviceName,
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? METRICS_NAMESPACE,
});
