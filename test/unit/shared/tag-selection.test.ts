import type { SourceServer } from '@aws-sdk/client-drs';
import { carriesTags, selectMembers, withMembers } from '../../../functions/shared/tag-selection';
import type { Plan, PlanWave } from '../../../functions/shared/types';

const id = (n: number) => `s-${String(n).padStart(17, '0')}`;
const server = (n: number, tags: Record<string, string> = {}): SourceServer => ({ sourceServerID: id(n), tags });
const planOf = (...waves: Partial<PlanWave>[]): Plan => ({
  planId: 'shop',
  name: 'shop',
  pollIntervalSeconds: 30,
  waves: waves.map((w, i) => ({ name: `W${i + 1}`, sourceServerIDs: [], timeoutMinutes: 60, ...w })),
});

const estate = [
  server(1, { App: 'shop', Tier: 'db' }),
  server(2, { App: 'shop', Tier: 'db' }),
  server(3, { App: 'shop', Tier: 'app' }),
  server(4, { App: 'shop', Tier: 'app', Extra: '' }),
  server(5, { App: 'blog', Tier: 'app' }),
  server(6),
];

describe('carriesTags', () => {
  it('returns true only when the server carries every tag with the same value (case-sensitive)', () => {
    expect(carriesTags(server(1, { App: 'shop', Tier: 'db' }), { App: 'shop' })).toBe(true);
    expect(carriesTags(server(1, { App: 'shop' }), { App: 'shop', Tier: 'db' })).toBe(false);
    expect(carriesTags(server(1, { App: 'Shop' }), { App: 'shop' })).toBe(false);
    expect(carriesTags(server(1, { Extra: '' }), { Extra: '' })).toBe(true);
    expect(carriesTags({ sourceServerID: id(1) }, { Extra: '' })).toBe(false);
  });
});

describe('selectMembers', () => {
  it('returns each wave its listed, optional and tag-selected members, tag matches in ID order', () => {
    const plan = planOf(
      { sourceServerTags: { Tier: 'db', App: 'shop' } },
      { sourceServerIDs: [id(6)], sourceServerTags: { App: 'shop', Tier: 'app' }, optionalSourceServerIDs: [id(5)] },
    );

    const { waves, invalid } = selectMembers(plan, [...estate].reverse());

    expect(invalid).toEqual([]);
    expect(waves).toEqual([
      { sourceServerIDs: [id(1), id(2)], optionalSourceServerIDs: [], taggedSourceServerIDs: [id(1), id(2)] },
      {
        sourceServerIDs: [id(6), id(5), id(3), id(4)],
        optionalSourceServerIDs: [id(5)],
        taggedSourceServerIDs: [id(3), id(4)],
      },
    ]);
  });

  it('counts a server listed in a wave and matching its own tags once, keeping how it was listed', () => {
    const plan = planOf({ optionalSourceServerIDs: [id(1)], sourceServerTags: { Tier: 'db' } });

    const { waves, invalid } = selectMembers(plan, estate);

    expect(invalid).toEqual([]);
    expect(waves[0]).toEqual({
      sourceServerIDs: [id(1), id(2)],
      optionalSourceServerIDs: [id(1)],
      taggedSourceServerIDs: [id(1), id(2)],
    });
  });

  it('fails naming the wave and its tags when they match no server', () => {
    const plan = planOf({ name: 'Databases', sourceServerTags: { App: 'shop', Tier: 'cache' } });

    const { invalid } = selectMembers(plan, estate);

    expect(invalid).toEqual([
      `wave 1 'Databases' (tags {"App":"shop","Tier":"cache"}): no DRS source server in this account and region carries all of these tags: check the tag keys and values (both are case-sensitive) or list the servers by ID`,
    ]);
  });

  it('fails naming both waves, their tags and the servers when two waves select the same servers by tag', () => {
    const plan = planOf(
      { name: 'Shop', sourceServerTags: { App: 'shop' } },
      { name: 'App tier', sourceServerTags: { Tier: 'app' } },
    );

    const { invalid } = selectMembers(plan, estate);

    expect(invalid).toEqual([
      `wave 1 'Shop' (tags {"App":"shop"}) and wave 2 'App tier' (tags {"Tier":"app"}) both select ${id(3)}, ${id(4)}: a server belongs to one wave: make the tags tell the waves apart, or take the server out of one`,
    ]);
  });

  it('fails when one wave lists a server by ID (optional or not) that a later or earlier wave selects by tag', () => {
    const plan = planOf(
      { name: 'Tagged', sourceServerTags: { Tier: 'db' } },
      { name: 'Listed', sourceServerIDs: [id(6)], optionalSourceServerIDs: [id(2)] },
    );

    const { invalid, waves } = selectMembers(plan, estate);

    expect(invalid).toEqual([
      `wave 1 'Tagged' (tags {"Tier":"db"}) and wave 2 'Listed' both select ${id(2)}: a server belongs to one wave: make the tags tell the waves apart, or take the server out of one`,
    ]);
    expect(waves[0]?.sourceServerIDs).toEqual([id(1)]);
  });
});

describe('withMembers', () => {
  it('puts the resolved members in the plan and leaves a wave without tags or optional servers as it was', () => {
    const plan = planOf(
      { sourceServerIDs: [id(6)] },
      { sourceServerTags: { Tier: 'db' }, optionalSourceServerIDs: [id(5)] },
    );

    const resolved = withMembers(plan, selectMembers(plan, estate).waves);

    expect(resolved.waves[0]).toEqual(plan.waves[0]);
    expect(resolved.waves[1]).toEqual({
      name: 'W2',
      sourceServerIDs: [id(5), id(1), id(2)],
      sourceServerTags: { Tier: 'db' },
      optionalSourceServerIDs: [id(5)],
      taggedSourceServerIDs: [id(1), id(2)],
      timeoutMinutes: 60,
    });
  });
});
