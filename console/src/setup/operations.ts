// The setup pages' operations, typed from schema.graphql like the rest of the console's.
import { graphql } from "../gql";

export const TEAM = graphql(`
  query ConsoleTeam {
    organization { users(first: 100, includeDeactivated: true) { edges { node { id name email role isActive } } } }
    invitations { id email role queueIds status expiresAt emailedAt }
    queues { id name }
  }
`);

export const INVITATION_CREATE = graphql(`
  mutation ConsoleInvitationCreate($input: InvitationCreateInput!) {
    invitationCreate(input: $input) {
      __typename
      ... on InvitationIssueSuccess { link emailed emailProblem invitation { id email } }
      ... on Error { message code }
    }
  }
`);

export const INVITATION_RESEND = graphql(`
  mutation ConsoleInvitationResend($input: InvitationIdInput!) {
    invitationResend(input: $input) {
      __typename
      ... on InvitationIssueSuccess { link emailed emailProblem invitation { id email } }
      ... on Error { message code }
    }
  }
`);

export const INVITATION_REVOKE = graphql(`
  mutation ConsoleInvitationRevoke($input: InvitationIdInput!) {
    invitationRevoke(input: $input) {
      __typename
      ... on Error { message code }
    }
  }
`);
