'use strict';

/**
 * Runs the database migration (functions/migrate: every index the functions need) as part
 * of `serverless deploy`: once the stack is deployed, it invokes the stack's `migrate`
 * function and fails the deploy if that failed. The function runs inside the stack's VPC
 * with its secrets, where the deploying machine may not reach the database.
 * `serverless deploy --param="skipMigrate=true"` leaves it out (then run `serverless invoke
 * -f migrate`).
 */
class MigrateAfterDeploy {
  constructor(serverless, options) {
    this.serverless = serverless;
    this.options = options ?? {};
    this.hooks = {
      'after:deploy:deploy': () => this.migrate(),
    };
  }

  async migrate() {
    const log = (message) => this.serverless.cli.log(`migrate: ${message}`);
    const cliParams = [this.options.param ?? []].flat();
    if (cliParams.includes('skipMigrate=true')) {
      log('skipped (skipMigrate); run `serverless invoke -f migrate` before traffic arrives');
      return;
    }
    const name = this.serverless.service.getFunction('migrate').name;
    const provider = this.serverless.getProvider('aws');
    const response = await provider.request('Lambda', 'invoke', {
      FunctionName: name,
      InvocationType: 'RequestResponse',
    });
    const payload = response.Payload ? Buffer.from(response.Payload).toString('utf8') : '';
    if (response.FunctionError) {
      throw new Error(`the migrate function failed: ${payload}`);
    }
    const collections = Object.keys(JSON.parse(payload || '{}').collections ?? {});
    log(`indexes in place on ${collections.length} collections (${collections.join(', ')})`);
  }
}

module.exports = MigrateAfterDeploy;
