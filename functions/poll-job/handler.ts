import { createTaskDeps } from '../shared/clients';
import { systemClock } from '../shared/clock';
import { readTaskEnv } from '../shared/env';
import { lambdaHandler } from '../shared/lambda-handler';
import { pollJob } from './poll-job';

const env = readTaskEnv();
const deps = createTaskDeps({ region: env.region, executionsTableName: env.executionsTableName, clock: systemClock });

export const handler = lambdaHandler('poll-job', pollJob(deps));
