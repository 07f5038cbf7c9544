import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { mockDrs } from './drs-mock';

/**
 * Mocks the DRS and DynamoDB document clients a task handler builds at cold start (the stubs
 * replace `send` on the client classes, so the handler's own clients answer from them) and resets
 * them, and any spies, before each test.
 */
export function mockTaskClients() {
  const drs = mockDrs();
  const ddb = mockClient(DynamoDBDocumentClient);
  beforeEach(() => {
    drs.reset();
    ddb.reset();
    jest.restoreAllMocks();
  });
  return { drs, ddb };
}
