import { createTaskDeps } from '../shared/clients';
import { systemClock } from '../shared/clock';
import { readTaskEnv } from '../shared/env';
import { lambdaHandler } from '../shared/lambda-handler';
import { checkDrillCleanup } from './check-drill-cleanup';

const env = readTaskEnv();
const deps = createTaskDeps({ ...env, clock: systemClock });

export const handler = lambdaHandler('check-drill-cleanup', checkDrillCleanup(deps));
