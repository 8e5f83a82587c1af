import { trace } from '@opentelemetry/api';
import type { FastifyInstance } from 'fastify';
import type { OperationDefinitionNode } from 'graphql';
import { tracingEnabled } from '../shared/telemetry/tracing.js';

/**
 * Names the span of each GraphQL request after its operation (`graphql mutation Checkout`),
 * with the operation's type and name as attributes (OpenTelemetry's GraphQL conventions), so
 * a trace viewer lists checkouts apart from catalogue reads. The function calls the
 * resolvers make are this span's children.
 */
export function traceGraphqlOperations(app: FastifyInstance): void {
  if (!tracingEnabled()) return;
  app.graphql.addHook('preExecution', async (_schema, document) => {
    const span = trace.getActiveSpan();
    if (!span?.isRecording()) return;
    const operation = document.definitions.find(
      (definition): definition is OperationDefinitionNode =>
        definition.kind === 'OperationDefinition',
    );
    if (!operation) return;
    const name = operation.name?.value ?? 'anonymous';
    span.updateName(`graphql ${operation.operation} ${name}`);
    span.setAttributes({
      'graphql.operation.type': operation.operation,
      'graphql.operation.name': name,
    });
  });
}
