import type { SourceServer } from '@aws-sdk/client-drs';
import type { Plan, PlanWave } from './types';

/**
 * A wave's members once its tags are resolved: the servers it launches (`sourceServerIDs`, all of
 * them), which of them are optional, and which the tags selected. Frozen into the execution's
 * records when it starts, so a tag changed during a recovery never changes what it recovers.
 */
export interface WaveMembers {
  sourceServerIDs: string[];
  optionalSourceServerIDs: string[];
  taggedSourceServerIDs: string[];
}

/** `{"App":"shop","Tier":"app"}`: tags as the plan wrote them (JSON shows an empty value and spaces plainly). */
export const tagsText = (tags: Readonly<Record<string, string>>) => JSON.stringify(tags);

/** Whether the server carries every one of the tags, each with the same value (DRS tags are case-sensitive). */
export const carriesTags = (server: SourceServer, tags: Readonly<Record<string, string>>): boolean =>
  Object.entries(tags).every(([key, value]) => server.tags?.[key] === value);

const waveLabel = (wave: PlanWave, w: number) =>
  `wave ${w + 1} '${wave.name}'${wave.sourceServerTags ? ` (tags ${tagsText(wave.sourceServerTags)})` : ''}`;

/**
 * Resolves every wave's members from DRS's source servers (all of them, as DescribeSourceServers
 * lists them without a filter): its listed IDs, its optional IDs, then the servers that carry all
 * its tags, in ID order. A server listed in a wave and matching its own tags is one member. Each
 * problem names the wave, the tags and the servers: tags that match nothing, and a server two
 * waves select (by tags, or by tags in one and by ID in the other; two waves listing the same ID
 * are the plan rules' to name).
 */
export function selectMembers(
  plan: Plan,
  servers: Iterable<SourceServer>,
): { waves: WaveMembers[]; invalid: string[] } {
  const all = [...servers].filter((s) => s.sourceServerID);
  const listedIn = new Map<string, number>();
  plan.waves.forEach((wave, w) => {
    for (const id of [...wave.sourceServerIDs, ...(wave.optionalSourceServerIDs ?? [])]) listedIn.set(id, w);
  });
  const invalid: string[] = [];
  const taggedBy = new Map<string, number>();
  /** Servers two waves select, by the pair of waves (earlier first). */
  const shared = new Map<string, { a: number; b: number; ids: string[] }>();
  const share = (a: number, b: number, id: string) => {
    const [first, second] = a < b ? [a, b] : [b, a];
    const key = `${first}/${second}`;
    const entry = shared.get(key) ?? { a: first, b: second, ids: [] };
    entry.ids.push(id);
    shared.set(key, entry);
  };

  const waves = plan.waves.map((wave, w): WaveMembers => {
    const optional = wave.optionalSourceServerIDs ?? [];
    const listed = [...wave.sourceServerIDs, ...optional];
    const tagged: string[] = [];
    if (wave.sourceServerTags) {
      const tags = wave.sourceServerTags;
      const matches = all
        .filter((s) => carriesTags(s, tags))
        .map((s) => s.sourceServerID as string)
        .sort();
      if (matches.length === 0) {
        invalid.push(
          `${waveLabel(wave, w)}: no DRS source server in this account and region carries all of these tags: check the tag keys and values (both are case-sensitive) or list the servers by ID`,
        );
      }
      for (const id of matches) {
        const listedWave = listedIn.get(id);
        const taggedWave = taggedBy.get(id);
        if (listedWave !== undefined && listedWave !== w) share(listedWave, w, id);
        else if (taggedWave !== undefined) share(taggedWave, w, id);
        else {
          taggedBy.set(id, w);
          tagged.push(id);
        }
      }
    }
    const inList = new Set(listed);
    return {
      sourceServerIDs: [...listed, ...tagged.filter((id) => !inList.has(id))],
      optionalSourceServerIDs: [...optional],
      taggedSourceServerIDs: tagged,
    };
  });

  for (const { a, b, ids } of shared.values()) {
    const [first, second] = [plan.waves[a] as PlanWave, plan.waves[b] as PlanWave];
    invalid.push(
      `${waveLabel(first, a)} and ${waveLabel(second, b)} both select ${ids.join(', ')}: a server belongs to one wave: make the tags tell the waves apart, or take the server out of one`,
    );
  }
  return { waves, invalid };
}

/** The plan with each wave's resolved members in place of its listed IDs: what the execution records and runs. */
export function withMembers(plan: Plan, members: readonly WaveMembers[]): Plan {
  return {
    ...plan,
    waves: plan.waves.map((wave, w) => {
      const m = members[w];
      if (!m) return wave;
      return {
        ...wave,
        sourceServerIDs: m.sourceServerIDs,
        ...(m.optionalSourceServerIDs.length > 0 ? { optionalSourceServerIDs: m.optionalSourceServerIDs } : {}),
        ...(wave.sourceServerTags ? { taggedSourceServerIDs: m.taggedSourceServerIDs } : {}),
      };
    }),
  };
}
