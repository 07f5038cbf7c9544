import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { ServerStatus } from '../types';
import { waveKey } from './keys';
import type { RecordsTable } from './table';

/**
 * When each server was first seen LAUNCHED: the report's launch marks and each server's time to
 * launch. DRS's job says whether a server launched, not when, so the time is the check that first
 * saw it (a server that launched between two checks is marked at the later one: at most one poll
 * interval late, never early). A time once recorded is kept by every later write of the servers.
 */
export function stampLaunchTimes(
  previous: readonly ServerStatus[] | undefined,
  current: readonly ServerStatus[],
  seenAt: Date,
): ServerStatus[] {
  const known = new Map((previous ?? []).flatMap((s) => (s.launchedAt ? [[s.sourceServerID, s.launchedAt]] : [])));
  return current.map((server) => {
    const { launchedAt: _ignored, ...rest } = server;
    const first = known.get(server.sourceServerID) ?? server.launchedAt;
    if (first) return { ...rest, launchedAt: first };
    return server.launchStatus === 'LAUNCHED' ? { ...rest, launchedAt: seenAt.toISOString() } : rest;
  });
}

/**
 * The wave's servers as last recorded, to carry their launch times into the next write. Read only
 * when the servers' states changed (a write follows anyway), so a quiet poll still costs nothing.
 */
export async function recordedServers(
  table: RecordsTable,
  executionId: string,
  index: number,
): Promise<ServerStatus[] | undefined> {
  const out = await table.db.send(
    new GetCommand({
      TableName: table.tableName,
      Key: waveKey(executionId, index),
      ProjectionExpression: 'servers',
      ConsistentRead: true,
    }),
  );
  const servers = out.Item?.servers;
  return Array.isArray(servers) ? (servers as ServerStatus[]) : undefined;
}
