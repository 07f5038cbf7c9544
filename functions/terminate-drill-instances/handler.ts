import { createTaskDeps } from '../shared/clients';
import { systemClock } from '../shared/clock';
import { readTaskEnv } from '../shared/env';
import { lambdaHandler } from '../shared/lambda-handler';
import { terminateDrillInstances } from './terminate-drill-instances';

const env = readTaskEnv();
const deps = createTaskDeps({ ...env, clock: systemClock });

export const handler = lambdaHandler('terminate-drill-instances', terminateDrillInstances(deps));
