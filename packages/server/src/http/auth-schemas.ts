import { z } from 'zod';
import { roleSchema } from './admin-schemas.js';

// The bodies and answers of the /auth routes (reviewer sign-in); /openapi.json is generated from them.

/** Who is signed in, as `GET /auth/session` and `POST /auth/cli/token` tell it. */
const signedInSchema = z.object({
  principal: z.string().describe('The reviewer principal the session acts as: "user:NAME"'),
  role: roleSchema,
  name: z.string().describe('NAME of user:NAME'),
  groups: z.array(z.string()).describe('Groups from the identity provider at sign-in'),
  expiresAt: z.string().describe('ISO-8601 time the session ends at the latest'),
});

/** The answer of `GET /auth/session`: which sign-in methods are on, and the current session. */
export const authSessionSchema = z.object({
  methods: z
    .object({
      key: z.boolean().describe('Whether reviewers may sign in with an API key'),
      oidc: z
        .object({
          name: z.string().describe('The provider name for the "Sign in with" button'),
          loginUrl: z.string().describe('Where the browser goes to sign in (GET)'),
          issuer: z.string().describe('The OpenID Connect issuer'),
          cliClientId: z.string().describe('The public client countersign login uses'),
          scopes: z.string().describe('The scopes to ask for, space separated'),
          deviceAuthorization: z
            .boolean()
            .describe('Whether the provider offers the device authorization grant'),
        })
        .nullable()
        .describe('OpenID Connect sign-in, or null when it is off'),
    })
    .describe('The sign-in methods this server offers to reviewers'),
  session: signedInSchema
    .extend({
      csrfToken: z
        .string()
        .describe('Send it as X-CSRF-Token on every state-changing request made with the cookie'),
    })
    .nullable()
    .describe('The session of the cookie sent, or null when there is none'),
});
export type AuthSession = z.infer<typeof authSessionSchema>;

/** The body of `POST /auth/cli/token`. */
export const cliTokenBodySchema = z.strictObject({
  idToken: z
    .string()
    .min(1)
    .max(16_384)
    .describe('The ID token the provider issued to the CLI client (device authorization grant)'),
});

/** The answer of `POST /auth/cli/token`. */
export const cliTokenSchema = signedInSchema.extend({
  token: z
    .string()
    .describe('A short-lived Countersign token for Authorization: Bearer, bound to the user'),
});
export type CliToken = z.infer<typeof cliTokenSchema>;
