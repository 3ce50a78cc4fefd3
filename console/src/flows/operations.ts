// The flow editor's operations, typed from schema.graphql like the rest of the console's.
import { graphql } from "../gql";

export const FLOW_SUMMARY = graphql(`
  fragment FlowSummary on Flow {
    id
    name
    kind
    status
    numberIds
    expiryMinutes
    publishedVersion
    hasUnpublishedChanges
    updatedAt
    publishedAt
  }
`);

export const FLOWS = graphql(`
  query ConsoleFlows($first: Int) {
    flows(first: $first) { edges { node { ...FlowSummary } } }
  }
`);

export const FLOW = graphql(`
  query ConsoleFlow($id: ID!) {
    flow(id: $id) {
      ...FlowSummary
      graph
      versions { version publishedAt publishedByUserId }
    }
  }
`);

export const FLOW_CATALOG = graphql(`
  query ConsoleFlowCatalog {
    whatsappNumbers { id displayPhoneNumber verifiedName }
    queues { id name }
    whatsappTemplates { name language status bodyParameters }
    organization { users(first: 100) { edges { node { id name } } } }
  }
`);

export const FLOW_LIBRARY = graphql(`
  query ConsoleFlowLibrary {
    flowLibrary { key name description kind graph segments }
  }
`);

export const FLOW_CREATE = graphql(`
  mutation ConsoleFlowCreate($input: FlowCreateInput!) {
    flowCreate(input: $input) {
      __typename
      ... on FlowSaveSuccess { flow { id } }
      ... on Error { message code }
    }
  }
`);

export const FLOW_UPDATE = graphql(`
  mutation ConsoleFlowUpdate($input: FlowUpdateInput!) {
    flowUpdate(input: $input) {
      __typename
      ... on FlowSaveSuccess { flow { ...FlowSummary } }
      ... on Error { message code }
    }
  }
`);

export const FLOW_PUBLISH = graphql(`
  mutation ConsoleFlowPublish($input: FlowIdInput!) {
    flowPublish(input: $input) {
      __typename
      ... on FlowPublishSuccess { flow { ...FlowSummary versions { version publishedAt publishedByUserId } } }
      ... on FlowInvalidError { message problems { code message nodeId } }
      ... on Error { message code }
    }
  }
`);

export const FLOW_ROLLBACK = graphql(`
  mutation ConsoleFlowRollback($input: FlowRollbackInput!) {
    flowRollback(input: $input) {
      __typename
      ... on FlowPublishSuccess { flow { ...FlowSummary graph versions { version publishedAt publishedByUserId } } }
      ... on FlowInvalidError { message problems { code message nodeId } }
      ... on Error { message code }
    }
  }
`);

export const FLOW_VALIDATE = graphql(`
  query ConsoleFlowValidate($id: ID!) {
    flowValidate(id: $id) { code message nodeId }
  }
`);

export const FLOW_TEST = graphql(`
  query ConsoleFlowTest($id: ID!, $input: FlowTestInput!) {
    flowTest(id: $id, input: $input) {
      transcript { sender text nodeId payload note }
      path
      variables
      sessionStatus
      problems { code message nodeId }
    }
  }
`);

export const FLOW_ACTIVITY = graphql(`
  query ConsoleFlowActivity($id: ID!, $since: DateTime!) {
    flowStats(id: $id, since: $since) {
      started completed expired transferred replaced failed active
      dropOff { nodeId sessions }
    }
    flowSessions(filter: { flowId: $id }, first: 20) {
      edges { node { id flowVersion status waitingAtNodeId startedAt stepCount error } }
    }
  }
`);

export const FLOW_SESSION_UPDATES = graphql(`
  subscription ConsoleFlowSessionUpdates($flowId: ID, $after: ID) {
    flowSessionUpdated(flowId: $flowId, after: $after) { eventId sessionId status }
  }
`);
