import { createDocumentClient, createDrsClient, createSfnClient } from '../shared/clients';
import { systemClock } from '../shared/clock';
import { readLaunchWaitEnv } from '../shared/env';
import { ExecutionStore } from '../shared/execution-store';
import { lambdaHandler } from '../shared/lambda-handler';
import { admitWave } from './admit-wave';

const env = readLaunchWaitEnv();

export const handler = lambdaHandler(
  'admit-wave',
  admitWave({
    store: new ExecutionStore(createDocumentClient(env), env.executionsTableName),
    clock: systemClock,
    sfn: createSfnClient(env),
    drs: createDrsClient(env),
  }),
);
