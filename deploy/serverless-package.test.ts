import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { build } from 'esbuild';
import { parse } from 'yaml';
import { readPaymentsConfig } from '../functions/payments/config.js';
import { REPO_ROOT } from '../localstack/infra/paths.js';
import {
  parseEventSourceMappings,
  SERVERLESS_YML,
} from '../localstack/kafka-event-source/event-source-mappings.js';
import { loadConfig, readRuntimeConfig } from '../shared/config/config.js';
import type { EnvReader } from '../shared/config/env-reader.js';
import { EventTopics } from '../shared/events/topics.js';
import { readMediaStorageConfig } from '../shared/storage/media-storage-config.js';
import { lintTemplate } from '../tools/cfn-lint.js';
import { type FunctionPackage, readPackages } from './package-report.js';

/** The bounds each function's package must stay under (measured: zips 1.5–3.0 MiB). */
const MAX_ZIP_BYTES = 4 * 1024 * 1024;
const MAX_BUNDLE_BYTES = 2.5 * 1024 * 1024;

interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
}
interface Template {
  Resources: Record<string, Resource>;
  Outputs: Record<string, { Value: unknown }>;
}
interface Statement {
  Action: string | string[];
  Resource: unknown;
}
interface ServerlessYml {
  functions: Record<
    string,
    { handler: string; events?: Record<string, Record<string, unknown> | string>[] }
  >;
  custom: { topics: { name: string; partitions: number }[] };
}

/** serverless's logical id of a function key: `order-saga` → `OrderDashsaga`. */
const logicalName = (key: string) =>
  key.charAt(0).toUpperCase() + key.slice(1).replaceAll('-', 'Dash');

/**
 * `serverless package --stage prod` as a deployer runs it, with no AWS credentials (and no
 * network: nothing here is fetched), and the template and zips it produces.
 */
