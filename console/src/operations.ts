// Every operation the console sends. graphql-codegen types each one from schema.graphql.
import { graphql } from "./gql";

export const TOKEN_CREATE = graphql(`
  mutation ConsoleSignIn($input: TokenCreateInput!) {
    tokenCreate(input: $input) {
      __typename
      ... on TokenCreateSuccess {
        tokens { accessToken refreshToken accessTokenExpiresAt }
      }
      ... on RateLimitedError { retryAfterSeconds }
      ... on Error { message code }
    }
  }
`);

export const TOKEN_REFRESH = graphql(`
  mutation ConsoleRefresh($input: TokenRefreshInput!) {
    tokenRefresh(input: $input) {
      __typename
      ... on TokenRefreshSuccess {
        tokens { accessToken refreshToken accessTokenExpiresAt }
      }
      ... on Error { message code }
    }
  }
`);

export const TOKEN_REVOKE = graphql(`
  mutation ConsoleSignOut($input: TokenRevokeInput!) {
    tokenRevoke(input: $input) { __typename }
  }
`);

export const INVITATION_PREVIEW = graphql(`
  query ConsoleInvitationPreview($token: String!) {
    invitationPreview(token: $token) {
      __typename
      ... on InvitationPreview { organizationName email role expiresAt }
      ... on InvitationUnusableError { reason }
      ... on Error { message code }
    }
  }
`);

export const INVITATION_ACCEPT = graphql(`
  mutation ConsoleInvitationAccept($input: InvitationAcceptInput!) {
    invitationAccept(input: $input) {
      __typename
      ... on InvitationAcceptSuccess { tokens { accessToken refreshToken accessTokenExpiresAt } }
      ... on InvitationUnusableError { reason }
      ... on Error { message code }
    }
  }
`);

export const WHO_AM_I = graphql(`
  query ConsoleWhoAmI {
    me { id name email role }
    organization { id name language }
  }
`);

export const EVENT_CURSOR = graphql(`
  query ConsoleEventCursor {
    organization { lastEventId }
  }
`);

export const MY_AGENT = graphql(`
  query ConsoleMyAgent($userId: ID!) {
    agent(userId: $userId) { status statusSince load capacity }
  }
`);

export const AGENT_STATUS_UPDATE = graphql(`
  mutation ConsoleAgentStatus($input: AgentStatusUpdateInput!) {
    agentStatusUpdate(input: $input) {
      __typename
      ... on AgentSuccess { agent { status statusSince load capacity } }
      ... on Error { message }
    }
  }
`);

export const CONVERSATION_SUMMARY = graphql(`
  fragment ConversationSummary on Conversation {
    id
    status
    unreadCount
    labels
    windowOpen
    windowExpiresAt
    lastMessageAt
    updatedAt
    owner
    contact { id waId userId profileName username }
    assignee { id name }
    queue { id name }
    sentiment { current { label score } trend }
    lastMessage { id direction type sentAt content { __typename ... on TextContent { body } ... on MediaContent { caption mediaType } ... on TemplateContent { templateName: name text } } }
  }
`);

