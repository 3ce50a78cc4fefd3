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

export const SETUP = graphql(`
  query ConsoleSetup {
    organization { id name language timeZone businessHours segment }
    whatsappNumbers { id displayPhoneNumber verifiedName trial }
    queues { id name }
  }
`);

export const ORGANIZATION_UPDATE = graphql(`
  mutation ConsoleOrganizationUpdate($input: OrganizationUpdateInput!) {
    organizationUpdate(input: $input) { __typename ... on Error { message } }
  }
`);

export const TRIAL_START = graphql(`
  mutation ConsoleTrialStart {
    whatsappTrialStart { __typename ... on Error { message } }
  }
`);

export const NUMBER_CREATE = graphql(`
  mutation ConsoleNumberCreate($input: WhatsAppNumberCreateInput!) {
    whatsappNumberCreate(input: $input) { __typename ... on Error { message } }
  }
`);

export const NUMBER_CHECK = graphql(`
  query ConsoleNumberCheck($id: ID!) {
    whatsappNumberCheck(id: $id) { ok checks { name ok message } }
  }
`);

export const TEMPLATE_SYNC = graphql(`
  mutation ConsoleTemplateSync($input: WhatsAppTemplateSyncInput!) {
    whatsappTemplateSync(input: $input) {
      __typename ... on WhatsAppTemplateSyncSuccess { templates { id } } ... on Error { message }
    }
  }
`);

export const STEP_COMPLETE = graphql(`
  mutation ConsoleStepComplete($input: OnboardingStepInput!) {
    onboardingStepComplete(input: $input) { __typename ... on Error { message } }
  }
`);

export const STEP_SKIP = graphql(`
  mutation ConsoleStepSkip($input: OnboardingStepInput!) {
    onboardingSkip(input: $input) { __typename ... on Error { message } }
  }
`);

export const SEGMENT_LIBRARY = graphql(`
  query ConsoleSegmentLibrary($segment: BusinessSegment) {
    flowLibrary(segment: $segment) { key name description kind graph segments }
  }
`);

export const READY_FLOW_CREATE = graphql(`
  mutation ConsoleReadyFlowCreate($input: FlowCreateInput!) {
    flowCreate(input: $input) { __typename ... on FlowSaveSuccess { flow { id } } ... on Error { message } }
  }
`);

export const READY_FLOW_PUBLISH = graphql(`
  mutation ConsoleReadyFlowPublish($input: FlowIdInput!) {
    flowPublish(input: $input) { __typename ... on Error { message } }
  }
`);

export const QUEUE_CREATE = graphql(`
  mutation ConsoleQueueCreate($input: QueueInput!) {
    queueCreate(input: $input) { __typename ... on Error { message } }
  }
`);

export const TRIAL_SAY = graphql(`
  mutation ConsoleTrialSay($input: WhatsAppTrialCustomerSayInput!) {
    whatsappTrialCustomerSay(input: $input) { __typename ... on Error { message } }
  }
`);

export const TEST_CONVERSATION = graphql(`
  query ConsoleTestConversation($search: String!) {
    conversations(filter: { search: $search }, first: 1) {
      edges { node { id queue { name } } }
    }
  }
`);

export const NUMBERS = graphql(`
  query ConsoleNumbers {
    whatsappNumbers {
      id phoneNumberId wabaId displayPhoneNumber verifiedName qualityRating status
      messagesPerSecond healthy hasAppSecret hasVerifyToken trial
    }
  }
`);

export const NUMBER_UPDATE = graphql(`
  mutation ConsoleNumberUpdate($input: WhatsAppNumberUpdateInput!) {
    whatsappNumberUpdate(input: $input) { __typename ... on Error { message } }
  }
`);

export const NUMBER_DELETE = graphql(`
  mutation ConsoleNumberDelete($input: WhatsAppNumberDeleteInput!) {
    whatsappNumberDelete(input: $input) { __typename ... on Error { message } }
  }
`);

export const NUMBER_SYNC = graphql(`
  mutation ConsoleNumberSync($input: WhatsAppNumberSyncInput!) {
    whatsappNumberSync(input: $input) { __typename ... on Error { message } }
  }
`);

export const TEMPLATES = graphql(`
  query ConsoleTemplateSettings {
    whatsappNumbers { id displayPhoneNumber wabaId }
    whatsappTemplates { id wabaId name language category status rejectionReason body bodyParameters }
  }
`);

export const TEMPLATE_CREATE = graphql(`
  mutation ConsoleTemplateCreate($input: WhatsAppTemplateCreateInput!) {
    whatsappTemplateCreate(input: $input) { __typename ... on Error { message } }
  }
`);

export const QUEUE_SETTINGS = graphql(`
  query ConsoleQueueSettings {
    queues {
      id name description department strategy workingHours outsideHours maxWaitMinutes maxSize
      requiredSkills agentReplyTimeoutMinutes overflowQueueId targetAnswerSeconds
      messages { welcome positionUpdate outsideHours queueFull waitTimeout }
    }
  }
`);

export const QUEUE_SAVE = graphql(`
  mutation ConsoleQueueSave($input: QueueInput!) {
    queueUpdate(input: $input) { __typename ... on Error { message } }
  }
`);

export const QUEUE_DELETE = graphql(`
  mutation ConsoleQueueDelete($input: QueueIdInput!) {
    queueDelete(input: $input) { __typename ... on Error { message } }
  }
`);

export const AGENT_SETTINGS = graphql(`
  query ConsoleAgentSettings {
    agents { user { id name email role } capacity skills queueIds workingHours }
    queues { id name }
  }
`);

export const AGENT_SAVE = graphql(`
  mutation ConsoleAgentSave($input: AgentUpdateInput!) {
    agentUpdate(input: $input) { __typename ... on Error { message } }
  }
`);

export const USERS = graphql(`
  query ConsoleUsers {
    organization { users(first: 100, includeDeactivated: true) { edges { node { id name email role isActive } } } }
  }
`);

export const USER_ROLE = graphql(`
  mutation ConsoleUserRole($input: UserUpdateInput!) {
    userUpdate(input: $input) { __typename ... on Error { message } }
  }
`);

export const USER_DEACTIVATE = graphql(`
  mutation ConsoleUserDeactivate($input: UserDeactivateInput!) {
    userDeactivate(input: $input) { __typename ... on Error { message } }
  }
`);
