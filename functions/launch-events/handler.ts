import { createDocumentClient, createSfnClient } from '../shared/clients';
import { readLaunchWaitEnv } from '../shared/env';
import { ExecutionStore } from '../shared/execution-store';
import { lambdaHandler } from '../shared/lambda-handler';
import { handleLaunchEvent } from './launch-events';

const env = readLaunchWaitEnv();

export const handler = lambdaHandler(
  'launch-events',
  handleLaunchEvent({
    store: new ExecutionStore(createDocumentClient(env), env.executionsTableName),
    sfn: createSfnClient(env),
  }),
);
