/** Who acts, inside which organization (taken from the session by the router, never from input). */
export interface OrgActor {
  organizationId: string;
  /** null: the platform itself (a marketplace order, a background job). */
  userId: string | null;
}

/** A signed-in member acting in their organization. */
export interface MemberActor extends OrgActor {
  userId: string;
}

/** The signed-in user acting (from the session, never from input). */
export interface UserActor {
  userId: string;
  /** The session the request came with: organization switches change this session only. */
  sessionId: string;
}
