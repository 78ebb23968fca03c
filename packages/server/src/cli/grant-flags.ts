import {
  type DecisionInput,
  GRANT_APPLIES_TO,
  type GrantAppliesTo,
  type GrantSpec,
} from '@countersign/core/protocol';
import { CliError } from './cli-support.js';

/** The `approve` flags that add a grant ("allow calls like this"). */
export const GRANT_OPTIONS = {
  grant: { type: 'boolean', default: false },
  'grant-tool': { type: 'string' },
  'grant-when': { type: 'string' },
  'grant-for': { type: 'string' },
  'grant-lifetime': { type: 'string' },
  'grant-uses': { type: 'string' },
} as const;

type GrantFlags = {
  grant?: boolean;
  'grant-tool'?: string | undefined;
  'grant-when'?: string | undefined;
  'grant-for'?: string | undefined;
  'grant-lifetime'?: string | undefined;
  'grant-uses'?: string | undefined;
};

/** The decision body's `grant` from `--grant` and its `--grant-*` refinements (the server checks). */
export function grantFromFlags(values: GrantFlags): Pick<DecisionInput, 'grant'> {
  const refined = Object.keys(GRANT_OPTIONS).some(
    (flag) => flag !== 'grant' && values[flag as keyof GrantFlags] !== undefined,
  );
  if (!values.grant) {
    if (refined) throw new CliError('The --grant-* flags need --grant');
    return {};
  }
  const appliesTo = values['grant-for'];
  if (appliesTo !== undefined && !GRANT_APPLIES_TO.includes(appliesTo as GrantAppliesTo)) {
    throw new CliError(`--grant-for must be one of ${GRANT_APPLIES_TO.join(', ')}`);
  }
  const uses = values['grant-uses'];
  if (uses !== undefined && !/^[1-9]\d{0,6}$/.test(uses)) {
    throw new CliError('--grant-uses must be a whole number of at least 1');
  }
  const grant: GrantSpec = {
    ...(values['grant-tool'] === undefined ? {} : { tool: values['grant-tool'] }),
    ...(values['grant-when'] === undefined ? {} : { when: values['grant-when'] }),
    ...(appliesTo === undefined ? {} : { appliesTo: appliesTo as GrantAppliesTo }),
    ...(values['grant-lifetime'] === undefined ? {} : { lifetime: values['grant-lifetime'] }),
    ...(uses === undefined ? {} : { maxUses: Number(uses) }),
  };
  return { grant };
}
