import { DescribeJobsCommand, type DrsClient, type Job } from '@aws-sdk/client-drs';
import { createDrsStartClient, type DrsTimeouts } from '../../../functions/shared/clients';
import { DrsSimulator, parseScenario } from '../../../local/drs-simulator';
import { SimulatedClock } from '../../../local/simulated-clock';

export const START = new Date('2026-01-01T00:00:00.000Z');

/** Source server IDs in the DRS format. */
export const S1 = 's-0a1b2c3d4e5f60001';
export const S2 = 's-0a1b2c3d4e5f60002';
export const S3 = 's-0a1b2c3d4e5f60003';

export interface Harness {
  sim: DrsSimulator;
  client: DrsClient;
  clock: SimulatedClock;
  endpoint: string;
}

/** ISO time `seconds` after START, as the simulator renders it. */
export function at(seconds: number): string {
  return new Date(START.getTime() + seconds * 1000).toISOString();
}

/**
 * Registers an afterEach that stops every simulator started through the returned function.
 * Each simulator is driven by a real DrsClient (the factory's) pointed at its loopback endpoint.
 */
export function simulatorHarness(): (opts?: {
  scenario?: unknown;
  planServerIDs?: string[];
  drsTimeouts?: DrsTimeouts;
}) => Promise<Harness> {
  const started: Harness[] = [];
  afterEach(async () => {
    for (const harness of started.splice(0)) {
      harness.client.destroy();
      await harness.sim.stop();
    }
  });
  return async (opts = {}) => {
    const clock = new SimulatedClock(START);
    const sim = new DrsSimulator({
      scenario: parseScenario(opts.scenario ?? {}),
      clock,
      planServerIDs: opts.planServerIDs ?? [S1, S2],
    });
    const endpoint = await sim.start();
    // The factory's client with SDK retries off (each call is one request, as the tests count them),
    // and the factory's HTTP handler and timeouts, as the task code has them.
    const client = createDrsStartClient({
      region: 'us-east-1',
      drsEndpoint: endpoint,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      ...(opts.drsTimeouts ? { drsTimeouts: opts.drsTimeouts } : {}),
    });
    const harness = { sim, client, clock, endpoint };
    started.push(harness);
    return harness;
  };
}

/** The job as DescribeJobs returns it now, failing the test unless exactly one job matches. */
export async function describeJob(client: DrsClient, jobID: string): Promise<Job> {
  const { items } = await client.send(new DescribeJobsCommand({ filters: { jobIDs: [jobID] } }));
  expect(items).toHaveLength(1);
  return (items ?? [])[0] as Job;
}
