import { DescribeSourceServersCommand } from '@aws-sdk/client-drs';
import { parseScenario, ScenarioInvalid } from '../../../local/drs-simulator';
import { S1, S2, simulatorHarness } from './harness';

const start = simulatorHarness();

describe('source server tags in the DRS simulator', () => {
  it("returns each server's scenario tags in DescribeSourceServers, as DRS does, and none for an untagged one", async () => {
    // Prepare
    const { client } = await start({
      scenario: { sourceServers: [{ sourceServerID: S1, tags: { App: 'shop', Tier: '' } }, { sourceServerID: S2 }] },
    });

    // Act
    const out = await client.send(new DescribeSourceServersCommand({ filters: {} }));

    // Assess
    expect(out.items?.map((s) => [s.sourceServerID, s.tags])).toEqual([
      [S1, { App: 'shop', Tier: '' }],
      [S2, {}],
    ]);
  });

  it('refuses tags DRS would not hold, naming each', () => {
    const tags = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
    let problems: string[] = [];
    try {
      parseScenario({
        sourceServers: [
          { sourceServerID: S1, tags },
          { sourceServerID: S2, tags: { App: 3 } },
        ],
      });
    } catch (error) {
      expect(error).toBeInstanceOf(ScenarioInvalid);
      problems = (error as ScenarioInvalid).problems;
    }
    expect(problems).toEqual([
      expect.stringContaining('(a source server carries at most 50 tags)'),
      expect.stringContaining('sourceServers[1].tags: App 3 is not a string'),
    ]);
  });
});
