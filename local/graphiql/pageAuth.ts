/**
 * What the GraphiQL page needs to call the API in each of its auth modes (Node: read from the server's auth
 * configuration and the served schema, written into the page's config by graphiqlAssets.ts). The page's own
 * code imports only the types.
 *
 * @example
 * const auth = pageAuthOf(server.auth, api);
 * // { modes: ['API_KEY', 'AWS_IAM'], defaultMode: 'API_KEY', roles: [{ name: 'StoreRole', callsApi: true }], … }
 */
import type { AuthenticationType } from '../template/cloudAssembly.ts';
import { roleAuth, type ApiAuthConfig } from '../server/authorization.ts';
import type { LocalGraphqlApi } from '../server/graphqlApi.ts';

/** The server's local-only endpoints the page uses for modes whose credentials the browser cannot make itself. */
export const GRAPHIQL_LOCAL_PATH = '/_local/graphiql';
export const USER_TOKEN_PATH = `${GRAPHIQL_LOCAL_PATH}/user-token`;
export const SIGN_PATH = `${GRAPHIQL_LOCAL_PATH}/sign`;

export interface PageRole {
  /** The role's logical id in the template: what the signing endpoint takes. */
  name: string;
  /** Whether its policy allows `appsync:GraphQL` on at least one root field of the API. */
  callsApi: boolean;
}

export interface PageAuthConfig {
  /** The API's modes, default first. */
  modes: AuthenticationType[];
  /** The mode the page opens in: API_KEY when the API has it (the page needs nothing typed), else the API's default. */
  defaultMode: AuthenticationType;
  /** For AWS_IAM: the template's roles, those that may call the API first. */
  roles: PageRole[];
  userTokenPath: string;
  signPath: string;
}

export function pageAuthOf(auth: ApiAuthConfig, api: LocalGraphqlApi): PageAuthConfig {
  const modes = auth.modes;
  const roles = modes.includes('AWS_IAM')
    ? Object.values(auth.roles ?? {})
        .map((role) => ({
          name: role.logicalId,
          callsApi: rootFields(api).some(([type, field]) => api.isAllowed(type, field, roleAuth(role.arn, auth.accountId, role))),
        }))
        .sort((a, b) => Number(b.callsApi) - Number(a.callsApi) || a.name.localeCompare(b.name))
    : [];
  return {
    modes,
    defaultMode: modes.includes('API_KEY') ? 'API_KEY' : (modes[0] ?? 'API_KEY'),
    roles,
    userTokenPath: USER_TOKEN_PATH,
    signPath: SIGN_PATH,
  };
}

function rootFields(api: LocalGraphqlApi): [string, string][] {
  const schema = api.schema;
  return [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].flatMap((type) =>
    type ? Object.keys(type.getFields()).map((field): [string, string] => [type.name, field]) : [],
  );
}
