import { executionConsoleUrl } from '../../../functions/api/console-url';

describe('executionConsoleUrl', () => {
  it("returns the execution's page in the Step Functions console of its Region", () => {
    const arn = 'arn:aws:states:eu-west-1:111122223333:execution:recovery-plan:three-tier-drill-1';
    expect(executionConsoleUrl('eu-west-1', arn)).toBe(
      `https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1#/v2/executions/details/${arn}`,
    );
  });
});
