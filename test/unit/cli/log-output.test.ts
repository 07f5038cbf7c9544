import { Logger } from '@aws-lambda-powertools/logger';
import { sendLogsToStderr } from '../../../cli/log-output';

describe('sendLogsToStderr', () => {
  afterEach(() => jest.restoreAllMocks());

  it('writes INFO and DEBUG lines to stderr and nothing to stdout', () => {
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const logger = new Logger({ serviceName: 'test', logLevel: 'DEBUG' });

    sendLogsToStderr(logger);
    logger.info('wave started');
    logger.debug('polled');

    const written = stderr.mock.calls.map(([text]) => JSON.parse(String(text)));
    expect(written).toEqual([
      expect.objectContaining({ level: 'INFO', message: 'wave started' }),
      expect.objectContaining({ level: 'DEBUG', message: 'polled' }),
    ]);
    expect(stdout).not.toHaveBeenCalled();
  });
});
