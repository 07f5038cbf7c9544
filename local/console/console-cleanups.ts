import type { CleanupWorkflowInput, CleanupWorkflows } from '../../functions/shared/cleanup-schedule';
import type { LocalCleanupWorkflows } from '../cleanup-workflows';

/** What the console keeps of an ended execution's stack: its cleanup workflow's runs, on its own DRS simulator. */
export interface CleanupHost {
  cleanupWorkflows: Pick<LocalCleanupWorkflows, 'start' | 'stop' | 'runPending'>;
}

/**
 * The cleanup workflow for the API on the local console server. Each execution ran on a DRS
 * simulator of its own, which alone knows its recovery instances, so a run is started on that
 * execution's stack (kept open for it), and a run on demand is carried out there at once, in the
 * background, as Step Functions would run it after StartExecution answered. A scheduled run is
 * kept, not run: the console's processes end long before a drill's cleanup is due.
 */
export class ConsoleCleanups implements CleanupWorkflows {
  constructor(
    private readonly hostOf: (executionId: string) => CleanupHost | undefined,
    private readonly hosts: () => Iterable<CleanupHost>,
    private readonly onError: (what: string, error: unknown) => void = () => {},
  ) {}

  async start(name: string, input: CleanupWorkflowInput): Promise<string> {
    const host = this.hostOf(input.executionId);
    if (!host)
      throw new Error(`execution ${input.executionId} did not run on this console: it cannot be cleaned up here`);
    const arn = await host.cleanupWorkflows.start(name, input);
    if (input.scheduledFor === undefined) {
      void host.cleanupWorkflows.runPending('on-demand').catch((error) => this.onError(`cleanup ${name}`, error));
    }
    return arn;
  }

  async stop(runArn: string): Promise<void> {
    for (const host of this.hosts()) await host.cleanupWorkflows.stop(runArn);
  }
}
