/**
 * MainTrac API client for TypeScript: the types generated from the contract
 * (`schema.d.ts`, by openapi-typescript; regenerate with `make sdk-typescript`) and a
 * typed fetch client (openapi-fetch) that sends the bearer token on every request.
 *
 *   const api = createMaintracClient({ baseUrl: "https://host/v1", token });
 *   const wo = unwrap(await api.POST("/work-orders", { body: { title: "Check pump" } }));
 *
 * Every call resolves to `{ data, error, response }`; `unwrap` returns `data` or throws an
 * `ApiProblem` holding the typed problem document (RFC 9457) of the error response.
 */
import createClient, { type Client, type ClientOptions } from "openapi-fetch";
import type { components, operations, paths } from "./schema.js";

export type { components, operations, paths };

/** The contract's schemas by name: `Schemas["WorkOrder"]`, `Schemas["WorkOrderStatus"]`... */
export type Schemas = components["schemas"];

/** An error response body (`application/problem+json`). */
export type Problem = Schemas["Problem"];

export type MaintracClient = Client<paths>;

export interface MaintracClientOptions extends Omit<ClientOptions, "baseUrl"> {
  /** The API root, including the version: `https://maintrac.example.com/v1`. */
  baseUrl: string;
  /** The bearer token, or a function returning a current one (called per request). */
  token: string | (() => string | Promise<string>);
}

/** A typed client for every operation of the contract, by path and method. */
export function createMaintracClient(options: MaintracClientOptions): MaintracClient {
  const { token, ...rest } = options;
  const client = createClient<paths>(rest);
  client.use({
    async onRequest({ request }) {
      const value = typeof token === "function" ? await token() : token;
      request.headers.set("Authorization", `Bearer ${value}`);
      return request;
    },
  });
  return client;
}

/** An error response of the API, with its problem document. */
export class ApiProblem extends Error {
  override readonly name = "ApiProblem";
  /** The problem document; synthesized from the status when the body was not one. */
  readonly problem: Problem;
  readonly response: Response;

  constructor(problem: Problem, response: Response) {
    super(`${problem.status} ${problem.title}: ${problem.detail}`);
    this.problem = problem;
    this.response = response;
  }

  /** The HTTP status code. */
  get status(): number {
    return this.problem.status;
  }

  /** The stable problem code, such as `invalid_status_transition`. */
  get code(): string | undefined {
    return this.problem.code;
  }

  /** The stable problem type URI. */
  get type(): string {
    return this.problem.type;
  }

  /** Wraps an openapi-fetch `error`, which is the parsed body (or its text). */
  static from(error: unknown, response: Response): ApiProblem {
    return new ApiProblem(isProblem(error) ? error : fallbackProblem(error, response), response);
  }
}

function isProblem(value: unknown): value is Problem {
  if (typeof value !== "object" || value === null) {
    return false;
  }
  const body = value as Record<string, unknown>;
  return (
    typeof body.type === "string" &&
    typeof body.title === "string" &&
    typeof body.status === "number" &&
    typeof body.detail === "string"
  );
}

function fallbackProblem(error: unknown, response: Response): Problem {
  const text = typeof error === "string" ? error : JSON.stringify(error);
  return {
    type: "about:blank",
    title: response.statusText || "Error",
    status: response.status,
    detail: text ?? "",
  };
}

/** The result of any client call: data on success, the typed error otherwise. */
export type Result<Data, Err> =
  | { data: Data; error?: never; response: Response }
  | { data?: never; error: Err; response: Response };

/** The data of a successful call; throws `ApiProblem` for an error response. */
export function unwrap<Data, Err>(result: Result<Data, Err>): Data {
  if (result.error !== undefined || !result.response.ok) {
    throw ApiProblem.from(result.error, result.response);
  }
  return result.data as Data;
}
