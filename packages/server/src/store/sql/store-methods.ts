import type { StoreTx } from '../store-types.js';
import { adminMethods } from './admin-methods.js';
import { grantMethods } from './grant-methods.js';
import { logMethods } from './log-methods.js';
import { policyMethods } from './policy-methods.js';
import { receiptMethods } from './receipt-methods.js';
import { requestMethods } from './request-methods.js';
import { sessionMethods } from './session-methods.js';
import { slackMethods } from './slack-methods.js';
import type { SqlSession } from './sql-session.js';
import { userMethods } from './user-methods.js';
import { workMethods } from './work-methods.js';

/** Every method of a store but `afterCommit`, on one session of either database. */
export function storeMethods(db: SqlSession): Omit<StoreTx, 'afterCommit'> {
  return {
    ...requestMethods(db),
    ...logMethods(db),
    ...workMethods(db),
    ...adminMethods(db),
    ...policyMethods(db),
    ...grantMethods(db),
    ...userMethods(db),
    ...sessionMethods(db),
    ...slackMethods(db),
    ...receiptMethods(db),
  };
}
