import { createTaskDeps } from '../shared/clients';
import { systemClock } from '../shared/clock';
import { readTaskEnv } from '../shared/env';
import { lambdaHandler } from '../shared/lambda-handler';
import { beginExecution } from './begin-execution';

const env = readTaskEnv();
const deps = createTaskDeps({ ...env, clock: systemClock });

export const handler = lambdaHandler('begin-execution', beginExecution(deps));
