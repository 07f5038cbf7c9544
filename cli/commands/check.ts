import type { Command } from 'commander';
import { createDrsClient } from '../../functions/shared/clients';
import type { ExecutionType } from '../../functions/shared/types';
import { requireRegion } from '../aws-deployment';
import { checkPlan, checkText } from '../check';
import { BadInput, EXIT } from '../exit-codes';
import { readJson, readScenario } from '../input-files';
import { executionTypeOption, regionOption } from '../options';

interface CheckOptions {
  type: ExecutionType;
  scenario?: string;
  aws?: boolean;
  region?: string;
  json?: boolean;
}

/** `drs-orchestrator check <plan.json>`: the workflow's first checks alone, launching nothing. */
export function addCheckCommand(program: Command): void {
  program
    .command('check')
    .description(
      'Check a plan without launching anything: the plan rules, then DRS (every server exists and has data to recover: CONTINUOUS replication for a drill, a recovery snapshot for --type recovery; none is in a running job; every wave fits the quotas). Locally against the simulator, or with --aws against your account.',
    )
    .argument('<plan.json>', 'the recovery plan')
    .addOption(executionTypeOption())
    .option('--scenario <scenario.json>', "local checks: the simulator's world (inventory, replication states)")
    .option('--aws', 'check against DRS in your AWS account (read-only calls)')
    .addOption(regionOption())
    .option('--json', 'print the report as one JSON object')
    .addHelpText('after', '\nExit codes: 0 the plan can run now; 2 it cannot (every problem is named).')
    .action(async (plan: string, options: CheckOptions) => {
      process.exitCode = await checkCommand(plan, options);
    });
}

async function checkCommand(planPath: string, options: CheckOptions): Promise<number> {
  const plan = readJson(planPath, 'plan');
  if (options.aws && options.scenario)
    throw new BadInput('--scenario describes the local simulator; it cannot be used with --aws');
  const drs = options.aws ? createDrsClient(options.region ? { region: options.region } : {}) : undefined;
  try {
    if (drs) await requireRegion(drs);
    const report = await checkPlan(
      plan,
      drs ? { drs } : { scenario: readScenario(options.scenario, plan) },
      options.type,
    );
    process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${checkText(report, planPath)}\n`);
    return report.ready ? EXIT.completed : EXIT.badInput;
  } finally {
    drs?.destroy();
  }
}
