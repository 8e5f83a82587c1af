import assert from 'node:assert/strict';
import {
  buildSchema,
  type GraphQLInputType,
  type GraphQLObjectType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isScalarType,
} from 'graphql';
import { servedSchema } from '../gateway/app.js';
import type { GatewayContext } from '../gateway/context.js';
import { FunctionClient } from '../gateway/function-client.js';
import type { FunctionName, FunctionRequest } from '../gateway/invokers/function-invoker.js';
import { resolvers } from '../gateway/resolvers.js';

/** A value of `type` for an argument: every field of an input object, one item per list. */
export function sample(type: GraphQLInputType): unknown {
  const inner = getNullableType(type);
  if (isListType(inner)) return [sample(inner.ofType)];
  if (isInputObjectType(inner)) {
    return Object.fromEntries(
      Object.values(inner.getFields()).map((field) => [field.name, sample(field.type)]),
    );
  }
  if (isEnumType(inner)) return inner.getValues()[0]?.value;
  if (isScalarType(inner)) {
    if (inner.name === 'Int') return 1;
    if (inner.name === 'Float') return 1.5;
    if (inner.name === 'Boolean') return true;
    return 'sample-1';
  }
  return null;
}

export interface ResolverCall {
  /** `Query.cart`, `Mutation.createProduct`, … */
  resolver: string;
  fn: FunctionName;
  request: FunctionRequest;
}

/**
 * Runs every Query and Mutation resolver once, with arguments built from the served schema,
 * and records the function calls each makes (answered `{}`, so a resolver calls what it would).
 */
export async function recordResolverCalls(): Promise<ResolverCall[]> {
  const calls: ResolverCall[] = [];
  const schema = buildSchema(servedSchema());
  for (const [typeName, fields] of Object.entries({
    Query: resolvers.Query,
    Mutation: resolvers.Mutation,
  })) {
    const type = schema.getType(typeName) as GraphQLObjectType;
    for (const [fieldName, resolve] of Object.entries(fields)) {
      const resolver = `${typeName}.${fieldName}`;
      const field = type.getFields()[fieldName];
      assert.ok(field, `${resolver} is in the schema`);
      const args = Object.fromEntries(field.args.map((arg) => [arg.name, sample(arg.type)]));
      const functions = new FunctionClient(
        {
          invoke: async (fn, request) => {
            calls.push({ resolver, fn, request });
            return { statusCode: 200, body: {} };
          },
        },
        { authorization: 'Bearer sample' },
      );
      const context = {
        functions,
        stock: { getStock: async () => [] },
        authorization: 'Bearer sample',
      } as unknown as GatewayContext;
      await (resolve as (parent: unknown, args: unknown, ctx: GatewayContext) => unknown)(
        {},
        args,
        context,
      );
    }
  }
  return calls;
}
