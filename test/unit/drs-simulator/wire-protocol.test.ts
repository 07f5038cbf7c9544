import {
  DescribeJobLogItemsCommand,
  DescribeJobsCommand,
  DescribeRecoveryInstancesCommand,
  DescribeSourceServersCommand,
  type DrsClient,
  type Job,
  paginateDescribeJobs,
  StartRecoveryCommand,
  TerminateRecoveryInstancesCommand,
} from '@aws-sdk/client-drs';
import { S1, S2, S3, simulatorHarness } from './harness';

const start = simulatorHarness();

/** Makes every request of `client` go out with `change` applied (after the SDK serialized it). */
function rewriteRequests(client: DrsClient, change: (request: { path: string; body: unknown }) => void): void {
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { path: string; body: unknown; headers: Record<string, string> };
      change(request);
      if (typeof request.body === 'string') {
        request.headers['content-length'] = String(Buffer.byteLength(request.body));
      }
      return next(args);
    },
    { step: 'build', name: 'rewriteRequestForTest' },
  );
}

function serverIDs(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `s-${String(index).padStart(17, '0')}`);
}

describe('DrsSimulator wire protocol', () => {
  it('returns a ValidationException (400, fieldValidationFailed) to the SDK when sourceServers is empty', async () => {
    // Prepare
    const { client, sim } = await start();

    // Act
    const call = client.send(new StartRecoveryCommand({ sourceServers: [] }));

    // Assess
    await expect(call).rejects.toMatchObject({
      name: 'ValidationException',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
      reason: 'fieldValidationFailed',
      fieldList: [expect.objectContaining({ name: 'sourceServers' })],
    });
    expect(sim.counts()).toMatchObject({ startRecoveryCalls: 1, jobsCreated: 0 });
  });

  it('returns a ValidationException when StartRecovery names more than 200 servers', async () => {
    // Prepare
    const ids = serverIDs(201);
    const { client } = await start({ planServerIDs: ids });

    // Act
    const call = client.send(
      new StartRecoveryCommand({ sourceServers: ids.map((sourceServerID) => ({ sourceServerID })) }),
    );

    // Assess
    await expect(call).rejects.toMatchObject({
      name: 'ValidationException',
      $metadata: { httpStatusCode: 400 },
      reason: 'fieldValidationFailed',
    });
  });

  it('returns a ValidationException naming every server that does not exist in DRS', async () => {
    // Prepare: S2 is a plan server, but the scenario's inventory does not have it
    const { client, sim } = await start({
      planServerIDs: [S1, S2],
      scenario: { sourceServers: [{ sourceServerID: S1 }] },
    });

    // Act
    const call = client.send(
      new StartRecoveryCommand({
        sourceServers: [{ sourceServerID: S1 }, { sourceServerID: S2 }, { sourceServerID: S3 }],
      }),
    );

    // Assess
    const error = await call.catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ValidationException', $metadata: { httpStatusCode: 400 }, reason: 'other' });
    expect((error as Error).message).toContain(S2);
    expect((error as Error).message).toContain(S3);
    expect((error as Error).message).not.toContain(S1);
    expect(sim.jobs()).toEqual([]);
  });

  it('returns a ConflictException (409) while a requested server is in a job that has not completed', async () => {
    // Prepare
    const { client, clock, sim } = await start();
    await client.send(new StartRecoveryCommand({ sourceServers: [{ sourceServerID: S1 }] }));
    clock.advance(30);

    // Act
    const conflicting = client.send(
      new StartRecoveryCommand({ sourceServers: [{ sourceServerID: S2 }, { sourceServerID: S1 }] }),
    );
    await expect(conflicting).rejects.toMatchObject({
      name: 'ConflictException',
      $metadata: { httpStatusCode: 409 },
      resourceId: S1,
    });
    clock.advance(30);
    const afterCompletion = await client.send(new StartRecoveryCommand({ sourceServers: [{ sourceServerID: S1 }] }));

    // Assess
    expect(afterCompletion.$metadata.httpStatusCode).toBe(202);
    expect(sim.counts()).toMatchObject({ startRecoveryCalls: 3, jobsCreated: 2 });
  });

  it('returns a ValidationException for DescribeSourceServers with more than 200 IDs', async () => {
    // Prepare
    const { client } = await start();

    // Act
    const call = client.send(new DescribeSourceServersCommand({ filters: { sourceServerIDs: serverIDs(201) } }));

    // Assess
    await expect(call).rejects.toMatchObject({ name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
  });

  it('returns a ValidationException for TerminateRecoveryInstances with an unknown instance', async () => {
    // Prepare
    const { client } = await start();

    // Act
    const call = client.send(new TerminateRecoveryInstancesCommand({ recoveryInstanceIDs: ['i-0123456789abcdef0'] }));

    // Assess
    await expect(call).rejects.toMatchObject({
      name: 'ValidationException',
      $metadata: { httpStatusCode: 400 },
      message: expect.stringContaining('i-0123456789abcdef0'),
    });
  });

  it('returns a 404 UnknownOperationException for a path that is not a DRS operation', async () => {
    // Prepare
    const { client, sim } = await start();
    rewriteRequests(client, (request) => {
      request.path = '/LaunchEverything';
    });

    // Act
    const call = client.send(new DescribeJobsCommand({}));

    // Assess
    await expect(call).rejects.toMatchObject({
      name: 'UnknownOperationException',
      $metadata: { httpStatusCode: 404 },
      message: expect.stringContaining('/LaunchEverything'),
    });
    expect(sim.counts().describeJobsCalls).toBe(0);
  });

  it('returns a 400 ValidationException (cannotParse) for a body that is not JSON', async () => {
    // Prepare
    const { client, sim } = await start();
    rewriteRequests(client, (request) => {
      request.body = '{"sourceServers": [';
    });

    // Act
    const call = client.send(new StartRecoveryCommand({ sourceServers: [{ sourceServerID: S1 }] }));

    // Assess
    await expect(call).rejects.toMatchObject({
      name: 'ValidationException',
      $metadata: { httpStatusCode: 400 },
      reason: 'cannotParse',
    });
    expect(sim.counts()).toMatchObject({ startRecoveryCalls: 1, jobsCreated: 0 });
  });

  it('returns every job newest first through the SDK paginator, honouring the page size', async () => {
    // Prepare: seven jobs, one after the other on the same server
    const { client, clock, sim } = await start();
    const created: string[] = [];
    for (let index = 0; index < 7; index++) {
      const { job } = await client.send(new StartRecoveryCommand({ sourceServers: [{ sourceServerID: S1 }] }));
      created.push(job?.jobID as string);
      clock.advance(60);
    }

    // Act
    const pages: Job[][] = [];
    for await (const page of paginateDescribeJobs({ client, pageSize: 3 }, {})) {
      pages.push(page.items ?? []);
    }

    // Assess
    expect(pages.map((page) => page.length)).toEqual([3, 3, 1]);
    expect(pages.flat().map((job) => job.jobID)).toEqual([...created].reverse());
    expect(pages.flat()).toEqual(sim.jobs());
  });

  it('returns only the jobs named in the jobIDs filter, and only those created within fromDate..toDate', async () => {
    // Prepare
    const { client, clock } = await start();
    const first = await client.send(new StartRecoveryCommand({ sourceServers: [{ sourceServerID: S1 }] }));
    clock.advance(120);
    const second = await client.send(new StartRecoveryCommand({ sourceServers: [{ sourceServerID: S2 }] }));

    // Act
    const byID = await client.send(new DescribeJobsCommand({ filters: { jobIDs: [first.job?.jobID as string] } }));
    const byDate = await client.send(
      new DescribeJobsCommand({ filters: { fromDate: '2026-01-01T00:01:00Z', toDate: '2026-01-01T00:05:00Z' } }),
    );
    const unknown = await client.send(new DescribeJobsCommand({ filters: { jobIDs: ['drsjob-00000000000000000'] } }));

    // Assess
    expect(byID.items?.map((j) => j.jobID)).toEqual([first.job?.jobID]);
    expect(byDate.items?.map((j) => j.jobID)).toEqual([second.job?.jobID]);
    expect(unknown.items).toEqual([]);
  });

  it('returns a ValidationException for a nextToken it did not issue', async () => {
    // Prepare
    const { client } = await start();

    // Act
    const call = client.send(new DescribeJobsCommand({ nextToken: 'bm90LWEtdG9rZW4' }));

    // Assess
    await expect(call).rejects.toMatchObject({ name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
  });

  it('returns the number of calls to each operation and of jobs created', async () => {
    // Prepare
    const { client, clock, sim } = await start();

    // Act
    const { job } = await client.send(new StartRecoveryCommand({ sourceServers: [{ sourceServerID: S1 }] }));
    await client.send(new StartRecoveryCommand({ sourceServers: [{ sourceServerID: S1 }] })).catch(() => undefined);
    await client.send(new DescribeJobsCommand({}));
    await client.send(new DescribeJobsCommand({}));
    await client.send(new DescribeJobLogItemsCommand({ jobID: job?.jobID as string }));
    await client.send(new DescribeSourceServersCommand({}));
    clock.advance(60);
    const { items } = await client.send(new DescribeRecoveryInstancesCommand({}));
    await client.send(
      new TerminateRecoveryInstancesCommand({ recoveryInstanceIDs: [items?.[0]?.recoveryInstanceID as string] }),
    );

    // Assess
    expect(sim.counts()).toEqual({
      startRecoveryCalls: 2,
      jobsCreated: 1,
      describeJobsCalls: 2,
      describeJobLogItemsCalls: 1,
      describeSourceServersCalls: 1,
      describeRecoveryInstancesCalls: 1,
      terminateRecoveryInstancesCalls: 1,
      listLaunchActionsCalls: 0,
      describeRecoverySnapshotsCalls: 0,
      throttledCalls: 0,
      internalErrors: 0,
      lostResponses: 0,
      refusedCalls: 0,
      hungCalls: 0,
    });
  });
});
