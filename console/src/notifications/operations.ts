// The caller's own notifications: the bell's count, the center, the live stream, preferences.
import { graphql } from "../gql";

export const NOTIFICATION_FIELDS = graphql(`
  fragment ConsoleNotification on Notification {
    id type category severity subject conversationId createdAt announced sound heldBecause
    readAt
  }
`);

export const NOTIFICATIONS = graphql(`
  query ConsoleNotifications($filter: NotificationFilterInput) {
    notifications(filter: $filter, first: 50) { edges { node { ...ConsoleNotification } } }
    notificationUnreadCount
  }
`);

export const UNREAD_COUNT = graphql(`
  query ConsoleNotificationUnreadCount {
    notificationUnreadCount
    notificationPreferences { soundVolume }
  }
`);

export const NOTIFICATION_RECEIVED = graphql(`
  subscription ConsoleNotificationReceived($after: ID) {
    notificationReceived(after: $after) {
      eventId unreadCount notification { ...ConsoleNotification }
    }
  }
`);

export const MARK_READ = graphql(`
  mutation ConsoleNotificationMarkRead($input: NotificationMarkReadInput!) {
    notificationMarkRead(input: $input) {
      __typename ... on NotificationMarkReadSuccess { unreadCount } ... on Error { message }
    }
  }
`);

export const ARCHIVE = graphql(`
  mutation ConsoleNotificationArchive($input: NotificationArchiveInput!) {
    notificationArchive(input: $input) {
      __typename ... on NotificationArchiveSuccess { unreadCount } ... on Error { message }
    }
  }
`);

export const PREFERENCES = graphql(`
  query ConsoleNotificationPreferences {
    notificationTypes { name category severity description roles }
    notificationChannels { email }
    notificationPreferences {
      types { type inApp sound push email } timeZone quietHours { start end } doNotDisturbUntil
      urgentPasses maxAnnouncedPerMinute soundVolume
    }
  }
`);

export const PREFERENCES_UPDATE = graphql(`
  mutation ConsoleNotificationPreferencesUpdate($input: NotificationPreferencesUpdateInput!) {
    notificationPreferencesUpdate(input: $input) {
      __typename ... on Error { message }
      ... on NotificationPreferencesUpdateSuccess {
        preferences { doNotDisturbUntil }
      }
    }
  }
`);

export const PUSH_STATE = graphql(`
  query ConsolePushState {
    notificationChannels { webPushPublicKey }
    pushSubscriptions { endpoint }
  }
`);

export const PUSH_SUBSCRIBE = graphql(`
  mutation ConsolePushSubscribe($input: PushSubscriptionAddInput!) {
    pushSubscriptionAdd(input: $input) { __typename ... on Error { message } }
  }
`);

export const PUSH_UNSUBSCRIBE = graphql(`
  mutation ConsolePushUnsubscribe($input: PushSubscriptionRemoveInput!) {
    pushSubscriptionRemove(input: $input) { __typename ... on Error { message } }
  }
`);