export const CONVERSATIONS = graphql(`
  query ConsoleConversations($filter: ConversationFilter, $first: Int, $after: String) {
    conversations(filter: $filter, first: $first, after: $after) {
      edges { cursor node { ...ConversationSummary } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export const FILTER_CHOICES = graphql(`
  query ConsoleFilterChoices {
    queues { id name }
    agents { user { id name } }
  }
`);

export const CONVERSATION = graphql(`
  query ConsoleConversation($id: ID!) {
    conversation(id: $id) { ...ConversationSummary }
  }
`);

export const MESSAGE_FIELDS = graphql(`
  fragment MessageFields on Message {
    id
    wamid
    direction
    sender { kind userId }
    type
    status
    sentAt
    editedAt
    forwarded
    replyToId
    error { code title message }
    reactions { emoji direction }
    sentiment { label score language }
    content {
      __typename
      ... on TextContent { body }
      ... on MediaContent { mediaType caption filename mimeType voice }
      ... on LocationContent { latitude longitude placeName: name address }
      ... on ContactsContent { contacts }
      ... on ReactionContent { emoji }
      ... on InteractiveReplyContent { replyType title description }
      ... on QuickReplyContent { text }
      ... on FlowReplyContent { flowName text }
      ... on OrderContent { text items { productRetailerId quantity itemPrice currency } }
      ... on InteractiveContent { interactiveType body header footer buttons { id title } listButton }
      ... on TemplateContent { templateName: name language parameters text }
      ... on SystemContent { text }
      ... on DeletedContent { deletedAt }
      ... on UnsupportedContent { unsupportedType }
      ... on CallPermissionReplyContent { accepted permanent }
    }
  }
`);

export const MESSAGES = graphql(`
  query ConsoleMessages($conversationId: ID!, $last: Int, $before: String) {
    messages(conversationId: $conversationId, last: $last, before: $before) {
      edges { cursor node { ...MessageFields } }
      pageInfo { hasPreviousPage startCursor }
    }
  }
`);

export const MESSAGE_SEND = graphql(`
  mutation ConsoleMessageSend($input: MessageSendInput!) {
    messageSend(input: $input) {
      __typename
      ... on MessageSendSuccess { sentMessage { ...MessageFields } }
      ... on WindowClosedError { message approvedTemplates }
      ... on Error { message }
    }
  }
`);

export const REPLY_SUGGESTIONS = graphql(`
  query ConsoleReplySuggestions($conversationId: ID!) {
    replySuggestions(conversationId: $conversationId, first: 3) { source text }
  }
`);

export const CANNED_RESPONSES = graphql(`
  query ConsoleCannedResponses {
    cannedResponses { id shortcut title body }
  }
`);

export const MARK_READ = graphql(`
  mutation ConsoleMarkRead($input: ConversationMarkReadInput!) {
    conversationMarkRead(input: $input) { __typename }
  }
`);

export const CONVERSATION_CHANGE = graphql(`
  fragment ConversationChange on ConversationChangeSuccess { conversationId status unreadCount labels }
`);

export const CONVERSATION_STATUS_UPDATE = graphql(`
  mutation ConsoleConversationStatus($input: ConversationStatusUpdateInput!) {
    conversationStatusUpdate(input: $input) {
      __typename
      ...ConversationChange
      ... on Error { message }
    }
  }
`);

export const CONVERSATION_LABELS_SET = graphql(`
  mutation ConsoleConversationLabels($input: ConversationLabelsSetInput!) {
    conversationLabelsSet(input: $input) {
      __typename
      ...ConversationChange
      ... on Error { message }
    }
  }
`);

export const CONVERSATION_NOTES = graphql(`
  query ConsoleConversationNotes($conversationId: ID!) {
    conversationNotes(conversationId: $conversationId) { id authorId body createdAt }
  }
`);

export const CONVERSATION_NOTE_ADD = graphql(`
  mutation ConsoleConversationNoteAdd($input: ConversationNoteAddInput!) {
    conversationNoteAdd(input: $input) {
      __typename
      ... on ConversationNoteAddSuccess { note { id authorId body createdAt } }
      ... on Error { message }
    }
  }
`);

export const USER_NAME = graphql(`
  query ConsoleUserName($id: ID!) {
    user(id: $id) { id name }
  }
`);

export const TYPING_SEND = graphql(`
  mutation ConsoleTyping($input: TypingIndicatorSendInput!) {
    typingIndicatorSend(input: $input) { __typename }
  }
`);

export const TEMPLATES = graphql(`
  query ConsoleTemplates {
    whatsappTemplates(filter: { status: "APPROVED" }) { id name language body bodyParameters }
  }
`);

export const INBOX_CHANGES = graphql(`
  subscription ConsoleInboxChanges($after: ID) {
    conversationUpdated(after: $after) { eventId conversationId changed }
  }
`);

export const INBOX_MESSAGES = graphql(`
  subscription ConsoleInboxMessages($after: ID) {
    messageReceived(after: $after) { eventId conversationId }
  }
`);

export const CONVERSATION_MESSAGES_RECEIVED = graphql(`
  subscription ConsoleMessagesReceived($conversationId: ID, $after: ID) {
    messageReceived(conversationId: $conversationId, after: $after) { eventId messageId }
  }
`);

export const CONVERSATION_MESSAGES_SENT = graphql(`
  subscription ConsoleMessagesSent($conversationId: ID, $after: ID) {
    messageSent(conversationId: $conversationId, after: $after) { eventId conversationId messageId }
  }
`);

export const CONVERSATION_MESSAGE_STATUSES = graphql(`
  subscription ConsoleMessageStatuses($conversationId: ID, $after: ID) {
    messageStatusUpdated(conversationId: $conversationId, after: $after) {
      eventId messageId status
    }
  }
`);

export const CONVERSATION_MESSAGE_CHANGES = graphql(`
  subscription ConsoleMessageChanges($conversationId: ID, $after: ID) {
    messageChanged(conversationId: $conversationId, after: $after) { eventId messageId }
  }
`);

export const CONVERSATION_TYPING = graphql(`
  subscription ConsoleTypingEvents($conversationId: ID, $after: ID) {
    typing(conversationId: $conversationId, after: $after) { eventId userId typing expiresAt }
  }
`);

export const QUEUE_ITEM_FIELDS = graphql(`
  fragment MonitorItem on QueueItem {
    id
    status
    priority
    position
    agentId
    enteredAt
    assignedAt
    conversation { id contact { waId username profileName } }
  }
`);

export const QUEUE_DASHBOARD = graphql(`
  query ConsoleQueueDashboard {
    queueDashboard {
      queue { id name targetAnswerSeconds }
      waiting
      longestWaitSeconds
      today { entries assigned gaveUp averageWaitSeconds answeredInTarget }
      agents { user { id name } status load capacity }
    }
  }
`);

export const QUEUE_MONITOR = graphql(`
  query ConsoleQueueMonitor($queueId: ID!) {
    queueMonitor(queueId: $queueId) {
      waiting { ...MonitorItem }
      serving { ...MonitorItem }
      recent {
        itemId kind at agentId actorUserId
        item { conversation { id contact { waId username profileName } } }
      }
    }
  }
`);

export const QUEUE_UPDATES = graphql(`
  subscription ConsoleQueueUpdates($queueId: ID!, $after: ID) {
    queueUpdated(queueId: $queueId, after: $after) { eventId itemId change }
  }
`);

export const AGENT_STATUS_CHANGES = graphql(`
  subscription ConsoleAgentStatusChanges($after: ID) {
    agentStatusChanged(after: $after) { eventId userId status }
  }
`);

export const QUEUE_ITEM_ASSIGN = graphql(`
  mutation ConsoleQueueItemAssign($input: QueueItemAssignInput!) {
    queueItemAssign(input: $input) { __typename ... on Error { message } }
  }
`);

export const QUEUE_ITEM_TRANSFER = graphql(`
  mutation ConsoleQueueItemTransfer($input: QueueItemTransferInput!) {
    queueItemTransfer(input: $input) { __typename ... on Error { message } }
  }
`);

export const QUEUE_ITEM_COMPLETE = graphql(`
  mutation ConsoleQueueItemComplete($input: QueueItemCompleteInput!) {
    queueItemComplete(input: $input) { __typename ... on Error { message } }
  }
`);

export const QUEUE_ITEM_ABANDON = graphql(`
  mutation ConsoleQueueItemAbandon($input: QueueItemIdInput!) {
    queueItemAbandon(input: $input) { __typename ... on Error { message } }
  }
`);

export const ONBOARDING_STATE = graphql(`
  fragment OnboardingState on Onboarding { finished nextStep steps { step status missing } }
`);

export const ONBOARDING = graphql(`
  query ConsoleOnboarding {
    onboarding { ...OnboardingState }
  }
`);

export const ONBOARDING_UPDATES = graphql(`
  subscription ConsoleOnboardingUpdates($after: ID) {
    onboardingUpdated(after: $after) { eventId onboarding { ...OnboardingState } }
  }
`);
