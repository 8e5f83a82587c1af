import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';

type RouteDefinition = { method: string; url: string; httpStatus?: string; schema?: unknown };

/** Fastify's own serializer compiler (fast-json-stringify); the apps add no shared schemas. */
const buildSerializer = SerializerSelector()({}, {});

/**
 * A route's response serializer, built at the route's first response rather than when the app
 * starts: building every route's serializers up front was ~50 ms of a function's cold start,
 * and a Lambda instance serves few of its routes.
 */
export function compileSerializer(route: RouteDefinition): (data: unknown) => string {
  let serialize: ((data: unknown) => string) | undefined;
  return (data) => {
    serialize ??= buildSerializer({ ...route, httpStatus: route.httpStatus ?? '' });
    return serialize(data);
  };
}
