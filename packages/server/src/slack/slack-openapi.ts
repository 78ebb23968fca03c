import { ERROR_RESPONSES } from '../http/openapi-operations.js';
import { SLACK_INTERACTIONS_PATH } from './slack-interactions.js';

/** The Slack interactivity endpoint in /openapi.json. */
export function slackOpenApi(): Record<string, unknown> {
  return {
    [SLACK_INTERACTIONS_PATH]: {
      post: {
        summary:
          'Slack interactivity: the Approve, Approve and allow similar… and Reject clicks, the grant and reject modals (404 when Slack is off)',
        security: [],
        parameters: [
          {
            name: 'X-Slack-Request-Timestamp',
            in: 'header',
            required: true,
            description: 'Unix seconds when Slack sent it; refused when more than 5 minutes away',
            schema: { type: 'string', pattern: '^\\d{1,12}$' },
          },
          {
            name: 'X-Slack-Signature',
            in: 'header',
            required: true,
            description:
              'v0= and the hex HMAC-SHA256 of v0:{timestamp}:{body} with the signing secret',
            schema: { type: 'string', pattern: '^v0=[0-9a-f]{64}$' },
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/x-www-form-urlencoded': {
              schema: {
                type: 'object',
                description: 'As Slack posts interactions',
                required: ['payload'],
                properties: {
                  payload: {
                    type: 'string',
                    description: 'The interaction as JSON (block_actions or view_submission)',
                  },
                },
              },
            },
          },
        },
        responses: {
          '200': {
            description:
              'Handled: empty, or for a modal submission {"response_action":"errors"} when nothing was decided',
          },
          ...ERROR_RESPONSES,
          '415': { description: 'Not form-encoded', content: ERROR_RESPONSES['400'].content },
        },
      },
    },
  };
}
