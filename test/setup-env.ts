// Tests never reach AWS: fixed fake credentials and region, and quiet Powertools output
// (tests that check log lines spy on the logger instead of reading stdout).
process.env.AWS_REGION = 'us-east-1';
process.env.AWS_ACCESS_KEY_ID = 'test';
process.env.AWS_SECRET_ACCESS_KEY = 'test';
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_TRACE_ENABLED = 'false';
process.env.POWERTOOLS_SERVICE_NAME ??= 'drs-orchestrator';
process.env.EXECUTIONS_TABLE_NAME ??= 'executions-test';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
