import type { Context } from 'aws-lambda';
import { logger, metrics, tracer } from './observability';

/**
 * Wraps a task in the Powertools logger context and a tracer subsegment (the manual pattern
 * from the Powertools docs, so no middleware framework is needed), and publishes the metrics the
 * task stored. Errors are recorded and re-thrown unchanged: their `name` is what the workflow's
 * Retry/Catch match.
 */
export function lambdaHandler<E, R>(name: string, task: (event: E) => Promise<R>) {
  return async (event: E, context?: Context): Promise<R> => {
    if (context) logger.addContext(context);
    const segment = tracer.isTracingEnabled() ? tracer.getSegment() : undefined;
    const subsegment = segment?.addNewSubsegment(`## ${name}`);
    if (subsegment) {
      tracer.setSegment(subsegment);
      tracer.annotateColdStart();
      tracer.addServiceNameAnnotation();
    }
    try {
      const result = await task(event);
      if (subsegment) tracer.addResponseAsMetadata(result, name);
      return result;
    } catch (error) {
      if (subsegment) tracer.addErrorAsMetadata(error as Error);
      logger.error(`${name} failed`, error as Error);
      throw error;
    } finally {
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
      if (subsegment && segment) {
        subsegment.close();
        tracer.setSegment(segment);
      }
    }
  };
}
