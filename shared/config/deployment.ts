import type { EnvReader } from './env-reader.js';

/**
 * Variables the AWS runtimes set in every process they start: a Lambda function (serverless
 * offline sets IS_OFFLINE beside it) and an ECS or Fargate task.
 */
const AWS_RUNTIME_MARKERS = [
  'AWS_LAMBDA_FUNCTION_NAME',
  'ECS_CONTAINER_METADATA_URI_V4',
  'ECS_CONTAINER_METADATA_URI',
] as const;

/**
 * The one rule for "production": a process is on a deployed stage, and holds to production's
 * settings, unless it is told it runs on a developer's machine or in CI (NODE_ENV development
 * or test) and it does not run on AWS. An unset NODE_ENV is a deployed stage: a forgotten
 * variable makes a process stricter, never looser; and a stage deployed with
 * NODE_ENV=development (a "staging" that copied local settings) is still deployed.
 */
export function isDeployedStage(env: EnvReader): boolean {
  const nodeEnv = env.optionalString('NODE_ENV');
  if (nodeEnv !== 'development' && nodeEnv !== 'test') return true;
  if (env.optionalString('IS_OFFLINE') === 'true') return false;
  return AWS_RUNTIME_MARKERS.some((name) => env.optionalString(name) !== undefined);
}
