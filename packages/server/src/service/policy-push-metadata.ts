/** The request metadata that marks a review request as a policy push: `{ name, version }`. */
export const POLICY_PUSH_METADATA = 'countersignPolicyPush';
