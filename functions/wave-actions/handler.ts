import { createTaskDeps } from '../shared/clients';
import { systemClock } from '../shared/clock';
import { readTaskEnv } from '../shared/env';
import { lambdaHandler } from '../shared/lambda-handler';
import { waveActions } from './wave-actions';

const env = readTaskEnv();
const deps = createTaskDeps({ ...env, clock: systemClock });

export const handler = lambdaHandler('wave-actions', waveActions(deps));
