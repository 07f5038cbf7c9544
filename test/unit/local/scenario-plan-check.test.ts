import { parseScenario } from '../../../local/drs-simulator';
import {
  editDistance,
  nearestId,
  scenarioProblemsAgainstPlan,
  serverIDsInPlan,
} from '../../../local/scenario-plan-check';

const PLAN_IDS = ['s-0db00000000000001', 's-0app0000000000001', 's-0app0000000000002'];

describe('scenarioProblemsAgainstPlan', () => {
  it('names a launch for a server not in the plan, and the plan ID it was probably meant to be', () => {
    // A typo: the last two digits swapped.
    const scenario = parseScenario({ launches: { 's-0app0000000000020': { result: 'FAILED' } } });

    expect(scenarioProblemsAgainstPlan(scenario, PLAN_IDS)).toEqual([
      'launches.s-0app0000000000020: s-0app0000000000020 is not a server of the plan, so this entry would never be used (did you mean s-0app0000000000002?)',
    ]);
  });

  it('names every such entry', () => {
    const scenario = parseScenario({
      launches: {
        's-0db00000000000001': { result: 'LAUNCHED' },
        's-0db0000000000000x': {},
        's-0web0000000000001': {},
      },
    });

    const problems = scenarioProblemsAgainstPlan(scenario, PLAN_IDS);

    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain('did you mean s-0db00000000000001?');
    expect(problems[1]).toMatch(/^launches\.s-0web0000000000001: /);
  });

  it('accepts launches for plan servers, and an inventory with servers the plan does not recover', () => {
    const scenario = parseScenario({
      sourceServers: [{ sourceServerID: 's-0db00000000000001' }, { sourceServerID: 's-0other00000000001' }],
      launches: { 's-0db00000000000001': { result: 'FAILED' } },
    });

    expect(scenarioProblemsAgainstPlan(scenario, PLAN_IDS)).toEqual([]);
  });

  it('says so when the plan lists no servers to compare with', () => {
    const scenario = parseScenario({ launches: { 's-0db00000000000001': {} } });

    expect(scenarioProblemsAgainstPlan(scenario, [])).toEqual([
      'launches.s-0db00000000000001: s-0db00000000000001 is not a server of the plan, so this entry would never be used (the plan lists no servers)',
    ]);
  });
});

describe('nearestId', () => {
  it('returns the candidate fewest edits away, the first of equals', () => {
    expect(nearestId('s-0app0000000000003', PLAN_IDS)).toBe('s-0app0000000000001');
    expect(nearestId('s-0db0000000000001', PLAN_IDS)).toBe('s-0db00000000000001');
    expect(nearestId('anything', [])).toBeUndefined();
  });
});

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and swapped neighbours as one edit each', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('abc', 'abc')).toBe(0);
    expect(editDistance('ab', 'ba')).toBe(1);
    expect(editDistance('s-0app0000000000020', 's-0app0000000000002')).toBe(1);
  });
});

describe('serverIDsInPlan', () => {
  it('lists the string IDs of a plan as given, valid or not, in plan order', () => {
    const plan = {
      waves: [{ sourceServerIDs: ['s-1', 42] }, { sourceServerIDs: 'none' }, null, { sourceServerIDs: ['s-2'] }],
    };

    expect(serverIDsInPlan(plan)).toEqual(['s-1', 's-2']);
    expect(serverIDsInPlan(null)).toEqual([]);
    expect(serverIDsInPlan({ waves: {} })).toEqual([]);
  });

  it("adds optional IDs and the scenario's servers that carry all of a wave's tags, so their launches are not refused", () => {
    const scenario = parseScenario({
      sourceServers: [
        { sourceServerID: 's-0app0000000000001', tags: { App: 'shop', Tier: 'app' } },
        { sourceServerID: 's-0app0000000000002', tags: { App: 'shop' } },
        { sourceServerID: 's-0db00000000000001' },
      ],
      launches: { 's-0app0000000000001': { result: 'FAILED' } },
    });
    const plan = {
      waves: [
        { sourceServerIDs: ['s-0db00000000000001'], optionalSourceServerIDs: ['s-0opt0000000000001'] },
        { sourceServerTags: { App: 'shop', Tier: 'app' } },
      ],
    };

    const ids = serverIDsInPlan(plan, scenario);

    expect(ids).toEqual(['s-0db00000000000001', 's-0opt0000000000001', 's-0app0000000000001']);
    expect(scenarioProblemsAgainstPlan(scenario, ids)).toEqual([]);
  });
});

describe('scenarioProblemsAgainstPlan: waveActions', () => {
  it('names an entry for an action the plan does not have, and the action it was probably meant to be', () => {
    const scenario = parseScenario({ waveActions: { 'Smoke tset': { result: 'FAILED' } } });

    expect(scenarioProblemsAgainstPlan(scenario, [], ['Drain old site', 'Smoke test'])).toEqual([
      "waveActions.Smoke tset: the plan has no wave action 'Smoke tset', so this entry would never be used (did you mean 'Smoke test'?)",
    ]);
    expect(scenarioProblemsAgainstPlan(scenario, [], ['Smoke tset'])).toEqual([]);
  });

  it('refuses an unknown result or field in an entry, naming what is allowed', () => {
    expect(() => parseScenario({ waveActions: { 'Smoke test': { result: 'EXPLODES', delay: 1 } } })).toThrow(
      /waveActions\.Smoke test: unknown field "delay" \(expected only result, afterSeconds, message, answer\)/,
    );
  });
});
