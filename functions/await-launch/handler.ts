import { createDocumentClient, createSfnClient } from '../shared/clients';
import { systemClock } from '../shared/clock';
import { readLaunchWaitEnv } from '../shared/env';
import { ExecutionStore } from '../shared/execution-store';
import { lambdaHandler } from '../shared/lambda-handler';
import { awaitLaunch } from './await-launch';

const env = readLaunchWaitEnv();

export const handler = lambdaHandler(
  'await-launch',
  awaitLaunch({
    store: new ExecutionStore(createDocumentClient(env), env.executionsTableName),
    clock: systemClock,
    sfn: createSfnClient(env),
  }),
);
