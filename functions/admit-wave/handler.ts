import { createTaskDeps } from '../shared/clients';
import { systemClock } from '../shared/clock';
import { readTaskEnv } from '../shared/env';
import { lambdaHandler } from '../shared/lambda-handler';
import { admitWave } from './admit-wave';

const env = readTaskEnv();
const deps = createTaskDeps({ ...env, clock: systemClock });

export const handler = lambdaHandler('admit-wave', admitWave(deps));
