import { DrsClient } from '@aws-sdk/client-drs';
import { type AwsStub, mockClient } from 'aws-sdk-client-mock';

/**
 * aws-sdk-client-mock for the DRS client. @aws-sdk/client-drs 3.523 (the newest published) is
 * built on older @smithy/types than the mock library, so their types disagree while the runtime
 * contract is the same. These helpers keep that cast in one place and keep command inputs typed.
 */
export type DrsStub = AwsStub<object, { $metadata: object }, object>;

export function mockDrs(): DrsStub {
  return mockClient(DrsClient as never) as unknown as DrsStub;
}

interface Behaviour {
  resolves(output: Record<string, unknown>): unknown;
  rejects(error: unknown): unknown;
}

export function whenDrs<I>(drs: DrsStub, command: new (input: I) => unknown, input?: Partial<I>): Behaviour {
  return (input === undefined
    ? drs.on(command as never)
    : drs.on(command as never, input as never)) as unknown as Behaviour;
}

/** The inputs of every call of one command, in order. */
export function drsInputs<I>(drs: DrsStub, command: new (input: I) => unknown): I[] {
  return drs.commandCalls(command as never).map((call) => (call.args[0] as unknown as { input: I }).input);
}
