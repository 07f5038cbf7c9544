import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ENV } from '../functions/shared/env';
import { DEFAULT_API_THROTTLING } from './constructs/orchestrator-api';
import { DrsOrchestratorStack } from './stacks/drs-orchestrator-stack';

/**
 * The CDK app: one environment-agnostic stack (no lookups, so `cdk synth` needs no credentials),
 * checked by cdk-nag's AWS Solutions pack. An unacknowledged cdk-nag error fails the synth.
 *
 * Context: `stackName` (default DrsOrchestrator), `notificationEmail` (the NotificationEmail
 * parameter's default), `recoveryInstanceRoleArns` (comma-separated extra roles DRS may pass to
 * recovery instances), `drsMaxServersPerJob` / `drsMaxConcurrentJobs` / `drsMaxServersInAllJobs` (the
 * account's DRS quotas, where they differ from the defaults), `taskReservedConcurrency` (per task
 * function, 0: none), `apiThrottlingRateLimit` / `apiThrottlingBurstLimit` (the API stage's
 * throttling), `apiGatewayCloudWatchRole` ("false": leave the account's API Gateway logging role alone),
 * `waveActionFunctionArns` (comma-separated Lambda function ARNs plans may run as wave actions) and
 * `waveActionFunctionPrefix` (a function name prefix for the same; neither: no wave actions),
 * `reportRetentionDays` (days the reports bucket keeps each report, default 365).
 * `consoleAssetsDirectory` (the built web console; default console/dist, `npm run build:console`).
 * See docs/deploy.md.
 */
export function buildApp(app = new App()): { app: App; stack: DrsOrchestratorStack } {
  const context = (key: string): string | undefined => {
    const value = app.node.tryGetContext(key);
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  };
  const notificationEmail = context('notificationEmail');
  const recoveryInstanceRoleArns = context('recoveryInstanceRoleArns')
    ?.split(',')
    .map((arn) => arn.trim())
    .filter(Boolean);

  const drsLimitsEnvironment = Object.fromEntries(
    (
      [
        ['drsMaxServersPerJob', ENV.maxServersPerJob],
        ['drsMaxConcurrentJobs', ENV.maxConcurrentJobs],
        ['drsMaxServersInAllJobs', ENV.maxServersInAllJobs],
      ] as const
    ).flatMap(([key, variable]) => {
      const value = context(key);
      if (value === undefined) return [];
      if (!/^[1-9][0-9]*$/.test(value))
        throw new Error(`context ${key} must be a whole number of at least 1 (got "${value}")`);
      return [[variable, value]];
    }),
  );

  const wholeNumber = (key: string, min: number): number | undefined => {
    const value = context(key);
    if (value === undefined) return undefined;
    if (!/^[0-9]+$/.test(value) || Number(value) < min)
      throw new Error(`context ${key} must be a whole number of at least ${min} (got "${value}")`);
    return Number(value);
  };
  const taskReservedConcurrency = wholeNumber('taskReservedConcurrency', 0);
  const rateLimit = wholeNumber('apiThrottlingRateLimit', 1);
  const burstLimit = wholeNumber('apiThrottlingBurstLimit', 1);
  const reportRetentionDays = wholeNumber('reportRetentionDays', 1);
  const cloudWatchRole = context('apiGatewayCloudWatchRole');
  if (cloudWatchRole !== undefined && cloudWatchRole !== 'true' && cloudWatchRole !== 'false')
    throw new Error(`context apiGatewayCloudWatchRole must be "true" or "false" (got "${cloudWatchRole}")`);

  const waveActionFunctionArns = context('waveActionFunctionArns')
    ?.split(',')
    .map((arn) => arn.trim())
    .filter(Boolean);
  const waveActionFunctionPrefix = context('waveActionFunctionPrefix');
  const waveActionFunctions = {
    ...(waveActionFunctionArns?.length ? { functionArns: waveActionFunctionArns } : {}),
    ...(waveActionFunctionPrefix ? { functionNamePrefix: waveActionFunctionPrefix } : {}),
  };

  const consoleAssetsDirectory = context('consoleAssetsDirectory');
  const stack = new DrsOrchestratorStack(app, context('stackName') ?? 'DrsOrchestrator', {
    ...(consoleAssetsDirectory ? { consoleAssetsDirectory } : {}),
    ...(taskReservedConcurrency !== undefined ? { taskReservedConcurrency } : {}),
    ...(reportRetentionDays !== undefined ? { reportRetentionDays } : {}),
    ...(rateLimit !== undefined || burstLimit !== undefined
      ? {
          apiThrottling: {
            rateLimit: rateLimit ?? DEFAULT_API_THROTTLING.rateLimit,
            burstLimit: burstLimit ?? DEFAULT_API_THROTTLING.burstLimit,
          },
        }
      : {}),
    ...(cloudWatchRole !== undefined ? { apiGatewayCloudWatchRole: cloudWatchRole === 'true' } : {}),
    ...(notificationEmail ? { notificationEmail } : {}),
    ...(Object.keys(drsLimitsEnvironment).length > 0 ? { drsLimitsEnvironment } : {}),
    ...(recoveryInstanceRoleArns?.length ? { recoveryInstanceRoleArns } : {}),
    ...(Object.keys(waveActionFunctions).length > 0 ? { waveActionFunctions } : {}),
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stack };
}

if (require.main === module) buildApp().app.synth();
