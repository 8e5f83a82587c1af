/** A GraphQL answer as it comes over HTTP. */
export interface GraphqlAnswer<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** POSTs one GraphQL operation to a gateway URL, with a bearer token when given. */
export async function postGraphql<T>(
  url: string,
  query: string,
  variables: object = {},
  token?: string,
): Promise<GraphqlAnswer<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(15_000),
  });
  return (await response.json()) as GraphqlAnswer<T>;
}
