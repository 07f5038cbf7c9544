/**
 * How the simulator spells what DRS names: job, instance and run IDs, ARNs and timestamps.
 * IDs are derived from a counter by hashing, not drawn at random, so the same scenario driven
 * the same way gives the same IDs (tests and drill reports can be compared run to run).
 */
import { createHash } from 'node:crypto';

/** The account and region the simulated DRS lives in, for its ARNs. */
export interface AccountScope {
  region: string;
  accountId: string;
}

/**
 * The ID of the `seq`-th job (1-based), in the DRS `drsjob-` format. `idSeed` tells apart the
 * simulators that share one table (the web console runs one per execution): a real account never
 * hands out one job ID twice, and the records keyed by job ID (launch waits) rely on that.
 */
export function jobIdFor(seq: number, idSeed = ''): string {
  return `drsjob-${deterministicHex(`${idSeed}job/${seq}`, 17)}`;
}

/** The ID of the `n`-th recovery instance (1-based), in the EC2 `i-` format. */
export function instanceIdFor(n: number, idSeed = ''): string {
  return `i-${deterministicHex(`${idSeed}instance/${n}`, 17)}`;
}

/** The EC2 instance ID of the conversion server DRS runs for one server of one job. */
export function conversionServerIdFor(jobID: string, sourceServerID: string): string {
  return `i-${deterministicHex(`conversion/${jobID}/${sourceServerID}`, 17)}`;
}

/** A point-in-time snapshot ID (`pit-` and 17 characters) for a server's snapshot taken at a time. */
export function snapshotIdFor(sourceServerID: string, takenMs: number): string {
  return `pit-${deterministicHex(`snapshot/${sourceServerID}/${takenMs}`, 17)}`;
}

/** A version-4-shaped UUID that is the same for the same seed. */
export function deterministicUuid(seed: string): string {
  const hex = deterministicHex(seed, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function arnFor(scope: AccountScope, resource: string, id: string): string {
  return `arn:aws:drs:${scope.region}:${scope.accountId}:${resource}/${id}`;
}

/** A simulated time as DRS renders date-times. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function deterministicHex(seed: string, length: number): string {
  return createHash('sha256').update(`drs-simulator/${seed}`).digest('hex').slice(0, length);
}
