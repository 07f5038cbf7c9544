import { defaultScenario, parseScenario, ScenarioInvalid } from '../../../local/drs-simulator';

const S1 = 's-0a1b2c3d4e5f60001';
const S2 = 's-0a1b2c3d4e5f60002';

function problemsOf(input: unknown): string[] {
  try {
    parseScenario(input);
  } catch (error) {
    if (error instanceof ScenarioInvalid) {
      return error.problems;
    }
    throw error;
  }
  throw new Error('expected parseScenario to throw ScenarioInvalid');
}

describe('parseScenario', () => {
  it('returns the scenario with every default applied', () => {
    // Prepare
    const input = {
      sourceServers: [{ sourceServerID: S1, hostname: 'db-1' }, { sourceServerID: S2 }],
      launches: { [S1]: { result: 'FAILED', rawError: 'boom' }, [S2]: {} },
      jobCompletesAfterSeconds: 600,
    };

    // Act
    const scenario = parseScenario(input);

    // Assess
    expect(scenario).toEqual({
      sourceServers: [
        { sourceServerID: S1, hostname: 'db-1', replicationState: 'CONTINUOUS', lastSnapshotAgeSeconds: 300, tags: {} },
        { sourceServerID: S2, replicationState: 'CONTINUOUS', lastSnapshotAgeSeconds: 300, tags: {} },
      ],
      launches: {
        [S1]: {
          result: 'FAILED',
          afterSeconds: 60,
          omitFromJob: false,
          postLaunchActions: 'NONE',
          postLaunchActionsStartAfterSeconds: 60,
          rawError: 'boom',
        },
        [S2]: {
          result: 'LAUNCHED',
          afterSeconds: 60,
          omitFromJob: false,
          postLaunchActions: 'NONE',
          postLaunchActionsStartAfterSeconds: 60,
        },
      },
      jobCompletesAfterSeconds: 600,
      faults: {},
    });
  });

  it('returns the empty scenario for {} and from defaultScenario()', () => {
    // Act
    const parsed = parseScenario({});

    // Assess
    expect(parsed).toEqual({ launches: {}, faults: {} });
    expect(defaultScenario()).toEqual(parsed);
  });

  it('throws ScenarioInvalid naming every problem at once, each with its path, value and expectation', () => {
    // Prepare
    const input = {
      sourceServers: [
        { sourceServerID: 's-123', replicationState: 'SYNCING' },
        { sourceServerID: S1, hostnme: 'db-1' },
        { sourceServerID: S1 },
      ],
      launches: {
        [S1]: { result: 'BOOM', afterSeconds: -5, postLaunchActions: 'MAYBE' },
        [S2]: { omitFromJob: 'yes' },
        'not-a-server': {},
      },
      jobCompletesAfterSeconds: 0,
      chaos: [],
    };

    // Act
    const problems = problemsOf(input);

    // Assess
    expect(problems).toEqual(
      expect.arrayContaining([
        'sourceServers[0]: sourceServerID "s-123" does not match ^s-[0-9a-zA-Z]{17}$',
        'sourceServers[0]: replicationState "SYNCING" is not one of STOPPED, INITIATING, INITIAL_SYNC, BACKLOG, CREATING_SNAPSHOT, CONTINUOUS, PAUSED, RESCAN, STALLED, DISCONNECTED',
        'sourceServers[1]: unknown field "hostnme" (expected only sourceServerID, hostname, replicationState, lastSnapshotAgeSeconds, tags)',
        `sourceServers[2]: sourceServerID "${S1}" is listed twice (first at sourceServers[1]); expected each server once`,
        `launches.${S1}: result "BOOM" is not one of LAUNCHED, FAILED, TERMINATED, STUCK, SKIPPED`,
        `launches.${S1}: afterSeconds -5 is less than 0 (expected a number ≥ 0)`,
        `launches.${S1}: postLaunchActions "MAYBE" is not one of SUCCEEDED, FAILED, OPTIONAL_FAILED, NONE`,
        `launches.${S2}: omitFromJob "yes" is not a boolean`,
        expect.stringMatching(/^launches: key "not-a-server" is not a source server ID/),
        expect.stringMatching(new RegExp(`^launches: key "${S2}" is not in sourceServers`)),
        'scenario: jobCompletesAfterSeconds 0 is not greater than 0 (expected a number > 0)',
        'scenario: unknown field "chaos" (expected only sourceServers, launches, jobCompletesAfterSeconds, jobVisibleAfterSeconds, faults, outages, quotas, taskCrashes, approvals, waveActions, existingRecoveryInstances, terminations, events, otherJobs)',
      ]),
    );
    expect(problems).toHaveLength(12);
  });

  it('throws a ScenarioInvalid whose name and message carry every problem', () => {
    // Prepare
    const input = { launches: { [S1]: { result: 'BOOM' } }, jobCompletesAfterSeconds: 'soon' };

    // Act
    const thrown = (() => {
      try {
        parseScenario(input);
        return undefined;
      } catch (error) {
        return error;
      }
    })();

    // Assess
    expect(thrown).toBeInstanceOf(ScenarioInvalid);
    expect(thrown).toMatchObject({ name: 'ScenarioInvalid' });
    const message = (thrown as Error).message;
    expect(message).toContain('2 problems');
    expect(message).toContain(`launches.${S1}: result "BOOM" is not one of LAUNCHED, FAILED, TERMINATED, STUCK`);
    expect(message).toContain('scenario: jobCompletesAfterSeconds "soon" is not a number');
  });

  it('throws ScenarioInvalid for a scenario that is not an object', () => {
    // Act
    const problems = problemsOf([]);

    // Assess
    expect(problems).toEqual(['scenario: [] is not an object']);
  });

  it('throws ScenarioInvalid when launches is not a map', () => {
    // Act
    const problems = problemsOf({ launches: [S1] });

    // Assess
    expect(problems).toEqual([`scenario: launches ["${S1}"] is not an object (a map keyed by source server ID)`]);
  });

  it('accepts a server without any snapshot (lastSnapshotAgeSeconds null) and a late SSM agent', () => {
    // Act
    const scenario = parseScenario({
      sourceServers: [{ sourceServerID: S1, replicationState: 'STALLED', lastSnapshotAgeSeconds: null }],
      launches: { [S1]: { postLaunchActions: 'SUCCEEDED', postLaunchActionsStartAfterSeconds: 600 } },
    });

    // Assess
    expect(scenario.sourceServers?.[0]).toMatchObject({ replicationState: 'STALLED', lastSnapshotAgeSeconds: null });
    expect(scenario.launches[S1]).toMatchObject({ postLaunchActionsStartAfterSeconds: 600 });
  });

  it('throws ScenarioInvalid naming a negative snapshot age and a negative post-launch start', () => {
    // Act
    const problems = problemsOf({
      sourceServers: [{ sourceServerID: S1, lastSnapshotAgeSeconds: -1 }],
      launches: { [S1]: { postLaunchActionsStartAfterSeconds: 'later' } },
    });

    // Assess
    expect(problems).toEqual([
      'sourceServers[0]: lastSnapshotAgeSeconds -1 is less than 0 (expected a number ≥ 0)',
      `launches.${S1}: postLaunchActionsStartAfterSeconds "later" is not a number`,
    ]);
  });
});
