import { CLEANUP_TASKS } from '../../infra/constructs/drill-cleanup';
import { CLEANUP_TASK_FUNCTIONS } from '../../local/task-functions';
import { type AslState, allStates, CLEANUP_ASL_PATH, placeholdersOf, readAsl } from '../../statemachine/definition';

const text = readAsl(CLEANUP_ASL_PATH);
const cleanup = JSON.parse(text) as { States: Record<string, AslState>; QueryLanguage?: string };
const main = JSON.parse(readAsl()) as { States: Record<string, AslState> };
const tasks = [...allStates(cleanup)].filter(([, s]) => s.Type === 'Task');

describe('statemachine/drill-cleanup.asl.json', () => {
  it('is JSONPath, as the local engine runs it (no JSONata, no Assign)', () => {
    expect(cleanup.QueryLanguage).toBeUndefined();
    expect(text).not.toContain('"Assign"');
    expect(text).not.toContain('{%');
  });

  it('names exactly the placeholders the stack and the local runner bind', () => {
    const placeholders = [...placeholdersOf(text)].sort();
    expect(placeholders).toEqual(Object.keys(CLEANUP_TASKS).sort());
    expect(placeholders).toEqual(Object.keys(CLEANUP_TASK_FUNCTIONS).sort());
  });

  it("retries every task as the recovery workflow's tasks are retried (DRS faults, crashed attempts)", () => {
    const mainRetry = [...allStates(main)].find(([, s]) => s.Type === 'Task')?.[1].Retry;
    for (const [name, state] of tasks) expect({ name, retry: state.Retry }).toEqual({ name, retry: mainRetry });
  });

  it('waits for a scheduled run until scheduledFor, and a run on demand not at all', () => {
    const states = cleanup.States as Record<string, AslState & { Choices?: unknown[]; Default?: string }>;
    expect(states['Wait until the cleanup is due']).toMatchObject({ Type: 'Wait', TimestampPath: '$.scheduledFor' });
    expect(states['Cleanup due later?']?.Default).toBe("Claim the cleanup and terminate the drill's instances");
  });
});
