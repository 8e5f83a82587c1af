import { initGraphQLTada } from 'gql.tada';
import type { introspection } from '../../.generated/graphql-env.js';

/**
 * `graphql()` typed from the gateway's served schema (the contract and its extensions):
 * `npm run check` writes the schema to `frontend/.generated/` and checks every document here
 * against it, so a query the gateway would refuse does not build.
 */
export const graphql = initGraphQLTada<{
  introspection: introspection;
  scalars: { DateTime: string; ID: string };
}>();

export type { FragmentOf, ResultOf, VariablesOf } from 'gql.tada';
export { readFragment } from 'gql.tada';
