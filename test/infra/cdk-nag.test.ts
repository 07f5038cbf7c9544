import { Stack, Validations } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { synthesize } from './synth';

const { app } = synthesize();

interface Violation {
  ruleName: string;
  severity: string;
  description: string;
  violatingResources: { constructPath?: string }[];
}

const describeViolations = (violations: Violation[]) =>
  violations.flatMap((v) =>
    v.violatingResources.map((r) => `${v.severity} ${v.ruleName} at ${r.constructPath}: ${v.description}`),
  );

/** Every acknowledgement in the construct tree: where it was made, the rule (finding) and the reason. */
function acknowledgements(root: IConstruct): { path: string; id: string; reason: string }[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([key, reason]) => ({
          path: construct.node.path,
          id: key.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

describe('cdk-nag (AwsSolutions) on the synthesized app', () => {
  it('reports no unacknowledged error or warning', () => {
    const report = new AwsSolutionsChecks(app, { verbose: true }).validateScope(app);
    const violations = describeViolations(report.violations as Violation[]);
    expect(violations).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('acknowledges only findings that exist, each on the construct (or an ancestor) that has it', () => {
    // The same checks with every acknowledgement ignored: the raw findings.
    const pack = new AwsSolutionsChecks(app);
    (pack as unknown as { isAcknowledged: () => boolean }).isAcknowledged = () => false;
    const raw = pack.validateScope(app).violations as Violation[];
    expect(raw.length).toBeGreaterThan(0);
    const acks = acknowledgements(app);
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      const found = raw.some(
        (v) =>
          v.ruleName === ack.id &&
          v.violatingResources.some((r) => r.constructPath === ack.path || r.constructPath?.startsWith(`${ack.path}/`)),
      );
      expect({ ...ack, found }).toEqual({ ...ack, found: true });
    }
  });

  it('acknowledges IAM4 and IAM5 per finding (a named resource or policy), never the whole rule', () => {
    for (const ack of acknowledgements(app).filter((a) => /IAM[45]/.test(a.id))) {
      expect(ack.id).toMatch(/^AwsSolutions-IAM[45]\[(Resource|Policy|Action)::.+\]$/);
    }
  });

  it('gives every acknowledgement a reason a reviewer can check', () => {
    for (const ack of acknowledgements(app)) {
      expect({ id: ack.id, long: ack.reason.length >= 60 }).toEqual({ id: ack.id, long: true });
    }
  });

  it('fails the synthesis of the app on an unacknowledged finding (the checks are registered on the app)', () => {
    const { app: failing } = synthesize();
    const extra = new Stack(failing, 'Extra');
    new Queue(extra, 'PlainQueue', { encryption: QueueEncryption.SQS_MANAGED });
    expect(() => failing.synth({ force: true })).toThrow(/AwsSolutions-SQS4/);
  });
});
