import { componentRef } from './openapi-components.js';
import { ERROR_RESPONSES, operation, pathId } from './openapi-operations.js';
import { controlQuerySchema } from './routes-control.js';

const policyName = pathId('name', 'The policy name');

/** The central-policy, control and emergency-stop operations of /openapi.json. */
export function controlPaths(): Record<string, unknown> {
  return {
    '/v1/policies': {
      get: operation({ summary: 'List central policies (admins)', answer: 'PolicyList' }),
    },
    '/v1/policies/{name}/versions': {
      parameters: [policyName],
      post: operation({
        summary:
          'Push a new version, validated like loadPolicy (admins); 201 active at once, 202 proposed when pushes need approval',
        status: '201',
        answer: 'PolicyVersion',
        body: 'PushPolicyBody',
      }),
      get: operation({
        summary: 'List the versions of a policy (admins)',
        answer: 'PolicyVersionList',
      }),
    },
    '/v1/policies/{name}/versions/{version}': {
      parameters: [policyName, pathId('version', 'The version number')],
      get: operation({
        summary: 'One version with its text and the diff to the version before (admins)',
        answer: 'PolicyVersion',
      }),
    },
    '/v1/policies/{name}/rollback': {
      parameters: [policyName],
      post: operation({
        summary: 'Make an earlier approved version active again (admins)',
        answer: 'PolicyVersion',
        body: 'PolicyVersionBody',
      }),
    },
    '/v1/policies/{name}/shadow': {
      parameters: [policyName],
      put: operation({
        summary: 'Attach a version in shadow: gates evaluate it beside the active one (admins)',
        status: '204',
        body: 'PolicyVersionBody',
      }),
      delete: operation({ summary: 'Detach the shadow version (admins)', status: '204' }),
    },
    '/v1/policies/{name}/shadow-reports': {
      parameters: [policyName],
      post: operation({
        summary: 'Report shadow-mode counts and disagreeing calls (gates: agent keys)',
        status: '204',
        body: 'ShadowReportBody',
      }),
      get: operation({
        summary: 'Shadow-mode evidence: counts and samples per active/shadow pair (admins)',
        answer: 'ShadowReportList',
      }),
    },
    '/v1/control': {
      get: operation({
        summary:
          'What a gate runs: the active and shadow versions of its policy and any stop reaching it (ETag; If-None-Match answers 304)',
        answer: 'ControlState',
        query: controlQuerySchema,
      }),
    },
    '/v1/control/stream': {
      get: operation({
        summary: 'The control state as Server-Sent Events',
        query: controlQuerySchema,
        responses: {
          '200': {
            description:
              'Server-Sent Events: a "state" event with the ControlState on connect and after every change; a ": keep-alive" comment every 15 s',
            content: { 'text/event-stream': { schema: componentRef('ControlState') } },
          },
          ...ERROR_RESPONSES,
        },
      }),
    },
    '/v1/stops': {
      get: operation({ summary: 'The emergency stops in force (admins)', answer: 'StopList' }),
      post: operation({
        summary:
          'Emergency stop: every gate of the scope denies every call; pending requests of the scope are cancelled (admins)',
        status: '201',
        answer: 'StopResult',
        body: 'StopBody',
      }),
    },
    '/v1/stops/{scope}': {
      parameters: [pathId('scope', 'all, agent:NAME or policy:NAME')],
      delete: operation({ summary: 'Lift an emergency stop (admins)', status: '204' }),
    },
  };
}
