import { Logger } from '@aws-lambda-powertools/logger';
import { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * One logger and one tracer for the task code. Service name and log level come from the
 * standard Powertools variables (POWERTOOLS_SERVICE_NAME, POWERTOOLS_LOG_LEVEL), set by the stack.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'drs-orchestrator' });
export const tracer = new Tracer({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'drs-orchestrator' });
