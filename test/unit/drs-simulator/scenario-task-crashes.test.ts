import { parseScenario, ScenarioInvalid } from '../../../local/drs-simulator/scenario';

const problemsOf = (taskCrashes: unknown): string[] => {
  try {
    parseScenario({ taskCrashes });
  } catch (error) {
    if (error instanceof ScenarioInvalid) return error.problems;
    throw error;
  }
  return [];
};

describe('parseScenario taskCrashes', () => {
  it('returns a count as that many crashes named Lambda.Unknown', () => {
    expect(parseScenario({ taskCrashes: { recordJob: 2 } }).taskCrashes).toEqual({
      recordJob: { times: 2, as: 'Lambda.Unknown' },
    });
  });

  it('returns { times, as } with the name Step Functions reports, Lambda.Unknown by default', () => {
    const scenario = parseScenario({
      taskCrashes: {
        recordJob: { times: 1, as: 'Sandbox.Timedout' },
        recordPoll: { times: 2, as: 'Runtime.ExitError' },
        completeWave: { times: 1, as: 'Runtime.OutOfMemory' },
        endWave: { times: 3 },
      },
    });
    expect(scenario.taskCrashes).toEqual({
      recordJob: { times: 1, as: 'Sandbox.Timedout' },
      recordPoll: { times: 2, as: 'Runtime.ExitError' },
      completeWave: { times: 1, as: 'Runtime.OutOfMemory' },
      endWave: { times: 3, as: 'Lambda.Unknown' },
    });
  });

  it('fails naming every problem of either form, at its own path', () => {
    expect(
      problemsOf({
        recordJob: 500,
        recordPoll: 'often',
        completeWave: { times: 1, as: 'Lambda.Crashed' },
        endWave: { times: -1, when: 'now' },
      }),
    ).toEqual([
      'taskCrashes: recordJob 500 is too big (expected at most 100)',
      'taskCrashes: recordPoll "often" is not valid (expected a count 0-100 or { "times": n, "as": "Lambda.Unknown" | "Sandbox.Timedout" | "Runtime.ExitError" | "Runtime.OutOfMemory" | "Lambda.TooManyRequestsException" | "Lambda.ServiceException" })',
      'taskCrashes.completeWave: as "Lambda.Crashed" is not one of Lambda.Unknown, Sandbox.Timedout, Runtime.ExitError, Runtime.OutOfMemory, Lambda.TooManyRequestsException, Lambda.ServiceException',
      'taskCrashes.endWave: times -1 is less than 0 (expected a number ≥ 0)',
      'taskCrashes.endWave: unknown field "when" (expected only times, as, after)',
    ]);
  });
});