describe('serverless package --stage prod', () => {
  let out: string;
  let template: Template;
  let packages: FunctionPackage[];
  const yml = parse(readFileSync(SERVERLESS_YML, 'utf8')) as ServerlessYml;
  /** The properties of a resource that must exist. */
  const props = (logicalId: string): unknown => {
    const resource = template.Resources[logicalId];
    assert.ok(resource, `${logicalId} is in the template`);
    return resource.Properties;
  };
  const ofType = (type: string) =>
    Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);

  before(() => {
    out = mkdtempSync(join(tmpdir(), 'orderly-package-'));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      AWS_SHARED_CREDENTIALS_FILE: join(out, 'no-credentials'),
      AWS_CONFIG_FILE: join(out, 'no-config'),
    };
    for (const name of Object.keys(env)) {
      if (/^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|PROFILE)$/.test(name))
        delete env[name];
    }
    const result = spawnSync(
      join(REPO_ROOT, 'node_modules', '.bin', 'serverless'),
      ['package', '--stage', 'prod', '--package', out],
      { cwd: REPO_ROOT, env, encoding: 'utf8', timeout: 150_000 },
    );
    assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
    template = JSON.parse(
      readFileSync(join(out, 'cloudformation-template-update-stack.json'), 'utf8'),
    ) as Template;
    packages = readPackages(out);
  });

  after(() => rmSync(out, { recursive: true, force: true }));

  it("passes cfn-lint: no errors, and no warnings but the framework's own W3005", async () => {
    const findings = await lintTemplate(join(out, 'cloudformation-template-update-stack.json'));
    // W3005 ("dependency already enforced by a Ref"): the HTTP API routes serverless generates
    // both Ref their integration and DependsOn it. Harmless, and not ours to change
    // (docs/decisions.md).
    const unexpected = findings.filter((finding) => finding.rule !== 'W3005');
    assert.deepEqual(
      unexpected.map((finding) => `${finding.rule} ${finding.path}: ${finding.message}`),
      [],
    );
  });

  it('has every function of serverless.yml, each with its own small bundle', () => {
    const keys = Object.keys(yml.functions).sort();
    assert.deepEqual(packages.map((p) => p.name).sort(), keys);
    for (const key of keys) {
      const fn = template.Resources[`${logicalName(key)}LambdaFunction`];
      assert.equal(fn?.Type, 'AWS::Lambda::Function', key);
      // A supported runtime: nodejs20.x reached end of life on 2026-04-30.
      assert.equal(fn?.Properties.Runtime, 'nodejs24.x', key);
      assert.equal(fn?.Properties.Handler, yml.functions[key]?.handler, key);
    }
    for (const p of packages) {
      assert.ok(p.bundleBytes < MAX_BUNDLE_BYTES, `${p.name} bundle is ${p.bundleBytes} bytes`);
      assert.ok(p.sourceMapBytes > 0, `${p.name} ships its source map`);
      const modules = p.files.filter((file) => file.includes('node_modules'));
      if (p.name === 'media') {
        // sharp is native: the media function ships it (and libvips) for x86_64 Linux.
        assert.ok(modules.some((file) => file.includes('node_modules/@img/sharp-linux-x64/')));
        assert.ok(
          modules.every((file) => /node_modules\/(sharp|@img|detect-libc|semver)\//.test(file)),
        );
        continue;
      }
      assert.ok(p.zipBytes < MAX_ZIP_BYTES, `${p.name}.zip is ${p.zipBytes} bytes`);
      assert.deepEqual(
        modules,
        [],
        `${p.name} bundles its dependencies instead of shipping node_modules`,
      );
    }
  });

  it('ships the inventory contract with every function that talks to inventory', async () => {
    for (const [key, fn] of Object.entries(yml.functions)) {
      const handler = String(fn.handler);
      const entry = join(REPO_ROOT, `${handler.slice(0, handler.lastIndexOf('.'))}.ts`);
      const { metafile } = await build({
        entryPoints: [entry],
        bundle: true,
        write: false,
        metafile: true,
        platform: 'node',
        format: 'esm',
        packages: 'external',
        logLevel: 'silent',
      });
      const usesInventory = Object.keys(metafile.inputs).some((input) =>
        input.endsWith('shared/grpc/inventory-proto.ts'),
      );
      const files = packages.find((p) => p.name === key)?.files ?? [];
      assert.equal(
        files.includes('protos/inventory.proto'),
        usesInventory,
        usesInventory
          ? `${key} loads protos/inventory.proto at run time but its package lacks it`
          : `${key} ships protos/inventory.proto without using it`,
      );
    }
  });

  it('maps every Kafka event to an event source mapping as the emulator reads it', () => {
    const expected = parseEventSourceMappings(readFileSync(SERVERLESS_YML, 'utf8'))
      .map((m) => ({
        function: `${logicalName(m.functionName)}LambdaFunction`,
        topics: [m.topic],
        group: m.consumerGroupId,
        batchSize: m.batchSize,
        windowSeconds: m.batchingWindowMs / 1000,
        start: m.startingPosition,
        onError: m.onError,
        // AWS matches the value's `type`; the emulator the type header the producers write.
        filter: [JSON.stringify({ value: { type: m.eventTypes } })],
      }))
      .sort((a, b) => `${a.function}${a.topics}`.localeCompare(`${b.function}${b.topics}`));
    const actual = ofType('AWS::Lambda::EventSourceMapping')
      .map(([, { Properties: p }]) => {
        const source = p.SelfManagedEventSource as {
          Endpoints: { KafkaBootstrapServers: string[] };
        };
        assert.deepEqual(source.Endpoints.KafkaBootstrapServers, [
          '{{resolve:ssm:/orderly/prod/kafka-bootstrap-server}}',
        ]);
        const access = (p.SourceAccessConfigurations as { Type: string }[]).map((a) => a.Type);
        assert.deepEqual([...new Set(access)].sort(), [
          'SASL_SCRAM_512_AUTH',
          'VPC_SECURITY_GROUP',
          'VPC_SUBNET',
        ]);
        return {
          function: (p.FunctionName as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0],
          topics: p.Topics,
          group: (p.SelfManagedKafkaEventSourceConfig as { ConsumerGroupId: string })
            .ConsumerGroupId,
          batchSize: p.BatchSize,
          windowSeconds: p.MaximumBatchingWindowInSeconds,
          start: p.StartingPosition,
          onError: {
            maxRetryAttempts: p.MaximumRetryAttempts,
            maxRecordAgeSeconds: p.MaximumRecordAgeInSeconds,
            bisectOnError: p.BisectBatchOnFunctionError,
            onFailureTopic: (
              p.DestinationConfig as { OnFailure: { Destination: string } }
            ).OnFailure.Destination.replace('kafka://', ''),
          },
          filter: (p.FilterCriteria as { Filters: { Pattern: string }[] }).Filters.map((f) =>
            JSON.stringify(JSON.parse(f.Pattern)),
          ),
        };
      })
      .sort((a, b) => `${a.function}${a.topics}`.localeCompare(`${b.function}${b.topics}`));
    assert.equal(actual.length, 5);
    assert.deepEqual(actual, expected);
    // Every mapping is bounded: provisioned mode, finite retries, its topic's dead-letter twin.
    for (const { Properties: p } of ofType('AWS::Lambda::EventSourceMapping').map(([, r]) => r)) {
      assert.ok((p.ProvisionedPollerConfig as { MinimumPollers: number }).MinimumPollers >= 1);
      assert.ok((p.MaximumRetryAttempts as number) >= 0);
      assert.equal(
        (p.DestinationConfig as { OnFailure: { Destination: string } }).OnFailure.Destination,
        `kafka://${(p.Topics as string[])[0]}.dlq`,
      );
    }
  });

  it('routes the HTTP API to the gateway and the functions, and schedules the two sweeps', () => {
    const routes = ofType('AWS::ApiGatewayV2::Route')
      .map(([, r]) => r.Properties.RouteKey as string)
      .sort();
    const declared = Object.values(yml.functions)
      .flatMap((fn) => fn.events ?? [])
      .flatMap((event) => (typeof event === 'object' && 'httpApi' in event ? [event.httpApi] : []))
      .map((http) => `${(http as { method: string }).method} ${(http as { path: string }).path}`)
      .sort();
    assert.deepEqual(routes, declared);
    assert.ok(routes.includes('POST /graphql') && routes.includes('GET /graphql'));
    const schedules = ofType('AWS::Events::Rule').map(([name, rule]) => [
      name,
      rule.Properties.ScheduleExpression,
    ]);
    assert.deepEqual(schedules.sort(), [
      ['MailDashsweepEventsRuleSchedule1', 'rate(1 minute)'],
      ['OutboxDashrelayEventsRuleSchedule1', 'rate(1 minute)'],
      ['ReservationDashexpiryEventsRuleSchedule1', 'rate(1 minute)'],
    ]);
  });

  it('takes its settings from the stage: secrets and endpoints resolved by CloudFormation', () => {
    const fn = props('OrdersLambdaFunction') as {
      Environment: { Variables: Record<string, unknown> };
      VpcConfig: { SubnetIds: string[] };
    };
    const vars = fn.Environment.Variables;
    assert.equal(vars.NODE_ENV, 'production');
    assert.equal(vars.MONGODB_URI, '{{resolve:secretsmanager:orderly/prod/mongodb-uri}}');
    assert.equal(vars.JWT_SECRET, '{{resolve:secretsmanager:orderly/prod/jwt-secret}}');
    assert.equal(vars.KAFKA_BROKERS, '{{resolve:ssm:/orderly/prod/kafka-brokers}}');
    assert.deepEqual([vars.KAFKA_TLS, vars.KAFKA_SASL_MECHANISM], ['true', 'scram-sha-512']);
    assert.equal(
      vars.KAFKA_SASL_PASSWORD,
      '{{resolve:secretsmanager:arn:aws:secretsmanager:eu-west-1:000000000000:secret:AmazonMSK_orderly-prod-kafka:SecretString:password}}',
    );
    assert.equal(vars.INVENTORY_ADDR, template.Outputs.InventoryAddress?.Value);
    assert.equal(fn.VpcConfig.SubnetIds.length, 2);
    const gateway = props('GatewayLambdaFunction') as {
      Environment: { Variables: Record<string, unknown> };
    };
    assert.deepEqual(gateway.Environment.Variables.FUNCTIONS_URL, {
      'Fn::GetAtt': ['HttpApi', 'ApiEndpoint'],
    });
  });

  it('starts no payments on test cards unless the stage allows them', () => {
    // The order saga asks the payment provider: it carries the provider's settings.
    const vars = (
      props('OrderDashsagaLambdaFunction') as {
        Environment: { Variables: Record<string, unknown> };
      }
    ).Environment.Variables;
    const env = Object.fromEntries(
      Object.entries(vars).map(([key, value]) => [
        key,
        typeof value === 'string' ? value : 'x-resolved',
      ]),
    );
    assert.equal(env.PAYMENT_PROVIDER, 'test');
    const payments = (reader: EnvReader) => readPaymentsConfig(reader, readRuntimeConfig(reader));
    assert.throws(
      () => loadConfig(payments, env),
      /PAYMENT_PROVIDER=test accepts test cards .* ALLOW_TEST_PAYMENTS=true/,
    );
    const demo = loadConfig(payments, { ...env, ALLOW_TEST_PAYMENTS: 'true' });
    assert.equal(demo.testPaymentsDeployed, true);
  });

  it('gives every function that uses the media bucket all of its settings', () => {
    const functions = ofType('AWS::Lambda::Function').filter(
      ([, resource]) =>
        (resource.Properties as { Environment?: { Variables: Record<string, unknown> } })
          .Environment?.Variables.MEDIA_BUCKET !== undefined,
    );
    assert.deepEqual(functions.map(([name]) => name).sort(), [
      'CatalogDasheventsLambdaFunction',
      'CatalogLambdaFunction',
      'MediaLambdaFunction',
    ]);
    for (const [name, resource] of functions) {
      const vars = (resource.Properties as { Environment: { Variables: Record<string, unknown> } })
        .Environment.Variables;
      // What CloudFormation resolves at deploy time stands in as a sample of its kind; Lambda
      // itself sets AWS_REGION.
      const env = Object.fromEntries(
        Object.entries(vars).map(([key, value]) => [
          key,
          typeof value === 'string'
            ? value
            : key.endsWith('_URL')
              ? 'https://cdn.example'
              : 'x-resolved',
        ]),
      );
      assert.doesNotThrow(
        () =>
          loadConfig((reader) => readMediaStorageConfig(reader, readRuntimeConfig(reader)), {
            ...env,
            AWS_REGION: 'eu-west-1',
          }),
        name,
      );
    }
  });

  it("grants the functions nothing beyond their logs, VPC interfaces, the Kafka secret, the media bucket's objects and SES sending", () => {
    const role = props('IamRoleLambdaExecution') as {
      Policies: { PolicyDocument: { Statement: Statement[] } }[];
    };
    const statements = role.Policies.flatMap((policy) => policy.PolicyDocument.Statement);
    const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
    for (const statement of statements) {
      for (const action of actions(statement)) {
        assert.ok(!action.includes('*'), `no wildcard action (${action})`);
        assert.match(action, /^(logs|ec2|secretsmanager|s3|ses):/);
        if (action.startsWith('ses:')) {
          assert.equal(action, 'ses:SendEmail');
          assert.deepEqual(statement.Resource, {
            'Fn::Join': [
              '',
              [
                'arn:aws:ses:',
                { Ref: 'AWS::Region' },
                ':',
                { Ref: 'AWS::AccountId' },
                ':identity/*',
              ],
            ],
          });
        }
        if (action === 's3:ListBucket') {
          // The media bucket's listing, so a missing object answers 404, not 403.
          assert.deepEqual(statement.Resource, { 'Fn::GetAtt': ['MediaBucket', 'Arn'] });
        } else if (action.startsWith('s3:')) {
          // Objects of the media bucket, nothing else of S3.
          assert.deepEqual(statement.Resource, {
            'Fn::Join': ['', [{ 'Fn::GetAtt': ['MediaBucket', 'Arn'] }, '/*']],
          });
          assert.ok(['s3:GetObject', 's3:PutObject', 's3:DeleteObject'].includes(action), action);
        }
      }
      if (statement.Resource === '*') {
        assert.ok(
          actions(statement).every((action) => action.startsWith('ec2:')),
          'only the VPC interface actions, which AWS cannot scope, apply to every resource',
        );
      }
      if (actions(statement).includes('secretsmanager:GetSecretValue')) {
        assert.deepEqual(
          [...new Set(statement.Resource as string[])],
          ['arn:aws:secretsmanager:eu-west-1:000000000000:secret:AmazonMSK_orderly-prod-kafka'],
        );
      }
    }
  });

  it("lets the gateway count shoppers behind CloudFront by the viewer's address, proven by a secret", () => {
    const distribution = props('StorefrontDistribution') as {
      DistributionConfig: {
        Origins: {
          Id: string;
          OriginCustomHeaders?: { HeaderName: string; HeaderValue: string }[];
        }[];
        CacheBehaviors: {
          PathPattern: string;
          FunctionAssociations?: { EventType: string; FunctionARN: unknown }[];
        }[];
      };
    };
    const api = distribution.DistributionConfig.Origins.find(
      (origin) => origin.Id === 'graphql-api',
    );
    assert.deepEqual(api?.OriginCustomHeaders, [
      {
        HeaderName: 'x-orderly-origin',
        HeaderValue: '{{resolve:secretsmanager:orderly/prod/origin-secret}}',
      },
    ]);
    const graphql = distribution.DistributionConfig.CacheBehaviors.find(
      (behavior) => behavior.PathPattern === '/graphql',
    );
    assert.deepEqual(graphql?.FunctionAssociations, [
      {
        EventType: 'viewer-request',
        FunctionARN: { 'Fn::GetAtt': ['GraphqlViewerAddress', 'FunctionARN'] },
      },
    ]);
    const code = (props('GraphqlViewerAddress') as { FunctionCode: string }).FunctionCode;
    assert.match(
      code,
      /request\.headers\['x-orderly-viewer-address'\] = \{ value: event\.viewer\.ip \}/,
    );
    const vars = (
      props('GatewayLambdaFunction') as { Environment: { Variables: Record<string, unknown> } }
    ).Environment.Variables;
    assert.deepEqual(
      [vars.GATEWAY_VIEWER_ADDRESS_HEADER, vars.GATEWAY_ORIGIN_SECRET],
      ['x-orderly-viewer-address', '{{resolve:secretsmanager:orderly/prod/origin-secret}}'],
    );
  });

  it('runs the inventory container on Fargate, reachable from the functions only', () => {
    const service = props('InventoryService') as {
      LaunchType: string;
      DesiredCount: number;
    };
    assert.deepEqual(
      { launch: service.LaunchType, count: service.DesiredCount },
      { launch: 'FARGATE', count: 2 },
    );
    const task = props('InventoryTaskDefinition') as {
      ContainerDefinitions: {
        Image: string;
        PortMappings: { ContainerPort: number }[];
        HealthCheck: { Command: string[] };
      }[];
    };
    const container = task.ContainerDefinitions[0];
    assert.match(container?.Image ?? '', /orderly-inventory:/);
    assert.equal(container?.PortMappings[0]?.ContainerPort, 50051);
    assert.deepEqual(container?.HealthCheck.Command, ['CMD', 'node', 'dist/health-probe.js']);
    const ingress = (
      props('InventorySecurityGroup') as {
        SecurityGroupIngress: { FromPort: number; SourceSecurityGroupId: string }[];
      }
    ).SecurityGroupIngress;
    const functionGroup = (
      props('OrdersLambdaFunction') as {
        VpcConfig: { SecurityGroupIds: string[] };
      }
    ).VpcConfig.SecurityGroupIds[0];
    assert.deepEqual(ingress, [
      {
        IpProtocol: 'tcp',
        FromPort: 50051,
        ToPort: 50051,
        SourceSecurityGroupId: functionGroup,
      },
    ]);
  });

  it('declares the topics the code uses, each with its dead-letter twin', () => {
    assert.deepEqual(
      yml.custom.topics.map((t) => ({ topic: t.name, partitions: t.partitions })),
      new EventTopics('').specs(),
    );
  });
});
