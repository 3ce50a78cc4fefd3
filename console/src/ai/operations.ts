// The AI pages' operations: insights, intents and their model, canned responses.
import { graphql } from "../gql";

export const INSIGHTS = graphql(`
  query ConsoleAiInsights($since: DateTime!, $until: DateTime!, $groupBy: InsightGrouping!) {
    aiInsights(since: $since, until: $until, groupBy: $groupBy) {
      sentiment { read negative neutral positive averageScore turnedNegative }
      trend { start sentiment { read negative neutral positive } }
      topIntents { name count share previousCount }
      suggestions { offered accepted acceptanceRate }
      negativeConversations { id contact { waId username profileName } }
    }
  }
`);

export const INTENTS = graphql(`
  query ConsoleIntents {
    intents { id name description examples }
    intentModels(first: 1) {
      id version status stage progress trainedAt trainingSeconds accuracy macroF1 exampleCount
      heldOutCount error confusionMatrix { labels counts }
    }
  }
`);

export const INTENT_CREATE = graphql(`
  mutation ConsoleIntentCreate($input: IntentCreateInput!) {
    intentCreate(input: $input) { __typename ... on Error { message } }
  }
`);

export const INTENT_UPDATE = graphql(`
  mutation ConsoleIntentUpdate($input: IntentUpdateInput!) {
    intentUpdate(input: $input) { __typename ... on Error { message } }
  }
`);

export const INTENT_DELETE = graphql(`
  mutation ConsoleIntentDelete($input: IntentIdInput!) {
    intentDelete(input: $input) { __typename ... on Error { message } }
  }
`);

export const INTENT_STARTER_IMPORT = graphql(`
  mutation ConsoleIntentStarterImport {
    intentStarterSetImport(input: {}) {
      __typename
      ... on IntentStarterSetImportSuccess { created { name } }
      ... on Error { message }
    }
  }
`);

export const INTENT_MODEL_TRAIN = graphql(`
  mutation ConsoleIntentModelTrain {
    intentModelTrain { __typename ... on Error { message } }
  }
`);

export const CANNED = graphql(`
  query ConsoleCannedManagement {
    cannedResponses { id shortcut title body }
  }
`);

export const CANNED_CREATE = graphql(`
  mutation ConsoleCannedCreate($input: CannedResponseCreateInput!) {
    cannedResponseCreate(input: $input) { __typename ... on Error { message } }
  }
`);

export const CANNED_DELETE = graphql(`
  mutation ConsoleCannedDelete($input: CannedResponseIdInput!) {
    cannedResponseDelete(input: $input) { __typename ... on Error { message } }
  }
`);

export const ALERTS = graphql(`
  query ConsoleAiAlerts {
    aiAlerts(unresolvedOnly: true, first: 50) {
      edges { node { id rule conversationId raisedAt details } }
    }
  }
`);

export const ALERT_RAISED = graphql(`
  subscription ConsoleAiAlertRaised($after: ID) {
    aiAlertRaised(after: $after) { eventId alertId }
  }
`);

export const ALERT_RESOLVE = graphql(`
  mutation ConsoleAiAlertResolve($input: AiAlertIdInput!) {
    aiAlertResolve(input: $input) { __typename ... on Error { message } }
  }
`);

export const AI_SETTINGS = graphql(`
  query ConsoleAiSettings {
    aiSettings {
      enabled languages negativeThreshold positiveThreshold lexicon { term valence }
      alerts { negativeStreak angryWaitingMinutes vipLabels }
    }
  }
`);

export const AI_SETTINGS_UPDATE = graphql(`
  mutation ConsoleAiSettingsUpdate($input: AiSettingsUpdateInput!) {
    aiSettingsUpdate(input: $input) { __typename ... on Error { message } }
  }
`);
